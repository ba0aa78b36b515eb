// App Home: the workspace's active milestones with their verdicts, published
// each time someone opens the tab. Events are acked by Bolt on receipt; a
// retried delivery of the same event (X-Slack-Retry-Num) is skipped.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { claimSlackEvent } from '../../../db/slack-event-claims.js';
import { listWorkspaceMilestones } from '../../../services/list-workspace-milestones.js';
import type { SlackDeps } from '../../slack-deps.js';
import { appHome } from '../../../messages/app-home.js';
import { workspaceIdOf } from '../../workspace-middleware.js';

const SHOWN = 40;

export const appHomeOpened = (deps: SlackDeps) => async (args: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
  const { event, body, client, context } = args;
  if (event.tab && event.tab !== 'home') return;
  const eventId = (body as { event_id?: string }).event_id;
  const workspaceId = workspaceIdOf(context);
  deps.afterAck.run(async () => {
    if (eventId && !(await claimSlackEvent(deps.db, { eventId, by: 'app_home_opened', at: deps.now() }))) {
      deps.logger.debug({ eventId, retryNum: context.retryNum }, 'duplicate Slack event skipped');
      return;
    }
    const { items, total } = await listWorkspaceMilestones(deps, { workspaceId, statuses: ['ACTIVE'], limit: SHOWN });
    await client.views.publish({ user_id: event.user, view: appHome(items, { total, evaluatedAt: deps.now().toISOString() }) });
  });
};
