// Stale-run nudges: a run IN_PROGRESS for longer than the threshold
// (default 24 h) gets its owner a direct message (or, without an owner, the
// milestone's or project's channel) with Complete / Abort / Snooze 24h. It is
// repeated once per threshold window while the run stays open; a snooze moves
// the window, so the next nudge comes when the snooze ends. Each window is
// claimed once, so any number of replicas send it once.
import { nudgeMessage } from '../messages/nudge-message.js';
import { deliverOnce, emptySummary, type DeliverySummary } from './deliver-once.js';
import type { TickDeps } from './tick-deps.js';

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

export async function runNudgesTick(deps: TickDeps, now: Date): Promise<DeliverySummary> {
  const staleAfterMs = deps.config.nudges.staleAfterMs;
  if (!deps.notifier.enabled) return emptySummary();
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
  const due = runs.flatMap((run) => {
    const window = nudgeWindow(run, now, staleAfterMs);
    const channel = run.ownerSlackUserId ?? run.milestone?.slackChannelId ?? run.project.slackChannelId;
    return window && channel ? [{ run, window, channel }] : [];
  });
  return deliverOnce(
    deps,
    now,
    {
      due,
      what: 'nudge',
      about: ({ run }) => ({ runId: run.id }),
      deliver: ({ run, window, channel }, sendOnce) =>
        sendOnce({ kind: 'nudge', key: window }, async () => {
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
        }),
    },
    emptySummary(),
  );
}
