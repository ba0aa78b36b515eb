// `/milestone create [name]`: project, name, description, due date, channel,
// pass-rate gate, required environments, required sign-offs.
import { INPUT_LIMITS as L } from '../../domain/input-limits.js';
import { VIEWS } from '../action-ids.js';
import { channelInput, dateInput, modal, selectInput, textInput, type ModalView } from './modal-shell.js';

export const CREATE_FIELDS = {
  project: 'project',
  name: 'name',
  description: 'description',
  dueDate: 'due_date',
  channel: 'channel',
  passRate: 'pass_rate',
  environments: 'environments',
  signoffs: 'signoffs',
} as const;

export interface CreateMilestoneModalInput {
  projects: { id: string; key: string; name: string }[];
  defaultProjectId?: string | null;
  name?: string | null;
  channelId?: string | null;
}

/** "95", "99.5%": a percentage needs no more. */
export const PASS_RATE_MAX_LENGTH = 8;
/** As many environment names as a gate may require, comma-separated. */
export const ENVIRONMENTS_MAX_LENGTH = 20 * (L.environmentName + 2);

export function createMilestoneModal(input: CreateMilestoneModalInput): ModalView {
  const f = CREATE_FIELDS;
  const initialProject = input.defaultProjectId ?? (input.projects.length === 1 ? input.projects[0]!.id : null);
  return modal(
    VIEWS.createMilestone,
    'New milestone',
    [
      selectInput(
        f.project,
        'Project',
        input.projects.map((p) => ({ value: p.id, label: `${p.key} — ${p.name}` })),
        { initial: initialProject },
      ),
      textInput(f.name, 'Name', { initial: input.name, placeholder: 'e.g. 2.4.0 or Sprint 12', maxLength: L.milestoneName }),
      textInput(f.description, 'Description', { multiline: true, optional: true, maxLength: L.milestoneDescription }),
      dateInput(f.dueDate, 'Due date', { optional: true }),
      channelInput(f.channel, 'Channel for reminders and digests', { initial: input.channelId }),
      textInput(f.passRate, 'Pass-rate gate (%)', {
        optional: true,
        placeholder: '95',
        maxLength: PASS_RATE_MAX_LENGTH,
        hint: 'The share of executed tests that must pass. Leave empty for the project default.',
      }),
      textInput(f.environments, 'Required environments', {
        optional: true,
        placeholder: 'staging, production',
        maxLength: ENVIRONMENTS_MAX_LENGTH,
        hint: 'Comma-separated; each needs executed results before GO.',
      }),
      textInput(f.signoffs, 'Required sign-offs', { optional: true, placeholder: '0', maxLength: 2 }),
    ],
    {},
    'Create',
  );
}
