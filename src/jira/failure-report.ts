// Tells the milestone's channel that Jira work stopped for good (400/401/403/
// 404), with what to change so it works. Best effort: the outbox row keeps
// the error whether or not the message gets through. The text itself is built
// by src/messages/jira-failure-notice.ts.
import type { JiraDeps } from './jira-deps.js';

export async function reportFailure(deps: JiraDeps, defectId: string, text: string): Promise<boolean> {
  const defect = await deps.db.prisma.defect.findUnique({ where: { id: defectId }, include: { milestone: true, project: true } });
  const channel = defect ? (defect.milestone?.slackChannelId ?? defect.project.slackChannelId) : null;
  if (!defect || !channel) {
    deps.logger.warn({ defectId, text }, 'Jira failure not reported: no Slack channel for the milestone or project');
    return false;
  }
  try {
    await deps.notifier.post({ workspaceId: defect.project.workspaceId, channel, text });
    return true;
  } catch (err) {
    deps.logger.error({ err, defectId }, 'could not report a Jira failure to Slack');
    return false;
  }
}
