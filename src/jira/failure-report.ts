// Tells the milestone's channel that Jira work stopped for good (400/401/403/
// 404), with what to change so it works. Best effort: the outbox row keeps
// the error whether or not the message gets through. The text itself is built
// by src/messages/jira-failure-notice.ts. A defect of a milestone whose channel
// has threads on (the default) is told in the thread of the milestone's living
// message (SPEC §11): the line is queued for the living tick.
import { threadsOn } from '../db/living-messages.js';
import { enqueue, OUTBOX } from '../db/outbox.js';
import type { JiraDeps } from './jira-deps.js';

/** `key` names this failure (once per key); `now` is when it happened. */
export async function reportFailure(deps: JiraDeps, defectId: string, text: string, failure: { key: string; now: Date }): Promise<boolean> {
  const defect = await deps.db.prisma.defect.findUnique({ where: { id: defectId }, include: { milestone: true, project: true } });
  const channel = defect ? defect.milestone?.slackChannelId || defect.project.slackChannelId : null;
  if (!defect || !channel) {
    deps.logger.warn({ defectId, text }, 'Jira failure not reported: no Slack channel for the milestone or project');
    return false;
  }
  try {
    if (defect.milestoneId && (await threadsOn(deps.db.prisma, defect.project.workspaceId, channel))) {
      const event = { kind: 'jira', milestoneId: defect.milestoneId, defectId, text } as const;
      await enqueue(deps.db.prisma, OUTBOX.livingEvent(event, `failed:${failure.key}`, failure.now));
      return true;
    }
    await deps.notifier.post({ workspaceId: defect.project.workspaceId, channel, text });
    return true;
  } catch (err) {
    deps.logger.error({ err, defectId }, 'could not report a Jira failure to Slack');
    return false;
  }
}
