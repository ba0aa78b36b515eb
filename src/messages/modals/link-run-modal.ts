// `/milestone link` and the card's Link run button: attach an existing run, or
// start a manual run with a name and an environment.
import { INPUT_LIMITS as L } from '../../domain/input-limits.js';
import { VIEWS } from '../action-ids.js';
import { escape } from '../format.js';
import { modal, note, selectInput, textInput, type ModalContext, type ModalView } from './modal-shell.js';

export const LINK_FIELDS = { existing: 'existing_run', name: 'run_name', environment: 'environment' } as const;

export interface LinkRunModalInput {
  milestone: { projectKey: string; name: string };
  /** Runs of the project not attached to this milestone yet, newest first. */
  runs: { id: string; name: string; environment: string | null; status: string }[];
  environments: string[];
  context: ModalContext;
}

export function linkRunModal(input: LinkRunModalInput): ModalView {
  const f = LINK_FIELDS;
  const blocks = [
    note(
      `Attach a run to *${escape(`${input.milestone.projectKey}/${input.milestone.name}`)}*: pick an existing one, or name a new manual run.`,
    ),
  ];
  if (input.runs.length) {
    blocks.push(
      selectInput(
        f.existing,
        'Existing run',
        input.runs.map((r) => ({
          value: r.id,
          label: `${r.name}${r.environment ? ` (${r.environment})` : ''} · ${r.status.toLowerCase().replace('_', ' ')}`,
        })),
        { optional: true },
      ),
    );
  }
  blocks.push(
    textInput(f.name, 'Or start a manual run named', { optional: true, placeholder: 'e.g. Exploratory pass, iOS', maxLength: L.runName }),
    textInput(f.environment, 'Environment', {
      optional: true,
      placeholder: input.environments.length ? input.environments.slice(0, 5).join(', ') : 'staging',
      hint: 'Created on first use.',
      maxLength: L.environmentName,
    }),
  );
  return modal(VIEWS.linkRun, 'Link a test run', blocks, input.context, 'Link');
}
