// The line a milestone's channel (or the project's) reads when its gate, scope
// or approvers change: who changed what, from what to what. Pure text (Slack
// mrkdwn): every value from data is escaped, and the only mentions are the
// actor's and approvers' Slack ids, checked by mention(). The notices tick
// (src/jobs/audit-notices-tick.ts) decides when it is sent, once.
import type { ActorType, AuditFields, AuditValue } from '../domain/audit.js';
import { escape, gatePercent, mention } from './format.js';
import { clip, LIMITS } from './limits.js';

export interface AuditNotice {
  kind: string;
  projectKey: string;
  /** The milestone's name; null for a change to the project. */
  milestoneName: string | null;
  actor: { type: ActorType; id: string; name: string | null };
  before: AuditFields;
  after: AuditFields;
}

const SHOWN_PATTERNS = 10;

/** Who, as a channel reads it: a Slack user as a mention, a key by name and id, Jira, or the CLI's operator. */
export function actorMrkdwn(actor: AuditNotice['actor']): string {
  switch (actor.type) {
    case 'slack':
      return mention(actor.id);
    case 'api-key':
      return `API key ${actor.name ? `“${escape(clip(actor.name, 80))}” ` : ''}(${escape(clip(actor.id, 40))})`;
    case 'jira':
      return 'Jira';
    case 'local':
      return `the shipgate CLI${actor.name ? ` (${escape(clip(actor.name, 40))})` : ''}`;
  }
}

const GATE_WORDS: Record<string, string> = {
  passRateThreshold: 'pass rate',
  blockingSeverities: 'blocking severities',
  requiredEnvironments: 'required environments',
  requiredSignoffs: 'required sign-offs',
  minExecuted: 'minimum executed',
  minCoverage: 'minimum coverage',
};

function gateValue(key: string, value: AuditValue | undefined): string {
  if (value === null || value === undefined) return 'inherited';
  if ((key === 'passRateThreshold' || key === 'minCoverage') && typeof value === 'number') return gatePercent(value);
  if (Array.isArray(value)) return value.length ? escape(clip(patternsOf(value).join(', '), 300)) : 'none';
  return escape(clip(typeof value === 'object' ? JSON.stringify(value) : String(value), 100));
}

function patternsOf(value: AuditValue | undefined): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [];
}

function patternList(patterns: string[]): string {
  const shown = patterns.slice(0, SHOWN_PATTERNS).map((p) => `\`${escape(clip(p, 120))}\``);
  const more = patterns.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function approverList(value: AuditValue | undefined): string {
  const ids = patternsOf(value);
  if (!ids.length) return 'anyone in the workspace';
  // Group ids (S…) are named by id, never as a mention: a notice must not ping a whole group.
  return ids
    .slice(0, 20)
    .map((id) => (/^S[A-Z0-9]+$/.test(id) ? `group ${escape(id)}` : mention(id)))
    .join(', ');
}

export function auditNoticeText(n: AuditNotice): string {
  const subject = escape(n.milestoneName === null ? n.projectKey : `${n.projectKey}/${n.milestoneName}`);
  const by = actorMrkdwn(n.actor);
  const lines: string[] = [];
  if (n.kind === 'milestone.scope') {
    const before = patternsOf(n.before.scope);
    const after = patternsOf(n.after.scope);
    const added = after.filter((p) => !before.includes(p));
    const removed = before.filter((p) => !after.includes(p));
    const head =
      n.after.scope === null
        ? `:pencil2: Scope of ${subject} removed by ${by}: every test reported counts now.`
        : `:pencil2: Scope of ${subject} changed by ${by}: ${n.before.scope === null ? 'no scope' : `${before.length} pattern${before.length === 1 ? '' : 's'}`} → ${after.length} pattern${after.length === 1 ? '' : 's'}.`;
    lines.push(head);
    if (n.after.scope !== null && added.length) lines.push(`• added: ${patternList(added)}`);
    if (n.after.scope !== null && removed.length) lines.push(`• removed: ${patternList(removed)}`);
  } else if (n.kind === 'project.approvers') {
    lines.push(`:busts_in_silhouette: Approvers of ${subject} changed by ${by}.`);
    lines.push(`• before: ${approverList(n.before.approvers)}`);
    lines.push(`• now: ${approverList(n.after.approvers)}`);
  } else {
    const what = n.kind === 'project.gate' ? 'Gate defaults' : 'Gate';
    lines.push(`:triangular_ruler: ${what} of ${subject} changed by ${by}:`);
    for (const key of Object.keys(n.after)) {
      const word = GATE_WORDS[key] ?? escape(clip(key, 40));
      lines.push(`• ${word}: ${gateValue(key, n.before[key])} → ${gateValue(key, n.after[key])}`);
    }
  }
  return clip(lines.join('\n'), LIMITS.sectionText);
}
