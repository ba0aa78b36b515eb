// Readiness as terminal text, for `shipgate check` and `shipgate digest`.
// Pure functions over the REST API's readiness answer; plain text that reads
// the same in a CI log as on a terminal (no colours, no box drawing).
import { formatRatio, type ReadinessMetrics, type Reason } from '../domain/readiness.js';
import type { Verdict } from '../domain/types.js';

/** The part of GET …/milestones/{id}/readiness the CLI shows. */
export interface ReadinessAnswer {
  milestone: { name: string; projectKey: string; status: string; dueDate: string | null; timeZone: string };
  verdict: Verdict;
  reasons: Reason[];
  metrics: ReadinessMetrics;
  evaluatedAt: string;
}

const VERDICT_WORDS: Record<Verdict, string> = {
  GO: 'ready to ship',
  GO_WITH_RISKS: 'can ship, with risks',
  INSUFFICIENT_EVIDENCE: 'not enough evidence to decide',
  NO_GO: 'not ready to ship',
};

const MARK: Record<Reason['severity'], string> = { blocker: '[blocker]', risk: '[risk]   ', info: '[info]   ' };

function number(n: number): string {
  return n.toLocaleString('en-US');
}

export function milestoneLabel(r: ReadinessAnswer): string {
  return `${r.milestone.projectKey}/${r.milestone.name}`;
}

export function verdictLine(r: ReadinessAnswer): string {
  return `${r.verdict}  ${milestoneLabel(r)}: ${VERDICT_WORDS[r.verdict]}`;
}

/** Blockers first, then risks, then information; one reason per line. */
export function reasonLines(reasons: readonly Reason[]): string[] {
  const order = { blocker: 0, risk: 1, info: 2 } as const;
  return [...reasons].sort((a, b) => order[a.severity] - order[b.severity]).map((r) => `  ${MARK[r.severity]} ${r.message}`);
}

/** What `shipgate check` prints. */
export function formatCheck(r: ReadinessAnswer, allowed: boolean): string {
  const lines = [verdictLine(r), ...reasonLines(r.reasons)];
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
  return `${formatRatio(m.passed, m.executed)} (${number(m.passed)}/${number(m.executed)} executed passed) · ${extras.join(' · ')}`;
}

export function dueLine(r: ReadinessAnswer): string {
  const { dueDate, timeZone } = r.milestone;
  if (!dueDate) return 'no due date';
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(dueDate));
  const left = r.metrics.daysLeft;
  const when =
    left === null
      ? ''
      : left > 1
        ? ` (in ${left} days)`
        : left === 1
          ? ' (tomorrow)'
          : left === 0
            ? ' (today)'
            : ` (${-left} day${left === -1 ? '' : 's'} overdue)`;
  return `${day}${when} · due risk ${r.metrics.dueRisk}`;
}

/** One milestone's digest block. */
export function formatDigestEntry(r: ReadinessAnswer): string {
  const m = r.metrics;
  const blockers = r.reasons.filter((x) => x.severity === 'blocker');
  const risks = r.reasons.filter((x) => x.severity !== 'blocker');
  const lines = [`${milestoneLabel(r)}  —  ${r.verdict} (${VERDICT_WORDS[r.verdict]})`, `  Pass rate  ${passRateLine(m)}`];
  if (m.inScope !== null)
    lines.push(
      `  Scope      ${number(m.covered ?? 0)}/${number(m.inScope)} cases covered${m.untested.length ? ` · untested: ${m.untested.join(', ')}` : ''}`,
    );
  lines.push(`  Runs       ${number(m.runs.inProgress)} in progress, ${number(m.runs.completed)} completed`);
  for (const env of m.environments) {
    lines.push(
      `    ${env.name}: ${number(env.runs)} run${env.runs === 1 ? '' : 's'}, ${env.executed ? `${formatRatio(Math.round((env.passRate ?? 0) * env.executed), env.executed)} of ${number(env.executed)} passed` : 'nothing executed'}`,
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
  const rank: Record<Verdict, number> = { NO_GO: 0, INSUFFICIENT_EVIDENCE: 1, GO_WITH_RISKS: 2, GO: 3 };
  const header = `Shipgate digest for ${projectKey} — ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (!answers.length)
    return `${header}\n\nNo active milestones. Create one with /milestone create or POST /api/projects/${projectKey}/milestones.`;
  const sorted = [...answers].sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.milestone.name.localeCompare(b.milestone.name));
  const counts = (Object.keys(rank) as Verdict[])
    .map((v) => [v, answers.filter((a) => a.verdict === v).length] as const)
    .filter(([, n]) => n > 0);
  return [
    header,
    `${answers.length} active milestone${answers.length === 1 ? '' : 's'}: ${counts.map(([v, n]) => `${n} ${v}`).join(', ')}`,
    '',
    sorted.map(formatDigestEntry).join('\n\n'),
  ].join('\n');
}
