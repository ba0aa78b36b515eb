// The words, numbers and marks every surface shares: the Slack messages (card,
// digest, reminder, list, Home, modals, Jira notices) and the CLI's terminal
// text. One place, so a verdict, a pass rate or a person reads the same
// everywhere. Plain-text helpers first, then the Slack mrkdwn ones.
import { formatGate, formatRatio, formatShare } from '../domain/percent.js';
import type { Reason } from '../domain/readiness.js';
import { cutText } from './text-hygiene.js';
import { REASON_SEVERITIES, VERDICTS, type DueRisk, type ReasonSeverity, type Verdict } from '../domain/types.js';

// ── Percentages ──────────────────────────────────────────────────────────────
// The rule itself lives in src/domain/percent.ts (reason messages need it too):
// shares are cut to one decimal, never rounded up; gates are never shown lower.

/** A measured share (pass rate, coverage): "94.5%"; "—" when there is none. */
export function percent(fraction: number | null): string {
  return fraction === null ? '—' : formatShare(fraction);
}

/** `part` of `whole` from exact counts: "94.5%"; "—" when the whole is 0. */
export function ratioPercent(part: number, whole: number): string {
  return whole > 0 ? formatRatio(part, whole) : '—';
}

/** A gate threshold: "95%", "99.5%". */
export function gatePercent(fraction: number): string {
  return formatGate(fraction);
}

/** "94.5% (189/200)", or "— (0 executed)" so the denominator is always visible. */
export function passRateText(passed: number, executed: number): string {
  if (executed === 0) return '— (0 executed)';
  return `${formatRatio(passed, executed)} (${passed}/${executed})`;
}

// ── Verdicts ─────────────────────────────────────────────────────────────────

/** Unicode, so the badge reads the same in Block Kit, a message's text, the log and a terminal. */
export const VERDICT_BADGE: Record<Verdict, string> = {
  GO: '🟢',
  GO_WITH_RISKS: '🟡',
  INSUFFICIENT_EVIDENCE: '⚪',
  NO_GO: '🔴',
};

/** The verdict as a name. */
export const VERDICT_LABEL: Record<Verdict, string> = {
  GO: 'GO',
  GO_WITH_RISKS: 'GO with risks',
  INSUFFICIENT_EVIDENCE: 'Insufficient evidence',
  NO_GO: 'NO-GO',
};

/** What the verdict means for the release, in words. */
export const VERDICT_MEANING: Record<Verdict, string> = {
  GO: 'ready to ship',
  GO_WITH_RISKS: 'can ship, with risks',
  INSUFFICIENT_EVIDENCE: 'not enough evidence to decide',
  NO_GO: 'not ready to ship',
};

export function badge(verdict: Verdict): string {
  return `${VERDICT_BADGE[verdict]} ${VERDICT_LABEL[verdict]}`;
}

/** Worst first: the order digests list milestones and tally verdicts in. */
export const VERDICTS_WORST_FIRST: readonly Verdict[] = [...VERDICTS].reverse();

/** Sorts worst verdict first. */
export function worstVerdictFirst(a: Verdict, b: Verdict): number {
  return VERDICTS_WORST_FIRST.indexOf(a) - VERDICTS_WORST_FIRST.indexOf(b);
}

// ── Reasons ──────────────────────────────────────────────────────────────────

/** Sorts blockers first, then risks, then information. */
export function heaviestReasonFirst(a: { severity: ReasonSeverity }, b: { severity: ReasonSeverity }): number {
  return REASON_SEVERITIES.indexOf(a.severity) - REASON_SEVERITIES.indexOf(b.severity);
}

export const SEVERITY_ICON: Record<ReasonSeverity, string> = {
  blocker: ':no_entry:',
  risk: ':warning:',
  info: ':information_source:',
};

// ── Dates and times ──────────────────────────────────────────────────────────

/** The due date in the milestone's zone, and how far away it is: "2026-03-18 (in 3 days)". */
export function dueText(dueDate: string | null, timeZone: string, daysLeft: number | null): string {
  if (!dueDate) return 'no due date';
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(dueDate));
  if (daysLeft === null) return day;
  if (daysLeft > 1) return `${day} (in ${daysLeft} days)`;
  if (daysLeft === 1) return `${day} (tomorrow)`;
  if (daysLeft === 0) return `${day} (today)`;
  return `${day} (${-daysLeft} day${daysLeft === -1 ? '' : 's'} overdue)`;
}

/** An instant to the minute in UTC: "2026-03-15 12:00 UTC". */
export function utcMinute(at: string | Date): string {
  const iso = typeof at === 'string' ? at : at.toISOString();
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

// ── Slack mrkdwn ─────────────────────────────────────────────────────────────

export const DUE_RISK_TEXT: Record<DueRisk, string> = {
  NONE: 'no schedule risk',
  LOW: 'low risk',
  HIGH: ':warning: high risk',
  OVERDUE: ':rotating_light: overdue',
};

/** Slack's mrkdwn treats &, < and > as control characters: text from data goes through this. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** A person as a Slack mention; anything that is not a user id stays escaped text. */
export function mention(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : escape(userId);
}

const SLACK_GROUP_ID = /^S[A-Z0-9]+$/;

/**
 * A user group as a Slack mention, for the one place Shipgate names one (who may
 * approve, in a refusal only the reader sees); anything that is not a group id stays escaped text.
 */
export function groupMention(groupId: string): string {
  return SLACK_GROUP_ID.test(groupId) ? `<!subteam^${groupId}>` : escape(groupId);
}

const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]+$/;

/** A channel as a Slack channel link; anything that is not a channel id stays escaped text. */
export function channelMention(channelId: string): string {
  return SLACK_CHANNEL_ID.test(channelId) ? `<#${channelId}>` : escape(channelId);
}

/**
 * A reason as mrkdwn: its message escaped, and the people it names by id (its
 * `userIds`) turned into mentions. Only those ids become mentions, so text a
 * person typed (a sign-off comment) can never mention anyone the reason does not name.
 */
export function reasonMrkdwn(reason: Pick<Reason, 'message' | 'userIds'>): string {
  let text = escape(reason.message);
  for (const id of new Set(reason.userIds ?? [])) {
    if (!SLACK_USER_ID.test(id)) continue;
    text = text.replace(new RegExp(`(?<![A-Za-z0-9])${id}(?![A-Za-z0-9])`, 'g'), mention(id));
  }
  return text;
}

/**
 * A URL Shipgate will make a link of: http(s) only, no whitespace, and none of
 * `<`, `>` or `|` (each would end Slack's link syntax early); anything else is
 * shown as its label alone.
 */
export function isLinkableUrl(url: string | null | undefined): url is string {
  if (!url || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A link whose label is already mrkdwn; the URL is escaped. A URL that is not linkable leaves the label alone. */
export function link(url: string, label: string): string {
  if (!isLinkableUrl(url)) return label;
  return `<${escape(url)}|${label}>`;
}

/**
 * A defect's Jira issue as shown beside its title: the key linked, then its Jira status; a link or
 * creation that failed for good says so with why, one not yet confirmed says that; empty without one.
 */
export function jiraRef(d: {
  jiraKey: string | null;
  jiraUrl: string | null;
  jiraStatus?: string | null;
  jiraSync?: 'PENDING' | 'LINKED' | 'FAILED' | null;
  jiraSyncError?: string | null;
}): string {
  // Jira's words and keys are cut before they are escaped, so the defect's own title still shows beside them.
  const issueKey = d.jiraKey ? escape(cutText(d.jiraKey, 50)) : null;
  if (d.jiraSync === 'FAILED') {
    const why = d.jiraSyncError ? ` (${escape(cutText(d.jiraSyncError, 200))})` : '';
    return issueKey ? `:warning: ${issueKey} link failed${why} · ` : `:warning: Jira issue not created${why} · `;
  }
  if (d.jiraSync === 'PENDING') return issueKey ? `${issueKey} _checking in Jira_ · ` : '_Jira issue pending_ · ';
  if (!d.jiraKey) return '';
  // Cut before escaping and linking, so no later cut can fall inside the link.
  const key = link(d.jiraUrl ?? '', escape(cutText(d.jiraKey, 50)));
  return `${key}${d.jiraStatus ? ` _${escape(cutText(d.jiraStatus, 60))}_` : ''} · `;
}
