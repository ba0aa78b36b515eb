// Waive a defect: ship with it knowingly, for a reason, until a date. When the
// waiver expires the defect counts as open again.
import { INPUT_LIMITS as L } from '../../domain/input-limits.js';
import { VIEWS } from '../action-ids.js';
import { escape } from '../format.js';
import { dateInput, modal, note, textInput, type ModalContext, type ModalView } from './modal-shell.js';

export const WAIVE_FIELDS = { reason: 'reason', until: 'until' } as const;

export function waiveDefectModal(input: {
  defect: { title: string; severity: string; jiraKey: string | null };
  context: ModalContext;
}): ModalView {
  const d = input.defect;
  return modal(
    VIEWS.waiveDefect,
    'Waive a defect',
    [
      note(`${d.jiraKey ? `${escape(d.jiraKey)} ` : ''}*${escape(d.title)}* (${escape(d.severity)})`),
      textInput(WAIVE_FIELDS.reason, 'Why is shipping with it acceptable?', { multiline: true, maxLength: L.waiverReason }),
      dateInput(WAIVE_FIELDS.until, 'Waiver expires at the end of'),
    ],
    input.context,
    'Waive',
  );
}
