// "Resolved but still failing" told in the channel, once (SPEC §10): every tick
// looks for the active milestones' resolved defects whose linked test fails in a
// run that started after the resolution (db/resolved-still-failing.ts) and
// posts one line per defect and resolution to the milestone's channel (the
// project's without one). The claim key is the defect and when it was
// resolved, so a defect reopened, resolved again and failing again is told
// again, and nothing is told twice by any number of replicas. With threads on
// in that channel (the default), the line is a reply in the thread of the
// milestone's living message (SPEC §11): the claim then queues it for the
// living tick, whose outbox key keeps it once as well.
import { threadsOn } from '../db/living-messages.js';
import { enqueue, OUTBOX } from '../db/outbox.js';
import { findResolvedStillFailing, type ResolvedStillFailing } from '../db/resolved-still-failing.js';
import { resolvedFailingNoticeText, type ResolvedFailingNotice } from '../messages/resolved-failing-notice.js';
import { deliverOnce, emptySummary, type DeliverySummary } from './deliver-once.js';
import type { TickDeps } from './tick-deps.js';

export const RESOLVED_FAILING_CLAIM = 'resolved-still-failing';

export async function runResolvedFailingTick(deps: TickDeps, now: Date): Promise<DeliverySummary> {
  if (!deps.notifier.enabled) return emptySummary();
  const found = await findResolvedStillFailing(deps.db, { activeMilestones: true });
  if (!found.length) return emptySummary();
  const milestones = await deps.db.prisma.milestone.findMany({
    where: { id: { in: [...new Set(found.map((f) => f.milestoneId))] } },
    select: { id: true, name: true, slackChannelId: true, project: { select: { key: true, workspaceId: true, slackChannelId: true } } },
  });
  const byId = new Map(milestones.map((m) => [m.id, m]));
  const due = found.flatMap((f) => {
    const m = byId.get(f.milestoneId);
    const channel = m ? m.slackChannelId || m.project.slackChannelId : null;
    return m && channel ? [{ f, m, channel }] : [];
  });
  return deliverOnce(
    deps,
    now,
    {
      due,
      what: 'resolved-still-failing notice',
      about: ({ f }) => ({ defectId: f.defectId, milestoneId: f.milestoneId }),
      deliver: ({ f, m, channel }, sendOnce) =>
        sendOnce({ kind: RESOLVED_FAILING_CLAIM, key: `${f.defectId}:${f.resolvedAt.toISOString()}` }, async () => {
          if (await threadsOn(deps.db.prisma, m.project.workspaceId, channel)) {
            const resolvedAt = f.resolvedAt.toISOString();
            const event = { kind: 'resolved.failing', milestoneId: m.id, defectId: f.defectId, resolvedAt } as const;
            await enqueue(deps.db.prisma, OUTBOX.livingEvent(event, `${f.defectId}:${resolvedAt}`, now));
            return;
          }
          const text = resolvedFailingNoticeText(resolvedFailingNotice(m.project.key, m.name, f));
          await deps.notifier.post({ workspaceId: m.project.workspaceId, channel, text });
        }),
    },
    emptySummary(),
  );
}

/** What the notice says of one finding (the channel line and the living thread's reply alike). */
export function resolvedFailingNotice(projectKey: string, milestoneName: string, f: ResolvedStillFailing): ResolvedFailingNotice {
  return {
    projectKey,
    milestoneName,
    defectTitle: f.defectTitle,
    jiraKey: f.jiraKey,
    testKey: f.testKey,
    testTitle: f.testTitle,
    environment: f.environment,
    runName: f.runName,
    resolvedAt: f.resolvedAt,
  };
}
