// What the administration commands print: plain text that reads the same in a
// terminal and a log, one row per line with aligned columns. Pure functions;
// numbers, verdict words and dates come from src/messages/format.ts, so the
// terminal says what Slack says. `--json` prints the use cases' data instead.
import type { ReadinessView } from '../services/get-readiness.js';
import type { WorkspaceMilestone } from '../services/list-workspace-milestones.js';
import type { MilestoneView } from '../services/milestone-view.js';
import { dueText, gatePercent, passRateText, utcMinute, VERDICT_MEANING } from '../messages/format.js';
import { reasonLines } from './format-readiness.js';

/** Rows as aligned columns under a header; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const day = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 10) : '—');

export interface ProjectRow {
  id: string;
  key: string;
  name: string;
  slackChannelId: string | null;
  createdAt: Date;
}

export function projectsText(projects: readonly ProjectRow[]): string {
  if (!projects.length) return 'No projects yet. Create one with `shipgate project create <KEY> <name>`.';
  return table(
    ['KEY', 'NAME', 'CHANNEL', 'CREATED', 'ID'],
    projects.map((p) => [p.key, p.name, p.slackChannelId ?? '—', day(p.createdAt), p.id]),
  );
}

export interface ApiKeyRow {
  id: string;
  name: string | null;
  prefix: string;
  scope: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** One column per property of a key; a later property (a scope) is one more entry here. */
const KEY_COLUMNS: readonly [string, (k: ApiKeyRow) => string][] = [
  ['ID', (k) => k.id],
  ['KEY', (k) => `${k.prefix}…`],
  ['NAME', (k) => k.name ?? '—'],
  ['SCOPE', (k) => k.scope],
  ['CREATED', (k) => `${day(k.createdAt)}${k.createdBy ? ` by ${k.createdBy}` : ''}`],
  ['LAST USED', (k) => (k.lastUsedAt ? day(k.lastUsedAt) : 'never')],
  ['REVOKED', (k) => (k.revokedAt ? day(k.revokedAt) : '—')],
];

export function apiKeysText(projectKey: string, keys: readonly ApiKeyRow[], includeRevoked: boolean): string {
  if (!keys.length)
    return `${projectKey} has no ${includeRevoked ? '' : 'active '}API keys. Create one with \`shipgate apikey create ${projectKey}\`.`;
  const columns = includeRevoked ? KEY_COLUMNS : KEY_COLUMNS.filter(([h]) => h !== 'REVOKED');
  return [
    table(
      columns.map(([h]) => h),
      keys.map((k) => columns.map(([, cell]) => cell(k))),
    ),
    '',
    `Revoke one with \`shipgate apikey revoke <ID>\`.`,
  ].join('\n');
}

export function milestonesText(items: readonly WorkspaceMilestone[], total: number, statuses: readonly string[]): string {
  const which = statuses.map((s) => s.toLowerCase()).join(' or ');
  if (!items.length) return `No ${which} milestones. Create one with \`shipgate milestone create <KEY> <name>\`.`;
  const rows = items.map((m) => [
    `${m.projectKey}/${m.name}`,
    m.status,
    m.verdict,
    m.executed ? passRateText(m.passed, m.executed) : 'no results',
    dueText(m.dueDate, m.timeZone, m.daysLeft),
  ]);
  const lines = [table(['MILESTONE', 'STATUS', 'VERDICT', 'PASS RATE', 'DUE'], rows)];
  if (total > items.length) lines.push('', `Showing ${items.length} of ${total} ${which} milestones (--limit shows more).`);
  return lines.join('\n');
}

/** `shipgate milestone show`: the milestone, its gate and its verdict with reasons. */
export function milestoneText(m: MilestoneView, r: Pick<ReadinessView, 'verdict' | 'reasons' | 'metrics'>): string {
  const p = m.policy;
  const rows: [string, string][] = [
    ['Status', m.status + (m.completedAt ? ` (completed ${utcMinute(m.completedAt)})` : '')],
    ['Verdict', `${r.verdict}: ${VERDICT_MEANING[r.verdict]}`],
    ['Pass rate', r.metrics.executed ? passRateText(r.metrics.passed, r.metrics.executed) : 'no results executed yet'],
    ['Due', dueText(m.dueDate, m.timeZone, r.metrics.daysLeft)],
    ['Time zone', m.timeZone],
    ['Scope', m.scope ? m.scope.include.join(', ') : 'every test reported'],
    [
      'Gate',
      [
        `pass rate ≥ ${gatePercent(p.passRateThreshold)}`,
        `open ${p.blockingSeverities.join('/') || 'no'} defects block`,
        p.requiredEnvironments.length ? `environments ${p.requiredEnvironments.join(', ')}` : null,
        p.requiredSignoffs ? `${p.requiredSignoffs} sign-off${p.requiredSignoffs === 1 ? '' : 's'}` : null,
        `at least ${p.minExecuted} executed`,
        m.scope ? `coverage ≥ ${gatePercent(p.minCoverage)}` : null,
      ]
        .filter(Boolean)
        .join(' · '),
    ],
  ];
  if (m.description) rows.push(['Description', m.description]);
  if (m.completionOverrideReason) rows.push(['Override', m.completionOverrideReason]);
  rows.push(['Created', `${utcMinute(m.createdAt)}${m.createdBy ? ` by ${m.createdBy}` : ''}`], ['Id', m.id]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`${m.projectKey}/${m.name}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  if (r.reasons.length) lines.push('', 'Reasons', ...reasonLines(r.reasons));
  return lines.join('\n');
}
