// Complete a milestone. Allowed when the verdict is GO or GO with risks;
// otherwise only with an override whose reason is recorded.
import { INPUT_LIMITS as L } from '../../domain/input-limits.js';
import type { Reason } from '../../domain/readiness.js';
import type { Verdict } from '../../domain/types.js';
import { VIEWS } from '../action-ids.js';
import { badge, escape, reasonMrkdwn } from '../format.js';
import { modal, note, textInput, type ModalContext, type ModalView } from './modal-shell.js';

export const COMPLETE_FIELDS = { reason: 'override_reason' } as const;

export function needsOverride(verdict: Verdict): boolean {
  return verdict !== 'GO' && verdict !== 'GO_WITH_RISKS';
}

export function completeModal(input: {
  milestone: { projectKey: string; name: string };
  verdict: Verdict;
  reasons: Pick<Reason, 'message' | 'userIds'>[];
  context: ModalContext;
}): ModalView {
  const title = escape(`${input.milestone.projectKey}/${input.milestone.name}`);
  const blocks = needsOverride(input.verdict)
    ? [
        note(
          `*${title}* is ${badge(input.verdict)}:\n${input.reasons
            .slice(0, 5)
            .map((r) => `• ${reasonMrkdwn(r)}`)
            .join('\n')}`,
        ),
        textInput(COMPLETE_FIELDS.reason, 'Override reason', {
          multiline: true,
          maxLength: L.overrideReason,
          hint: 'Completing against the gate is recorded with this reason.',
        }),
      ]
    : [note(`*${title}* is ${badge(input.verdict)}. Complete it? It leaves reminders and digests.`)];
  return modal(VIEWS.complete, 'Complete milestone', blocks, input.context, 'Complete');
}
