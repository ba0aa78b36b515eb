// Tells a milestone's channel (the project's, for a project-wide change) about
// a gate, scope or approvers change on the audit trail. The change queued its
// notice in the outbox in its own transaction (db/audit-trail.ts), so every
// surface — the API, Slack, the CLI — gets its line, and a change that failed
// gets none. One tick claims due `slack.*` items under a lease, posts each
// through the notifier and records the outcome; a failed post is retried with
// backoff, a rate limit waits as long as Slack asks.
import { randomUUID } from 'node:crypto';
import { threadsOn } from '../db/living-messages.js';
import { claimNextItem, enqueue, finishItem, OUTBOX, SLACK_KIND_PREFIX } from '../db/outbox.js';
import { tickOwner } from '../db/tick-owner.js';
import { auditEntryView } from '../services/list-audit-trail.js';
import { auditNoticeText } from '../messages/audit-notice.js';
import { RateLimitedError } from '../notify/notifier.js';
import type { TickDeps } from './tick-deps.js';

export interface AuditNoticesSummary {
  /** Slack is off: nothing was claimed, the notices wait. */
  slackOff: boolean;
  claimed: number;
  sent: number;
  /** Done without a message: no channel to tell, the entry gone, or too old to be news. */
  skipped: number;
  retried: number;
  failed: number;
}

const LEASE_MS = 2 * 60_000;
const LIMIT = 50;
/** A notice not sent within this long (Slack off or failing all day) is dropped: it is no longer news; the trail keeps the change. */
export const NOTICE_MAX_AGE_MS = 24 * 60 * 60_000;
const MAX_ATTEMPTS = 8;

function retryDelayMs(attempt: number): number {
  return Math.min(60 * 60_000, 15_000 * 2 ** (attempt - 1));
}

export async function runAuditNoticesTick(deps: TickDeps, now: Date): Promise<AuditNoticesSummary> {
  const summary: AuditNoticesSummary = { slackOff: false, claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0 };
  if (!deps.notifier.enabled) {
    summary.slackOff = true;
    return summary;
  }
  const prisma = deps.db.prisma;
  const owner = `${tickOwner()}#${randomUUID().slice(0, 8)}`;
  const tried = new Set<string>();
  while (summary.claimed < LIMIT) {
    const item = await claimNextItem(prisma, { kindPrefix: SLACK_KIND_PREFIX, owner, now, leaseMs: LEASE_MS, tried });
    if (!item) break;
    tried.add(item.id);
    summary.claimed++;
    try {
      const outcome = await deliver(deps, item, now);
      await finishItem(prisma, item, owner, { status: 'DONE', lastError: outcome === 'sent' ? null : outcome });
      if (outcome === 'sent') summary.sent++;
      else summary.skipped++;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (item.attempts >= MAX_ATTEMPTS) {
        await finishItem(prisma, item, owner, { status: 'FAILED', lastError: message.slice(0, 1000) });
        summary.failed++;
        deps.logger.error({ outboxId: item.id, err: message }, 'audit notice not sent; given up');
        continue;
      }
      const delay = err instanceof RateLimitedError ? err.retryAfterMs : retryDelayMs(item.attempts);
      await finishItem(prisma, item, owner, { nextAttemptAt: new Date(now.getTime() + delay), lastError: message.slice(0, 1000) });
      summary.retried++;
      deps.logger.warn({ outboxId: item.id, attempt: item.attempts, retryInMs: delay, err: message }, 'audit notice will be retried');
      if (err instanceof RateLimitedError) break;
    }
  }
  return summary;
}

/** Posts one notice: 'sent', or why there was nothing to post. */
async function deliver(deps: TickDeps, item: { id: string; payload: string }, now: Date): Promise<string> {
  const { auditEntryId } = JSON.parse(item.payload) as { auditEntryId?: string };
  const notice = auditEntryId ? await readAuditNotice(deps, auditEntryId) : 'audit entry no longer exists';
  if (typeof notice === 'string') return notice;
  if (now.getTime() - notice.createdAt.getTime() > NOTICE_MAX_AGE_MS) return 'too old to announce';
  // A milestone's change is a reply in the thread of its living message, unless the channel turned threads off.
  if (notice.milestoneId && (await threadsOn(deps.db.prisma, notice.workspaceId, notice.channel))) {
    await enqueue(
      deps.db.prisma,
      OUTBOX.livingEvent({ kind: 'notice', milestoneId: notice.milestoneId, auditEntryId: auditEntryId! }, auditEntryId!, now),
    );
    return 'sent';
  }
  await deps.notifier.post({ workspaceId: notice.workspaceId, channel: notice.channel, text: notice.text });
  return 'sent';
}

export interface AuditNotice {
  workspaceId: string;
  channel: string;
  milestoneId: string | null;
  text: string;
  createdAt: Date;
}

/** The channel line for an audit entry, and where it goes; or why there is none. */
export async function readAuditNotice(deps: Pick<TickDeps, 'db'>, auditEntryId: string): Promise<AuditNotice | string> {
  const row = await deps.db.prisma.auditEntry.findUnique({ where: { id: auditEntryId } });
  if (!row) return 'audit entry no longer exists';
  const project = await deps.db.prisma.project.findUnique({ where: { id: row.projectId } });
  if (!project) return 'project no longer exists';
  const milestone = row.milestoneId ? await deps.db.prisma.milestone.findUnique({ where: { id: row.milestoneId } }) : null;
  const channel = (milestone?.slackChannelId ?? null) || project.slackChannelId;
  if (!channel) return 'no channel to tell';
  const entry = auditEntryView(row);
  const text = auditNoticeText({
    kind: entry.kind,
    projectKey: project.key,
    milestoneName: milestone?.name ?? null,
    actor: entry.actor,
    before: entry.before,
    after: entry.after,
  });
  return { workspaceId: project.workspaceId, channel, milestoneId: milestone?.id ?? null, text, createdAt: row.createdAt };
}
