// Stale-run nudges: a run IN_PROGRESS for longer than the threshold
// (default 24 h) gets its owner a direct message (or, without an owner, the
// milestone's or project's channel) with Complete / Abort / Snooze 24h. It is
// repeated once per threshold window while the run stays open; a snooze moves
// the window, so the next nudge comes when the snooze ends. Each window is
// claimed once, so any number of replicas send it once.
import { sendOnce } from './claims.js';
import { nudgeMessage } from '../messages/nudge-message.js';
import { tickOwner } from './tick-owner.js';
import { count, emptySummary, type TickDeps, type TickSummary } from './tick-summary.js';

/** The window a run's nudge belongs to at `now`, or null when it is not stale yet. */
export function nudgeWindow(
  run: { id: string; startedAt: Date; snoozedUntil: Date | null },
  now: Date,
  staleAfterMs: number,
): string | null {
  const snoozed = run.snoozedUntil && run.snoozedUntil > run.startedAt;
  // A snooze ending counts as the run turning stale again at that moment.
  const anchor = snoozed ? run.snoozedUntil!.getTime() - staleAfterMs : run.startedAt.getTime();
  const n = Math.floor((now.getTime() - anchor) / staleAfterMs);
  if (n < 1 || (run.snoozedUntil && run.snoozedUntil > now)) return null;
  return `${run.id}:${new Date(anchor).toISOString()}:${n}`;
}

export async function runNudgesTick(deps: TickDeps, now: Date): Promise<TickSummary> {
  const summary = emptySummary();
  const staleAfterMs = deps.config.nudges.staleAfterMs;
  if (!deps.notifier.enabled) return summary;
  const runs = await deps.db.prisma.testRun.findMany({
    where: {
      status: 'IN_PROGRESS',
      startedAt: { lte: new Date(now.getTime() - staleAfterMs) },
      OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }],
      // Archived milestones leave every reminder.
      NOT: { milestone: { is: { status: 'ARCHIVED' } } },
    },
    include: {
      project: { select: { key: true, workspaceId: true, slackChannelId: true } },
      milestone: { select: { name: true, slackChannelId: true } },
      environment: { select: { name: true } },
    },
    orderBy: { startedAt: 'asc' },
  });
  for (const run of runs) {
    const window = nudgeWindow(run, now, staleAfterMs);
    const channel = run.ownerSlackUserId ?? run.milestone?.slackChannelId ?? run.project.slackChannelId;
    if (!window || !channel) continue;
    summary.considered++;
    try {
      const outcome = await sendOnce(deps.db.prisma, { kind: 'nudge', key: window, owner: tickOwner(), now }, async () => {
        const message = nudgeMessage({
          runId: run.id,
          runName: run.name,
          projectKey: run.project.key,
          milestoneName: run.milestone?.name ?? null,
          environment: run.environment?.name ?? null,
          startedAt: run.startedAt,
          now,
          ownerUserId: run.ownerSlackUserId,
          toChannel: !run.ownerSlackUserId,
          url: run.url,
        });
        await deps.notifier.post({ workspaceId: run.project.workspaceId, channel, ...message });
      });
      count(summary, outcome);
      if (outcome === 'failed') deps.logger.warn({ runId: run.id }, 'nudge not delivered; it will be retried');
    } catch (err) {
      summary.failed++;
      deps.logger.error({ err, runId: run.id }, 'nudge failed');
    }
  }
  return summary;
}
