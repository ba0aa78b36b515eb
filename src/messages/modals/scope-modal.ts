// `/milestone scope`: the test cases that must run for the milestone, as exact
// keys or patterns, with a preview of how many of the project's cases match.
import { ACTIONS, VIEWS } from '../action-ids.js';
import { escape } from '../format.js';
import { modal, note, textInput, type ModalContext, type ModalView } from './modal-shell.js';

export const SCOPE_FIELDS = { patterns: 'patterns', preview: 'preview' } as const;

export interface ScopeModalInput {
  milestone: { projectKey: string; name: string };
  patterns: string[];
  preview: { matching: number; total: number; sample: string[] };
  context: ModalContext;
}

export function scopePreviewText(preview: ScopeModalInput['preview'], patterns: string[]): string {
  if (patterns.length === 0) return `No scope: every case that runs counts. The project has ${preview.total} test cases.`;
  const sample = preview.sample.length ? ` e.g. ${preview.sample.map((k) => `\`${escape(k)}\``).join(', ')}` : '';
  return `:mag: ${preview.matching} of ${preview.total} test cases match${sample}`;
}

export function scopeModal(input: ScopeModalInput): ModalView {
  return modal(
    VIEWS.scope,
    'Milestone scope',
    [
      note(
        `The test cases that must run for *${escape(`${input.milestone.projectKey}/${input.milestone.name}`)}*. One per line: a case key (\`checkout::pays-by-card\`) or a pattern (\`checkout::*\`, \`billing › *\`). Empty = no scope.`,
      ),
      textInput(SCOPE_FIELDS.patterns, 'Cases and patterns', {
        initial: input.patterns.join('\n'),
        multiline: true,
        optional: true,
        dispatch: ACTIONS.scopePreview,
      }),
      { ...note(scopePreviewText(input.preview, input.patterns)), block_id: SCOPE_FIELDS.preview },
    ],
    input.context,
  );
}
