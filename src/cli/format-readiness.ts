// Readiness as terminal text, for `shipgate check` and `shipgate digest`.
// Pure functions over the REST API's readiness answer; plain text that reads
// the same in a CI log as on a terminal (no colours, no box drawing). Numbers,
// verdict words, orders and dates come from src/messages/format.ts, so the
// terminal says what Slack says; people appear by their user id.
import type { GateCheck, ReadinessMetrics, Reason } from '../domain/readiness.js';
import { checksWorstFirst, checkText } from '../domain/check-text.js';
import type { ChangedTest, Changes } from '../domain/changes.js';
import { changesSummary } from '../messages/changes-summary.js';
import type { ReasonSeverity, Severity, Verdict } from '../domain/types.js';
import {
  dueText,
  heaviestReasonFirst,
  percent,
  ratioPercent,
  utcMinute,
  VERDICT_MEANING,
  VERDICTS_WORST_FIRST,
  worstVerdictFirst,
} from '../messages/format.js';
import { cutText, stripControl } from '../messages/text-hygiene.js';
import { forecastLine } from '../messages/forecast-line.js';
import type { Forecast, ForecastUnavailable } from '../domain/forecast.js';
import type { BlockingDefect, FailingTest, MilestoneReport } from './milestone-report.js';

/** How many failing tests and blocking defects text and markdown name: `check` is about one milestone, a digest about many. */
export const SHOWN = { check: 10, digest: 5 } as const;

/** The part of GET …/milestones/{id}/readiness the CLI shows. */
export interface ReadinessAnswer {
  milestone: {
    id: string;
    name: string;
    projectKey: string;
    status: string;
    dueDate: string | null;
    timeZone: string;
    completedAt: string | null;
  };
  verdict: Verdict;
  reasons: Reason[];
  /** Every rule of the gate; absent from servers older than the checks. */
  checks?: GateCheck[];
  /** What changed since the moment asked for with --since. */
  changes?: Changes;
  /** When the gate would clear at the recent pace; absent from servers older than the forecast. */
  forecast?: Forecast | null;
  forecastUnavailable?: ForecastUnavailable | null;
  metrics: ReadinessMetrics;
  policy: { blockingSeverities: Severity[] };
  evaluatedAt: string;
}

const MARK: Record<ReasonSeverity, string> = { blocker: '[blocker]', risk: '[risk]   ', info: '[info]   ' };

function number(n: number): string {
  return n.toLocaleString('en-US');
}

export function milestoneLabel(r: ReadinessAnswer): string {
  return `${r.milestone.projectKey}/${r.milestone.name}`;
}

export function verdictLine(r: ReadinessAnswer): string {
  return `${r.verdict}  ${milestoneLabel(r)}: ${VERDICT_MEANING[r.verdict]}`;
}

/** Blockers first, then risks, then information; one reason per line. */
export function reasonLines(reasons: readonly Reason[]): string[] {
  return [...reasons].sort(heaviestReasonFirst).map((r) => `  ${MARK[r.severity]} ${r.message}`);
}

/**
 * A completed or archived milestone takes no new evidence, so its verdict is final
 * rather than live; a pipeline reading it should know. Null while the milestone is active.
 */
export function milestoneStateLine(r: ReadinessAnswer): string | null {
  const { name, status, completedAt } = r.milestone;
  if (status === 'COMPLETED')
    return `Milestone "${name}" is COMPLETED${completedAt ? ` (since ${utcMinute(completedAt)})` : ''}: the verdict is from its final state; reopen it to add results.`;
  // Archiving keeps no date of its own (completedAt is the completion's, if any), so no "since".
  if (status === 'ARCHIVED')
    return `Milestone "${name}" is ARCHIVED: the verdict is from its final state; an archived milestone takes no more results.`;
  return null;
}

/** A test's name or a defect's title on one line: no control characters or terminal codes, cut at a character boundary. */
export function oneLine(text: string, max = 200): string {
  return cutText(
    stripControl(text)
      .replace(/\s*\n\s*/g, ' ')
      .trim(),
    max,
  );
}

/** The first line of a failure message with text on it, cleaned and cut ("" without one). */
export function firstLine(message: string | null, max = 160): string {
  if (!message) return '';
  const line = stripControl(message)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ? cutText(line, max) : '';
}

/** What the failing tests come to beyond the ones shown: "…and 7 more (…)", or null when all are shown. */
export function moreTests(total: number, shown: number): string | null {
  return total > shown ? `…and ${number(total - shown)} more (--format json lists them all)` : null;
}

/** "staging, since CI #41, critical": where a failing test fails and since which run. */
export function failingTestWhere(t: FailingTest): string {
  return [t.environment, `since ${oneLine(t.since.name, 80)}`, t.critical ? 'critical' : null].filter(Boolean).join(', ');
}

/** The blocking defects, most severe first, the first `shown` of them; nothing when there are none. */
export function blockingDefectLines(defects: readonly BlockingDefect[] | undefined, shown: number): string[] {
  if (!defects?.length) return [];
  const lines = [`Blocking defects: ${number(defects.length)}`];
  for (const d of defects.slice(0, shown))
    lines.push(`  - ${d.severity}  ${d.jira?.key ? `${oneLine(d.jira.key, 50)} ` : ''}${oneLine(d.title)}`);
  if (defects.length > shown) lines.push(`  …and ${number(defects.length - shown)} more`);
  return lines;
}

/** The failing tests, the first `shown` of them with where, since when and the message's first line; nothing when none fail. */
export function failingTestLines(failing: MilestoneReport['failingTests'] | undefined, shown: number): string[] {
  if (failing === undefined) return [];
  if (failing === null) return ['Failing tests: not listed by this server (it has no GET …/tests; upgrade it to see them)'];
  if (failing.total === 0) return [];
  const tests = failing.tests.slice(0, shown);
  const lines = [`Failing tests: ${number(failing.total)}${failing.total > tests.length ? ` (first ${tests.length})` : ''}`];
  for (const t of tests) {
    const message = firstLine(t.message);
    lines.push(`  - ${oneLine(t.key)} [${failingTestWhere(t)}]${message ? `: ${message}` : ''}`);
  }
  const more = moreTests(failing.total, tests.length);
  if (more) lines.push(`  ${more}`);
  return lines;
}

/** What `shipgate check` prints. */
export function formatCheck(r: ReadinessAnswer | MilestoneReport, allowed: boolean): string {
  const state = milestoneStateLine(r);
  const forecast = forecastLine(r);
  const lines = [
    verdictLine(r),
    ...(state ? [state] : []),
    ...changesLines(r.changes, SHOWN.check),
    ...reasonLines(r.reasons),
    ...(forecast ? [forecast] : []),
  ];
  if ('blockingDefects' in r) lines.push(...blockingDefectLines(r.blockingDefects, SHOWN.check));
  if ('failingTests' in r) lines.push(...failingTestLines(r.failingTests, SHOWN.check));
  lines.push(...checkLines(r.checks));
  lines.push(
    allowed
      ? `Allowed: ${r.verdict} passes this gate.`
      : `Not allowed: ${r.verdict} does not pass this gate${r.verdict === 'GO' ? '' : ' (allow it with --allow ' + r.verdict + ')'}.`,
  );
  return lines.join('\n');
}

/** What changed since --since: the sentence, then the newly failing and newly passing tests by name (the first `shown`). */
export function changesLines(changes: Changes | undefined, shown: number): string[] {
  if (!changes) return [];
  const lines = [oneLine(changesSummary(changes), 500)];
  const list = (title: string, changed: Changes['tests']['newlyFailing']) => {
    if (!changed.total) return;
    const tests = changed.tests.slice(0, shown);
    lines.push(`  ${title}: ${number(changed.total)}${changed.total > tests.length ? ` (first ${tests.length})` : ''}`);
    for (const t of tests) lines.push(`    - ${oneLine(t.key)} [${changedTestWhere(t)}]`);
  };
  list('Newly failing', changes.tests.newlyFailing);
  list('Newly passing', changes.tests.newlyPassing);
  return lines;
}

/** "staging, run nightly #42, was PASSED": where a test changed, in which run, and what it was before. */
export function changedTestWhere(t: ChangedTest): string {
  return `${oneLine(t.environment, 80)}, run ${oneLine(t.run.name, 80)}, ${t.before ? `was ${t.before}` : 'new'}`;
}

/** Every check of the gate, failing first; the rules the gate does not apply are counted, not listed. */
export function checkLines(checks: readonly GateCheck[] | undefined): string[] {
  if (!checks?.length) return [];
  const applied = checksWorstFirst(checks).filter((c) => c.status !== 'n/a');
  const notApplied = checks.length - applied.length;
  const held = applied.filter((c) => c.status === 'pass').length;
  return [
    `Checks: ${held} of ${applied.length} held${notApplied ? ` (${notApplied} not applied)` : ''}`,
    ...applied.map((c) => `  ${CHECK_MARK[c.status]} ${oneLine(checkText(c))}`),
  ];
}

const CHECK_MARK: Record<GateCheck['status'], string> = { fail: '[fail]', risk: '[risk]', pass: '[ok]  ', 'n/a': '[n/a] ' };

export function passRateLine(m: ReadinessMetrics): string {
  if (m.executed === 0) return `no results executed yet${m.skipped ? ` (${number(m.skipped)} skipped)` : ''}`;
  const extras = [
    `${number(m.failed)} failed`,
    m.blocked ? `${number(m.blocked)} blocked` : null,
    m.skipped ? `${number(m.skipped)} skipped` : null,
    m.flaky ? `${number(m.flaky)} flaky` : null,
    // Absent from servers older than quarantine.
    m.quarantined ? `${number(m.quarantined)} quarantined failures left out` : null,
  ].filter(Boolean);
  return `${ratioPercent(m.passed, m.executed)} (${number(m.passed)}/${number(m.executed)} executed passed) · ${extras.join(' · ')}`;
}

export function dueLine(r: ReadinessAnswer): string {
  return `${dueText(r.milestone.dueDate, r.milestone.timeZone, r.metrics.daysLeft)}${r.milestone.dueDate ? ` · due risk ${r.metrics.dueRisk}` : ''}`;
}

/** One milestone's digest block. */
export function formatDigestEntry(r: ReadinessAnswer | MilestoneReport): string {
  const m = r.metrics;
  const blockers = r.reasons.filter((x) => x.severity === 'blocker');
  const risks = r.reasons.filter((x) => x.severity !== 'blocker');
  const lines = [
    `${milestoneLabel(r)}  —  ${r.verdict} (${VERDICT_MEANING[r.verdict]})`,
    ...changesLines(r.changes, SHOWN.digest).map((l) => `  ${l}`),
    `  Pass rate  ${passRateLine(m)}`,
  ];
  if (m.inScope !== null)
    lines.push(
      `  Scope      ${number(m.covered ?? 0)}/${number(m.inScope)} cases covered${m.untested.length ? ` · untested: ${m.untested.join(', ')}` : ''}`,
    );
  lines.push(`  Runs       ${number(m.runs.inProgress)} in progress, ${number(m.runs.completed)} completed`);
  for (const env of m.environments) {
    lines.push(
      `    ${env.name}: ${number(env.runs)} run${env.runs === 1 ? '' : 's'}, ${env.executed ? `${percent(env.passRate)} of ${number(env.executed)} passed` : 'nothing executed'}`,
    );
  }
  lines.push(`  Due        ${dueLine(r)}`);
  const forecast = forecastLine(r);
  if (forecast) lines.push(`  Forecast   ${forecast}`);
  lines.push(`  Blockers   ${blockers.length ? '' : 'none'}`.trimEnd());
  for (const b of blockers) lines.push(`    - ${b.message}`);
  if (risks.length) {
    lines.push('  Risks');
    for (const x of risks) lines.push(`    - ${x.message}`);
  }
  if ('blockingDefects' in r) lines.push(...blockingDefectLines(r.blockingDefects, SHOWN.digest).map((l) => `  ${l}`));
  if ('failingTests' in r) lines.push(...failingTestLines(r.failingTests, SHOWN.digest).map((l) => `  ${l}`));
  return lines.join('\n');
}

/** What `shipgate digest` prints: a header and one block per milestone, worst verdict first. */
export function formatDigest(projectKey: string, answers: readonly (ReadinessAnswer | MilestoneReport)[], now: Date): string {
  const header = `Shipgate digest for ${projectKey} — ${utcMinute(now)}`;
  if (!answers.length)
    return `${header}\n\nNo active milestones. Create one with /milestone create or POST /api/projects/${projectKey}/milestones.`;
  const sorted = [...answers].sort((a, b) => worstVerdictFirst(a.verdict, b.verdict) || a.milestone.name.localeCompare(b.milestone.name));
  const counts = VERDICTS_WORST_FIRST.map((v) => [v, answers.filter((a) => a.verdict === v).length] as const).filter(([, n]) => n > 0);
  return [
    header,
    `${answers.length} active milestone${answers.length === 1 ? '' : 's'}: ${counts.map(([v, n]) => `${n} ${v}`).join(', ')}`,
    '',
    sorted.map(formatDigestEntry).join('\n\n'),
  ].join('\n');
}
