// The Jira outbox worker: one tick claims due PENDING `jira.*` items one at a
// time under a lease (a conditional update on lockedUntil/lockedBy, so two
// replicas never hold the same item), does the work and records the outcome.
// Everything lives in the table: a replica that dies mid-item leaves a lease
// that expires, and the next tick anywhere picks the item up again.
import { randomUUID } from 'node:crypto';
import { claimNextItem, JIRA_KIND_PREFIX } from '../db/outbox.js';
import { tickOwner } from '../db/tick-owner.js';
import { rateLimitDelayMs, retryDelayMs } from './backoff.js';
import { reportFailure } from './failure-report.js';
import { JiraCallError } from './jira-client.js';
import { jiraGateway, type JiraDeps } from './jira-deps.js';
import { createIssueForDefect, linkIssueToDefect, type HandlerContext, type HandlerOutcome } from './outbox-handlers.js';

export interface OutboxTickOptions {
  /** How long a claimed item belongs to this worker. */
  leaseMs?: number;
  /** At most this many items per tick. */
  limit?: number;
  /** Jitter source, for tests. */
  random?: () => number;
}

export interface OutboxTickSummary {
  /** Jira is not configured: nothing was claimed, the work waits. */
  jiraOff: boolean;
  claimed: number;
  done: number;
  retried: number;
  failed: number;
  /** Why the tick stopped early (rate-limited, Jira unreachable), if it did. */
  stoppedEarly?: string;
}

export { JIRA_KIND_PREFIX };
const DEFAULT_LEASE_MS = 2 * 60_000;
const DEFAULT_LIMIT = 50;
// After this many retryable failures in a row Jira is taken to be down: the rest wait for the next tick.
const CONSECUTIVE_FAILURES_TO_STOP = 3;

type Handler = (ctx: HandlerContext, payload: never) => Promise<HandlerOutcome>;
const HANDLERS: Record<string, Handler> = {
  'jira.createIssue': createIssueForDefect,
  'jira.linkIssue': linkIssueToDefect,
};

export async function runOutboxTick(deps: JiraDeps, now: Date, options: OutboxTickOptions = {}): Promise<OutboxTickSummary> {
  const summary: OutboxTickSummary = { jiraOff: false, claimed: 0, done: 0, retried: 0, failed: 0 };
  const jira = jiraGateway(deps);
  if (!jira) {
    summary.jiraOff = true;
    return summary;
  }
  const prisma = deps.db.prisma;
  const owner = `${tickOwner()}#${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const limit = options.limit ?? DEFAULT_LIMIT;
  const tried = new Set<string>();
  let failuresInARow = 0;

  while (summary.claimed < limit) {
    const item = await claimNext(deps, owner, now, leaseMs, tried);
    if (!item) break;
    tried.add(item.id);
    summary.claimed++;
    const finish = (data: Record<string, unknown>) =>
      prisma.outboxItem.updateMany({
        where: { id: item.id, lockedBy: owner, status: 'PENDING' },
        data: { lockedBy: null, lockedUntil: null, ...data },
      });

    const handler = HANDLERS[item.kind];
    let outcome: HandlerOutcome;
    try {
      if (!handler) throw new Error(`no handler for outbox kind ${item.kind}`);
      outcome = await handler({ deps, jira, now, attempt: item.attempts }, JSON.parse(item.payload) as never);
    } catch (err) {
      const e = err instanceof JiraCallError ? err : null;
      const delay =
        e?.kind === 'rate-limited'
          ? rateLimitDelayMs(item.attempts, e.retryAfterMs, options.random)
          : retryDelayMs(item.attempts, options.random);
      const message = err instanceof Error ? err.message : String(err);
      await finish({ nextAttemptAt: new Date(now.getTime() + delay), lastError: message.slice(0, 1000) });
      summary.retried++;
      deps.logger.warn(
        { outboxId: item.id, kind: item.kind, attempt: item.attempts, retryInMs: delay, err: message },
        'Jira work will be retried',
      );
      if (e?.kind === 'rate-limited') {
        summary.stoppedEarly = 'rate-limited';
        break;
      }
      if (++failuresInARow >= CONSECUTIVE_FAILURES_TO_STOP) {
        summary.stoppedEarly = 'jira-unavailable';
        break;
      }
      continue;
    }
    failuresInARow = 0;
    if (outcome.kind === 'done') {
      await finish({ status: 'DONE', lastError: outcome.note ?? null });
      summary.done++;
      continue;
    }
    const marked = await finish({ status: 'FAILED', lastError: outcome.error.slice(0, 1000) });
    summary.failed++;
    deps.logger.error({ outboxId: item.id, kind: item.kind, err: outcome.error }, 'Jira work failed for good');
    // Reported only by the worker that recorded the failure, so the channel hears it once.
    if (marked.count === 1 && outcome.report)
      await reportFailure(deps, defectIdOf(item.payload), outcome.report, { key: `${item.id}:${now.getTime()}`, now });
  }
  return summary;
}

async function claimNext(deps: JiraDeps, owner: string, now: Date, leaseMs: number, tried: Set<string>) {
  return claimNextItem(deps.db.prisma, { kindPrefix: JIRA_KIND_PREFIX, owner, now, leaseMs, tried });
}

function defectIdOf(payload: string): string {
  try {
    const id = (JSON.parse(payload) as { defectId?: unknown }).defectId;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}
