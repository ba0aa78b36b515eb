// `/milestone scope`: the test cases that must run for the milestone, as exact
// keys or patterns, with a preview of how many of the project's cases match.
import { ACTIONS, VIEWS } from '../action-ids.js';
import { escape } from '../format.js';
import { clip, LIMITS } from '../limits.js';
import { modal, note, textInput, type ModalContext, type ModalView } from './modal-shell.js';

export const SCOPE_FIELDS = { patterns: 'patterns', preview: 'preview' } as const;

/** The most a Slack text input holds (its max_length cannot be higher): a longer scope is not edited here. */
export const SCOPE_INPUT_MAX = LIMITS.textInput;
const LISTED_WHEN_TOO_LONG = 10;

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
  const name = escape(clip(`${input.milestone.projectKey}/${input.milestone.name}`, 500));
  const text = input.patterns.join('\n');
  // A scope Slack's input cannot hold whole is never put in it: cut, then saved, it would lose patterns.
  if (text.length > SCOPE_INPUT_MAX) {
    const first = input.patterns.slice(0, LISTED_WHEN_TOO_LONG).map((p) => `• \`${escape(clip(p, 200))}\``);
    return modal(
      VIEWS.scope,
      'Milestone scope',
      [
        note(
          `The scope of *${name}* has ${input.patterns.length} keys and patterns (${text.length} characters), more than a Slack form can edit (${SCOPE_INPUT_MAX}). ` +
            `Edit it through the REST API: \`PATCH /api/milestones/${escape(input.context.m ?? '<id>')}\` with \`{ "scope": { "include": [...] } }\`. Saving this form changes nothing.`,
        ),
        note(
          `First ${first.length}:\n${first.join('\n')}${input.patterns.length > first.length ? `\n…and ${input.patterns.length - first.length} more` : ''}`,
        ),
        { ...note(scopePreviewText(input.preview, input.patterns)), block_id: SCOPE_FIELDS.preview },
      ],
      input.context,
    );
  }
  return modal(
    VIEWS.scope,
    'Milestone scope',
    [
      note(
        `The test cases that must run for *${name}*. One per line: a case key (\`checkout::pays-by-card\`) or a pattern (\`checkout::*\`, \`billing › *\`). Empty = no scope.`,
      ),
      textInput(SCOPE_FIELDS.patterns, 'Cases and patterns', {
        initial: text,
        multiline: true,
        optional: true,
        dispatch: ACTIONS.scopePreview,
        maxLength: SCOPE_INPUT_MAX,
      }),
      { ...note(scopePreviewText(input.preview, input.patterns)), block_id: SCOPE_FIELDS.preview },
    ],
    input.context,
  );
}
