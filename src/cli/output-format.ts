// `--format text|json|markdown` for `shipgate check` and `shipgate digest`.
import { Option } from 'commander';

export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function formatOption(): Option {
  return new Option(
    '--format <format>',
    'text for a terminal or CI log, json for machines (every failing test), markdown for a CI job summary ($GITHUB_STEP_SUMMARY)',
  )
    .choices(OUTPUT_FORMATS)
    .default('text');
}
