// The stale-run nudge's buttons (the message itself is built by the nudge job):
// complete or abort the run, or snooze the nudge for 24 hours; the message is
// then replaced by what was done.
import { AppError } from '../../../domain/errors.js';
import { snoozeTestRun } from '../../../services/snooze-test-run.js';
import { updateTestRun } from '../../../services/update-test-run.js';
import type { SlackDeps } from '../../slack-deps.js';
import { nudgeOutcome, type NudgeOutcome } from '../../../messages/nudge-outcome.js';
import { button } from '../action-kit.js';

function nudgeButton(outcome: NudgeOutcome) {
  return (deps: SlackDeps) =>
    button(deps, async (args, ctx) => {
      const prisma = deps.db.prisma;
      const run = ctx.value
        ? await prisma.testRun.findFirst({ where: { id: ctx.value, project: { workspaceId: ctx.workspaceId } } })
        : null;
      if (!run) throw new AppError('NOT_FOUND', 'That test run no longer exists in this workspace.');
      let until: Date | undefined;
      if (outcome === 'snoozed') {
        until = (await snoozeTestRun(deps, { projectId: run.projectId, runId: run.id })).snoozedUntil ?? undefined;
      } else {
        await updateTestRun(deps, { projectId: run.projectId, runId: run.id, status: outcome === 'completed' ? 'COMPLETED' : 'ABORTED' });
      }
      const message = nudgeOutcome({ outcome, runName: run.name, userId: ctx.userId, until });
      if (ctx.channel && ctx.ts)
        await args.client.chat.update({ channel: ctx.channel, ts: ctx.ts, text: message.text, blocks: message.blocks });
    });
}

export const nudgeCompleteAction = nudgeButton('completed');
export const nudgeAbortAction = nudgeButton('aborted');
export const nudgeSnoozeAction = nudgeButton('snoozed');
