// The GitHub Action's job summary ($GITHUB_STEP_SUMMARY): the upload and the gate as Markdown.
// Pure. Every piece of text from data (milestone names, reasons, file names, server messages) is escaped,
// so a test name or a reason can never become a link, a heading, a table cell break or HTML.
import { heaviestReasonFirst, VERDICT_BADGE, VERDICT_MEANING } from '../messages/format.js';
import type { GateAnswer } from './check-milestone.js';
import { milestoneStateLine, passRateLine } from './format-readiness.js';
import type { ReportResult } from './upload-reports.js';

export interface JobSummary {
  project: string;
  milestone: string;
  report?: ReportResult;
  gate?: GateAnswer;
  /** Why the step could not finish (the server's or the input's message). */
  error?: string;
}

/** Markdown-inert text: HTML's three characters as entities, Markdown's punctuation backslash-escaped, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~:]/g, (c) => `\\${c}`)
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

export function formatJobSummary(s: JobSummary): string {
  const where = escapeMarkdown(`${s.project}/${s.milestone}`);
  const lines: string[] = [];
  const gate = s.gate;
  if (gate) {
    const r = gate.readiness;
    lines.push(`### ${VERDICT_BADGE[r.verdict]} Shipgate: ${where} is ${r.verdict.replace(/_/g, ' ')}`, '');
    lines.push(`${escapeMarkdown(VERDICT_MEANING[r.verdict])}. Pass rate ${escapeMarkdown(passRateLine(r.metrics))}.`, '');
    const state = milestoneStateLine(r);
    if (state) lines.push(`${escapeMarkdown(state)}`, '');
    lines.push(
      gate.allowed
        ? `**Allowed**: ${r.verdict} passes this gate.`
        : `**Not allowed**: ${r.verdict} does not pass this gate${r.verdict === 'GO' ? '' : ` (allow it with \`allow: ${r.verdict}\`)`}.`,
      '',
    );
    if (r.reasons.length) {
      for (const reason of [...r.reasons].sort(heaviestReasonFirst))
        lines.push(`- **${reason.severity}** ${escapeMarkdown(reason.message)}`);
      lines.push('');
    }
  } else {
    lines.push(`### Shipgate: ${where}`, '');
  }
  if (s.report) {
    lines.push(`**Upload**: ${escapeMarkdown(s.report.summary)}`, '');
    if (s.report.failures.length) lines.push(`Files not stored: ${s.report.failures.map(escapeMarkdown).join(', ')}`, '');
  }
  if (s.error) lines.push(`**Error**: ${escapeMarkdown(s.error)}`, '');
  return lines.join('\n');
}
