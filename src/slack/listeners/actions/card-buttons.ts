// The readiness card's buttons: Refresh re-renders the card in place; the
// others open their modal, carrying the card's channel and ts so the submission
// can update the same message.
import { refreshCard } from '../../card-publisher.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import { openComplete, openLinkRun, openReportDefect, openSignOff, openWaive } from '../../open-modals.js';
import type { SlackDeps } from '../../slack-deps.js';
import { button } from '../action-kit.js';

export const refreshCardAction = (deps: SlackDeps) =>
  button(deps, async (args, ctx) => {
    const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.value, hints: SLACK_HINTS });
    await refreshCard(deps, args.client, ctx, m.id);
  });

function modalButton(opener: typeof openSignOff) {
  return (deps: SlackDeps) =>
    button(deps, async (args, ctx) => {
      const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.value, hints: SLACK_HINTS });
      await opener(deps, args.client, ctx.triggerId, m, { c: ctx.channel, t: ctx.ts });
    });
}

export const signOffAction = modalButton(openSignOff);
export const reportDefectAction = modalButton(openReportDefect);
export const linkRunAction = modalButton(openLinkRun);
export const completeAction = modalButton(openComplete);

export const waiveDefectAction = (deps: SlackDeps) =>
  button(deps, async (args, ctx) => {
    await openWaive(deps, args.client, ctx.triggerId, {
      workspaceId: ctx.workspaceId,
      defectId: ctx.value ?? '',
      context: { c: ctx.channel, t: ctx.ts },
    });
  });
