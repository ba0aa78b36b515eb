// The audit trail's vocabulary: who can change something that moves a verdict
// (an Actor), what kinds of change are recorded, and the rule that an entry
// holds just the fields that changed, before and after. Pure: the database
// side is db/audit-trail.ts, each use case writes its entry in the same
// transaction as its change.

/** Who made a change. Each surface builds its own: the API from the calling key, Slack from the user, the CLI as the local operator, Jira's sync as jira. */
export type Actor =
  | { type: 'slack'; userId: string; /** The user's Slack team. */ teamId: string | null }
  | { type: 'api-key'; keyId: string; keyName: string | null }
  | { type: 'jira' }
  | { type: 'local'; /** The operating-system user who ran the command, when known. */ name: string | null };

export type ActorType = Actor['type'];
export const ACTOR_TYPES: readonly ActorType[] = ['slack', 'api-key', 'jira', 'local'];

/** A Jira webhook or reconcile: Jira is a person acting through their issue tracker. */
export const JIRA_ACTOR: Actor = Object.freeze({ type: 'jira' });

export const AUDIT_KINDS = [
  // A project's gate defaults, reaching every milestone that does not override them.
  'project.gate',
  // Who may change the gate, waive, complete against the gate and sign off in Slack.
  'project.approvers',
  // Who owns which tests (the whole ordered list of owner rules, before and after).
  'project.owners',
  'milestone.gate',
  'milestone.scope',
  // The due date and its time zone: being due soon or overdue is a risk of the verdict.
  'milestone.due',
  // Lifecycle: complete (with the override reason when against the gate), reopen, archive.
  'milestone.status',
  'defect.status',
  'defect.severity',
  // A waiver given, changed or ended (the status moves with it).
  'defect.waiver',
  // A run that holds results aborted: its results stop counting.
  'run.aborted',
  'signoff.added',
  'signoff.removed',
  // Quarantine (SPEC §10) is not built yet; its changes will be recorded as these.
  'quarantine.added',
  'quarantine.removed',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Kinds announced in the channel as they happen: what the gate asks and what it covers. */
export const ANNOUNCED_KINDS: readonly AuditKind[] = ['project.gate', 'project.approvers', 'milestone.gate', 'milestone.scope'];

export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };
export type AuditFields = Record<string, AuditValue>;

/** One change to record: kind, and just the fields that changed. */
export interface AuditChange {
  kind: AuditKind;
  before: AuditFields;
  after: AuditFields;
}

/**
 * The fields whose values differ between `before` and `after` (a field
 * missing on one side counts as null), or null when nothing changed. Only
 * changed fields are kept, so an entry says exactly what moved.
 */
export function changedFields(kind: AuditKind, before: AuditFields, after: AuditFields): AuditChange | null {
  const b: AuditFields = {};
  const a: AuditFields = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[key] ?? null;
    const is = after[key] ?? null;
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    b[key] = was;
    a[key] = is;
  }
  return Object.keys(a).length ? { kind, before: b, after: a } : null;
}

/** What the older columns holding "who" (createdBy, waivedBy) keep for an actor. */
export function actorTag(actor: Actor): string {
  switch (actor.type) {
    case 'slack':
      return actor.userId;
    case 'api-key':
      return 'api';
    case 'jira':
      return 'jira';
    case 'local':
      return 'cli';
  }
}

/** Plain data for an entry: dates as ISO-8601, undefined left out (it reads as null). */
export function auditFields(o: Record<string, unknown>): AuditFields {
  const out: AuditFields = {};
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined) continue;
    out[key] = value instanceof Date ? value.toISOString() : (JSON.parse(JSON.stringify(value)) as AuditValue);
  }
  return out;
}
