// Readiness as terminal text, for `shipgate check` and `shipgate digest`.
// Pure functions over the REST API's readiness answer; plain text that reads
// the same in a CI log as on a terminal (no colours, no box drawing). Numbers,
// verdict words, orders and dates come from src/messages/format.ts, so the
// terminal says what Slack says; people appear by their user id.
import type { ReadinessMetrics, Reason } from '../domain/readiness.js';
import type { ReasonSeverity, Verdict } from '../domain/types.js';
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

/** The part of GET …/milestones/{id}/readiness the CLI shows. */
export interface ReadinessAnswer {
  milestone: {
    name: string;
    projectKey: string;
    status: string;
    dueDate: string | null;
    timeZone: string;
    completedAt: string | null;
  };
  verdict: Verdict;
  reasons: Reason[];
  metrics: ReadinessMetrics;
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

/** What `shipgate check` prints. */
export function formatCheck(r: ReadinessAnswer, allowed: boolean): string {
  const state = milestoneStateLine(r);
  const lines = [verdictLine(r), ...(state ? [state] : []), ...reasonLines(r.reasons)];
  lines.push(
    allowed
      ? `Allowed: ${r.verdict} passes this gate.`
      : `Not allowed: ${r.verdict} does not pass this gate${r.verdict === 'GO' ? '' : ' (allow it with --allow ' + r.verdict + ')'}.`,
  );
  return lines.join('\n');
}

export function passRateLine(m: ReadinessMetrics): string {
  if (m.executed === 0) return `no results executed yet${m.skipped ? ` (${number(m.skipped)} skipped)` : ''}`;
  const extras = [
    `${number(m.failed)} failed`,
    m.blocked ? `${number(m.blocked)} blocked` : null,
    m.skipped ? `${number(m.skipped)} skipped` : null,
    m.flaky ? `${number(m.flaky)} flaky` : null,
  ].filter(Boolean);
  return `${ratioPercent(m.passed, m.executed)} (${number(m.passed)}/${number(m.executed)} executed passed) · ${extras.join(' · ')}`;
}

export function dueLine(r: ReadinessAnswer): string {
  return `${dueText(r.milestone.dueDate, r.milestone.timeZone, r.metrics.daysLeft)}${r.milestone.dueDate ? ` · due risk ${r.metrics.dueRisk}` : ''}`;
}

/** One milestone's digest block. */
export function formatDigestEntry(r: ReadinessAnswer): string {
  const m = r.metrics;
  const blockers = r.reasons.filter((x) => x.severity === 'blocker');
  const risks = r.reasons.filter((x) => x.severity !== 'blocker');
  const lines = [`${milestoneLabel(r)}  —  ${r.verdict} (${VERDICT_MEANING[r.verdict]})`, `  Pass rate  ${passRateLine(m)}`];
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
  lines.push(`  Blockers   ${blockers.length ? '' : 'none'}`.trimEnd());
  for (const b of blockers) lines.push(`    - ${b.message}`);
  if (risks.length) {
    lines.push('  Risks');
    for (const x of risks) lines.push(`    - ${x.message}`);
  }
  return lines.join('\n');
}

/** What `shipgate digest` prints: a header and one block per milestone, worst verdict first. */
export function formatDigest(projectKey: string, answers: readonly ReadinessAnswer[], now: Date): string {
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
