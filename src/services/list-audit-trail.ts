// Reads the audit trail of a project or of one milestone, newest first, a page
// at a time. The cursor is opaque to callers: the (time, id) of the last entry
// of the page, so entries written meanwhile never shift a page.
import type { ActorType, AuditFields, AuditKind } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { auditPage, type AuditPosition, type AuditRow } from '../db/audit-trail.js';
import { parseJson } from './milestone-view.js';
import type { ServiceDeps } from './service-deps.js';

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

export interface AuditEntryView {
  id: string;
  kind: AuditKind;
  projectId: string;
  milestoneId: string | null;
  defectId: string | null;
  /** Who: a Slack user (id, and their team), an API key (id and name), jira, or the local CLI operator. */
  actor: { type: ActorType; id: string; name: string | null; team: string | null };
  /** Just the fields that changed, as they were and as they became. */
  before: AuditFields;
  after: AuditFields;
  at: string;
}

export interface AuditTrailPage {
  entries: AuditEntryView[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

const CURSOR_VERSION = 1;

export function encodeAuditCursor(p: AuditPosition): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, p.at.toISOString(), p.id]), 'utf8').toString('base64url');
}

export function decodeAuditCursor(cursor: string): AuditPosition {
  const bad = () =>
    new AppError(
      'VALIDATION_FAILED',
      'Invalid query: cursor: not a cursor this endpoint gave out. Pass the nextCursor of the previous page unchanged, or leave cursor out for the first page.',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw bad();
  const [version, at, id] = parsed as unknown[];
  if (version !== CURSOR_VERSION || typeof at !== 'string' || typeof id !== 'string') throw bad();
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw bad();
  return { at: date, id };
}

export function auditEntryView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    kind: row.kind as AuditKind,
    projectId: row.projectId,
    milestoneId: row.milestoneId,
    defectId: row.defectId,
    actor: { type: row.actorType as ActorType, id: row.actorId, name: row.actorName, team: row.actorTeam },
    before: parseJson<AuditFields>(row.before, {}),
    after: parseJson<AuditFields>(row.after, {}),
    at: row.createdAt.toISOString(),
  };
}

export async function listAuditTrail(
  deps: ServiceDeps,
  options: { projectId: string; milestoneId?: string; cursor?: string; limit?: number },
): Promise<AuditTrailPage> {
  const limit = Math.min(options.limit ?? AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX);
  const after = options.cursor === undefined ? null : decodeAuditCursor(options.cursor);
  const rows = await auditPage(deps.db.prisma, { projectId: options.projectId, milestoneId: options.milestoneId }, after, limit);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map(auditEntryView),
    nextCursor: rows.length > limit && last ? encodeAuditCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
