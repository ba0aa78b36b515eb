// The stale-run nudge's buttons (the message itself is built by the nudge job):
// complete or abort the run, or snooze the nudge for 24 hours; the message is
// then replaced by what was done.
import { answerRunNudge } from '../../../services/answer-run-nudge.js';
import type { SlackDeps } from '../../slack-deps.js';
import { nudgeOutcome, type NudgeOutcome } from '../../../messages/nudge-outcome.js';
import { button } from '../action-kit.js';

function nudgeButton(outcome: NudgeOutcome) {
  return (deps: SlackDeps) =>
    button(deps, async (args, ctx) => {
      const { runName, snoozedUntil } = await answerRunNudge(deps, {
        workspaceId: ctx.workspaceId,
        runId: ctx.value,
        answer: outcome,
        actor: ctx.actor,
      });
      const message = nudgeOutcome({ outcome, runName, userId: ctx.userId, until: snoozedUntil });
      if (ctx.channel && ctx.ts)
        await args.client.chat.update({ channel: ctx.channel, ts: ctx.ts, text: message.text, blocks: message.blocks });
    });
}

export const nudgeCompleteAction = nudgeButton('completed');
export const nudgeAbortAction = nudgeButton('aborted');
export const nudgeSnoozeAction = nudgeButton('snoozed');
