// Words and badges shared by every Slack surface (card, list, Home, replies).
import type { Verdict } from '../domain/types.js';
import { escape } from './limits.js';

export const VERDICT_BADGE: Record<Verdict, string> = {
  GO: ':large_green_circle:',
  GO_WITH_RISKS: ':large_yellow_circle:',
  INSUFFICIENT_EVIDENCE: ':white_circle:',
  NO_GO: ':red_circle:',
};

export const VERDICT_LABEL: Record<Verdict, string> = {
  GO: 'GO',
  GO_WITH_RISKS: 'GO with risks',
  INSUFFICIENT_EVIDENCE: 'Insufficient evidence',
  NO_GO: 'NO-GO',
};

export function badge(verdict: Verdict): string {
  return `${VERDICT_BADGE[verdict]} ${VERDICT_LABEL[verdict]}`;
}

export function percent(fraction: number | null): string {
  if (fraction === null) return '—';
  const p = fraction * 100;
  // 99.95% must not round up to a misleading 100%.
  const text = p >= 99.5 && p < 100 ? p.toFixed(1) : Math.round(p).toString();
  return `${text}%`;
}

/** "96% (192/200)", or "— (nothing executed)" so the denominator is always visible. */
export function passRateText(passed: number, executed: number, passRate: number | null): string {
  if (executed === 0) return '— (0 executed)';
  return `${percent(passRate)} (${passed}/${executed})`;
}

/** The due date in the milestone's zone, and how far away it is. */
export function dueText(dueDate: string | null, timeZone: string, daysLeft: number | null): string {
  if (!dueDate) return 'no due date';
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(dueDate));
  if (daysLeft === null) return day;
  if (daysLeft > 1) return `${day} (in ${daysLeft} days)`;
  if (daysLeft === 1) return `${day} (tomorrow)`;
  if (daysLeft === 0) return `${day} (today)`;
  return `${day} (${-daysLeft} day${daysLeft === -1 ? '' : 's'} overdue)`;
}

export const DUE_RISK_TEXT: Record<string, string> = {
  NONE: 'no schedule risk',
  LOW: 'low risk',
  HIGH: ':warning: high risk',
  OVERDUE: ':rotating_light: overdue',
};

export const SEVERITY_ICON: Record<string, string> = {
  blocker: ':no_entry:',
  risk: ':warning:',
  info: ':information_source:',
};

/** A defect's Jira issue as shown beside its title: the key linked, then its Jira status; empty without one. */
export function jiraRef(d: { jiraKey: string | null; jiraUrl: string | null; jiraStatus?: string | null }): string {
  if (!d.jiraKey) return '';
  const key = d.jiraUrl ? `<${d.jiraUrl}|${escape(d.jiraKey)}>` : escape(d.jiraKey);
  return `${key}${d.jiraStatus ? ` _${escape(d.jiraStatus)}_` : ''} · `;
}
