// Quarantine a flaky test from the readiness card (SPEC §10): its failures leave
// the pass rate of every milestone of the project, for a reason, until a day.
import { INPUT_LIMITS as L } from '../../domain/input-limits.js';
import { VIEWS } from '../action-ids.js';
import { escape } from '../format.js';
import { clip } from '../limits.js';
import { dateInput, modal, note, textInput, type ModalContext, type ModalView } from './modal-shell.js';

export const QUARANTINE_FIELDS = { reason: 'reason', until: 'until' } as const;

export function quarantineTestModal(input: {
  testCase: { key: string; title: string };
  projectKey: string;
  context: ModalContext;
}): ModalView {
  const c = input.testCase;
  return modal(
    VIEWS.quarantineTest,
    'Quarantine a test',
    [
      note(
        `*${escape(clip(c.title, 300))}* (\`${escape(clip(c.key, 500))}\`) of ${escape(input.projectKey)}: ` +
          'its failures will be left out of the pass rate of every milestone of the project, and shown as a risk, until the day you pick.',
      ),
      textInput(QUARANTINE_FIELDS.reason, 'Why may its failures be left out for now?', { multiline: true, maxLength: L.quarantineReason }),
      dateInput(QUARANTINE_FIELDS.until, 'Quarantine ends at the end of'),
    ],
    input.context,
    'Quarantine',
  );
}
