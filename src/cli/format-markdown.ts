// Readiness as GitHub-flavoured markdown for a CI job summary
// (`>> $GITHUB_STEP_SUMMARY`), for `shipgate check` and `shipgate digest
// --format markdown`. Small on purpose: the first few failing tests and
// defects, then "…and K more". Every piece of text from data (names, messages,
// reasons, which quote titles) is cut first and then escaped, so a test named
// `<img src=x>` or `**[click](…)**` shows as those characters and never as markup.
import { checksWorstFirst, checkText } from '../domain/check-text.js';
import { forecastLine } from '../messages/forecast-line.js';
import { changesSummary } from '../messages/changes-summary.js';
import {
  VERDICT_BADGE,
  VERDICT_LABEL,
  VERDICT_MEANING,
  heaviestReasonFirst,
  utcMinute,
  VERDICTS_WORST_FIRST,
  worstVerdictFirst,
} from '../messages/format.js';
import {
  SHOWN,
  changedTestWhere,
  dueLine,
  failingTestWhere,
  firstLine,
  milestoneLabel,
  milestoneStateLine,
  moreTests,
  oneLine,
  passRateLine,
  type ReadinessAnswer,
} from './format-readiness.js';
import type { MilestoneReport } from './milestone-report.js';

/**
 * Text as literal markdown: HTML's &, < and > as entities (no tag, comment or
 * autolink), and behind a backslash every mark that has a meaning anywhere in a
 * line: emphasis, code, link and image brackets, table pipes, strikethrough,
 * math and a heading's #; and a list marker at the start (- + 1. 1)), since
 * text from data may open a list item.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]#!|~$]/g, '\\$&')
    .replace(/^([-+])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Text from data on one line, cut, then escaped (a cut never splits an escape). */
function md(text: string, max = 200): string {
  return escapeMarkdown(oneLine(text, max));
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function section(title: string, items: string[]): string[] {
  return items.length ? ['', `**${title}**`, '', ...items.map((i) => `- ${i}`)] : [];
}

/** What changed since --since: the sentence, then the newly failing and newly passing tests (the first `shown`). */
function changesSection(changes: ReadinessAnswer['changes'], shown: number): string[] {
  if (!changes) return [];
  const items = (title: string, changed: NonNullable<ReadinessAnswer['changes']>['tests']['newlyFailing']) => {
    const tests = changed.tests.slice(0, shown).map((t) => `${title} **${md(t.key)}** (${md(changedTestWhere(t), 200)})`);
    if (changed.total > tests.length) tests.push(`…and ${changed.total - tests.length} more ${title.toLowerCase()}`);
    return tests;
  };
  const list = [...items('Newly failing', changes.tests.newlyFailing), ...items('Newly passing', changes.tests.newlyPassing)];
  return ['', md(changesSummary(changes), 500), ...(list.length ? ['', ...list.map((i) => `- ${i}`)] : [])];
}

/** One milestone: heading, pass rate, due date, reasons, blocking defects and the first failing tests. */
function milestoneBlock(r: ReadinessAnswer | MilestoneReport, shown: number, extra: string[] = []): string[] {
  const state = milestoneStateLine(r);
  const reasons = [...r.reasons].sort(heaviestReasonFirst);
  const lines = [
    `### ${VERDICT_BADGE[r.verdict]} ${VERDICT_LABEL[r.verdict]}: ${md(milestoneLabel(r))}`,
    '',
    `${capitalised(VERDICT_MEANING[r.verdict])}. ${extra.join(' ')}`.trim(),
    ...changesSection(r.changes, shown),
    '',
    `Pass rate: ${escapeMarkdown(passRateLine(r.metrics))}  `,
    `Due: ${escapeMarkdown(dueLine(r))}`,
    ...forecastLines(r),
    ...(state ? ['', md(state, 500)] : []),
    ...section(
      'Blockers',
      reasons.filter((x) => x.severity === 'blocker').map((x) => md(x.message, 500)),
    ),
    ...section(
      'Risks',
      reasons.filter((x) => x.severity !== 'blocker').map((x) => md(x.message, 500)),
    ),
  ];
  if ('blockingDefects' in r && r.blockingDefects.length) {
    const defects = r.blockingDefects
      .slice(0, shown)
      .map((d) => `**${d.severity}** ${d.jira?.key ? `${md(d.jira.key, 50)} ` : ''}${md(d.title)}`);
    if (r.blockingDefects.length > shown) defects.push(`…and ${r.blockingDefects.length - shown} more`);
    lines.push(...section(`Blocking defects (${r.blockingDefects.length})`, defects));
  }
  if ('failingTests' in r) {
    const failing = r.failingTests;
    if (failing === null) lines.push('', 'Failing tests are not listed by this server (it has no GET …/tests; upgrade it to see them).');
    else if (failing.total > 0) {
      const tests = failing.tests.slice(0, shown).map((t) => {
        const message = firstLine(t.message);
        return `**${md(t.key)}** (${md(failingTestWhere(t), 200)})${message ? `: ${escapeMarkdown(message)}` : ''}`;
      });
      const more = moreTests(failing.total, Math.min(shown, failing.tests.length));
      if (more) tests.push(escapeMarkdown(more));
      lines.push(...section(`Failing tests (${failing.total})`, tests));
    }
  }
  return lines;
}

/** The forecast line, when there is one to say (messages/forecast-line.ts). */
function forecastLines(r: ReadinessAnswer): string[] {
  const line = forecastLine(r);
  return line ? ['', escapeMarkdown(line)] : [];
}

const CHECK_ICON = { fail: '❌', risk: '⚠️', pass: '✅', 'n/a': '➖' } as const;

/** Every check of the gate as a table, failing first: rule, status, and the value against its gate in words. */
function checksTable(checks: ReadinessAnswer['checks']): string[] {
  if (!checks?.length) return [];
  const held = checks.filter((c) => c.status === 'pass').length;
  const applied = checks.filter((c) => c.status !== 'n/a').length;
  return [
    '',
    `**Checks** (${held} of ${applied} held)`,
    '',
    '| | Rule | Value |',
    '|---|---|---|',
    ...checksWorstFirst(checks).map((c) => `| ${CHECK_ICON[c.status]} | ${c.rule} | ${md(checkText(c))} |`),
  ];
}

/** `shipgate check --format markdown`. */
export function markdownCheck(r: ReadinessAnswer | MilestoneReport, allowed: boolean): string {
  const gate = allowed
    ? `**Allowed**: ${r.verdict} passes this gate.`
    : `**Not allowed**: ${r.verdict} does not pass this gate${r.verdict === 'GO' ? '' : ` (allow it with \`--allow ${r.verdict}\`)`}.`;
  return [...milestoneBlock(r, SHOWN.check, [gate]), ...checksTable(r.checks)].join('\n');
}

/** `shipgate digest --format markdown`: a header, then each milestone, worst verdict first. */
export function markdownDigest(projectKey: string, answers: readonly (ReadinessAnswer | MilestoneReport)[], now: Date): string {
  const header = `## Shipgate digest for ${md(projectKey, 20)}`;
  if (!answers.length) return `${header}\n\n${utcMinute(now)}: no active milestones.`;
  const sorted = [...answers].sort((a, b) => worstVerdictFirst(a.verdict, b.verdict) || a.milestone.name.localeCompare(b.milestone.name));
  const counts = VERDICTS_WORST_FIRST.map((v) => [v, answers.filter((a) => a.verdict === v).length] as const).filter(([, n]) => n > 0);
  const summary = `${utcMinute(now)} · ${answers.length} active milestone${answers.length === 1 ? '' : 's'}: ${counts.map(([v, n]) => `${n} ${VERDICT_LABEL[v]}`).join(', ')}`;
  return [header, '', escapeMarkdown(summary), ...sorted.flatMap((r) => ['', ...milestoneBlock(r, SHOWN.digest)])].join('\n');
}
