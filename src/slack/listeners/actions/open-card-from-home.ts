// The Home tab's "Card" button: the readiness card, sent to the person as a DM.
import { postCard } from '../../card-publisher.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import type { SlackDeps } from '../../slack-deps.js';
import { button } from '../action-kit.js';

export const openCardFromHomeAction = (deps: SlackDeps) =>
  button(deps, async (args, ctx) => {
    const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.value, hints: SLACK_HINTS });
    await postCard(deps, args.client, ctx.userId, m.id);
  });
