// Sign off a milestone: approve or reject, with a comment. The readiness of the
// moment is stored with it as evidence.
import { INPUT_LIMITS as L } from '../../domain/input-limits.js';
import type { Verdict } from '../../domain/types.js';
import { VIEWS } from '../action-ids.js';
import { badge, escape } from '../format.js';
import { modal, note, radioInput, textInput, type ModalContext, type ModalView } from './modal-shell.js';

export const SIGNOFF_FIELDS = { decision: 'decision', comment: 'comment' } as const;

export function signOffModal(input: {
  milestone: { projectKey: string; name: string };
  verdict: Verdict;
  context: ModalContext;
}): ModalView {
  return modal(
    VIEWS.signOff,
    'Sign off',
    [
      note(
        `*${escape(`${input.milestone.projectKey}/${input.milestone.name}`)}* is ${badge(input.verdict)} right now; that readiness is stored with your sign-off.`,
      ),
      radioInput(SIGNOFF_FIELDS.decision, 'Decision', [
        { value: 'APPROVE', label: 'Approve: ready to ship' },
        { value: 'REJECT', label: 'Reject: not ready' },
      ]),
      textInput(SIGNOFF_FIELDS.comment, 'Comment', {
        optional: true,
        multiline: true,
        maxLength: L.signoffComment,
        hint: 'Required when rejecting: say what must change.',
      }),
    ],
    input.context,
    'Sign off',
  );
}
