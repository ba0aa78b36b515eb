// The readiness card's buttons: Refresh re-renders the card in place; the
// others open their modal, carrying the card's channel and ts so the submission
// can update the same message. Open report is a link: Slack opens it itself.
import { refreshCard } from '../../card-publisher.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import { openComplete, openLinkRun, openQuarantine, openReportDefect, openSignOff, openWaive } from '../../open-modals.js';
import type { SlackDeps } from '../../slack-deps.js';
import { button, type ButtonArgs } from '../action-kit.js';
import { requireApprover } from '../../approval.js';
import type { ApprovalAction } from '../../../domain/approvers.js';
import { getReadiness } from '../../../services/get-readiness.js';
import { getWorkspaceDefect } from '../../../services/get-workspace-defect.js';
import { needsOverride } from '../../../messages/modals/complete-modal.js';

export const refreshCardAction = (deps: SlackDeps) =>
  button(deps, async (args, ctx) => {
    const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.value, hints: SLACK_HINTS });
    await refreshCard(deps, args.client, ctx, m.id);
  });

type MilestoneOf = Awaited<ReturnType<typeof milestoneInWorkspace>>;

/**
 * A button that opens a modal; `approval` says what only the project's approvers may do
 * with it (when it has them), checked before the modal opens.
 */
function modalButton(opener: typeof openSignOff, approval?: (deps: SlackDeps, m: MilestoneOf) => Promise<ApprovalAction | null>) {
  return (deps: SlackDeps) =>
    button(deps, async (args, ctx) => {
      const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.value, hints: SLACK_HINTS });
      const action = approval ? await approval(deps, m) : null;
      if (action) await requireApprover(deps, args.client, { project: m.project, userId: ctx.userId, action });
      await opener(deps, args.client, ctx.triggerId, m, { c: ctx.channel, t: ctx.ts });
    });
}

export const signOffAction = modalButton(openSignOff, async () => 'signoff');
export const reportDefectAction = modalButton(openReportDefect);
export const linkRunAction = modalButton(openLinkRun);
// Completing a milestone that is GO (or GO with risks) is anyone's; against the gate it is an approver's.
export const completeAction = modalButton(openComplete, async (deps, m) =>
  m.status === 'ACTIVE' && needsOverride((await getReadiness(deps, m.id)).verdict) ? 'override' : null,
);

export const waiveDefectAction = (deps: SlackDeps) =>
  button(deps, async (args, ctx) => {
    const defect = await getWorkspaceDefect(deps, { workspaceId: ctx.workspaceId, defectId: ctx.value ?? '' });
    await requireApprover(deps, args.client, { project: defect.project, userId: ctx.userId, action: 'waive' });
    await openWaive(deps, args.client, ctx.triggerId, {
      workspaceId: ctx.workspaceId,
      defectId: ctx.value ?? '',
      context: { c: ctx.channel, t: ctx.ts },
    });
  });

/** Slack opens a link button's URL itself and still sends the click: acked, nothing else to do. */
export const openReportAction = () => async (args: ButtonArgs) => {
  await args.ack();
};

/**
 * A Quarantine button beside a flaky test on the card (value "milestoneId:caseId"):
 * with approvers set only they may (as `/milestone quarantine`), checked before the modal opens.
 */
export const quarantineFlakyAction = (deps: SlackDeps) =>
  button(deps, async (args, ctx) => {
    const [milestoneId, caseId] = (ctx.value ?? '').split(':');
    const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId, hints: SLACK_HINTS });
    await requireApprover(deps, args.client, { project: m.project, userId: ctx.userId, action: 'quarantine' });
    await openQuarantine(deps, args.client, ctx.triggerId, { milestone: m, caseId: caseId ?? '', context: { c: ctx.channel, t: ctx.ts } });
  });
