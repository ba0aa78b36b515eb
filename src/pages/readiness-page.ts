// The readiness page of one milestone, as HTML: the verdict and why, every
// check of the gate, what changed (when the readiness carries it), the trend,
// every failing test (with its owners, flakiness, regression and quarantine)
// with a filter box, the defects with their Jira links, the environments, the
// runs, the sign-offs and the newest entries of the audit trail. Pure: the data comes in
// (services/get-readiness-page.ts), a string goes out; every value from data
// passes through `markup`, which escapes it.
import { checksWorstFirst, checkText } from '../domain/check-text.js';
import type { GateCheck, Reason } from '../domain/readiness.js';
import type { ChangedTests, Changes } from '../domain/changes.js';
import type { CheckStatus } from '../domain/types.js';
import type { TrendPoint } from '../charts/trend.js';
import {
  dueText,
  gatePercent,
  isLinkableUrl,
  passRateText,
  percent,
  ratioPercent,
  utcMinute,
  VERDICT_LABEL,
  VERDICT_MEANING,
} from '../messages/format.js';
import { cutText, stripControl } from '../messages/text-hygiene.js';
import { forecastLine } from '../messages/forecast-line.js';
import type { AuditEntryView } from '../services/list-audit-trail.js';
import type { PageDefect, PageRun, ReadinessPageData } from '../services/get-readiness-page.js';
import type { MilestoneTestView, RunRef } from '../services/list-milestone-tests.js';
import { markup, type Fragment, type Markup } from './html.js';
import { pageShell } from './page-shell.js';

/** A failure message is cut to this many characters on the page (the API gives it whole). */
export const MESSAGE_CHARS = 1_000;

export interface ReadinessPageInput {
  data: ReadinessPageData;
  /** The trend picture (the digest's chart) as SVG text, and the points it shows; svg null when it could not be drawn. */
  trend: { svg: string | null; points: TrendPoint[] };
  /** When the link this page was opened with stops working. */
  linkExpiresAt: string;
}

const STATUS_TEXT: Record<CheckStatus, string> = { fail: 'Fails', risk: 'Risk', pass: 'Holds', 'n/a': 'Not applied' };
const STATUS_CLASS: Record<CheckStatus, string> = { fail: 'st-fail', risk: 'st-risk', pass: 'st-pass', 'n/a': 'st-na' };
const REASON_WORD: Record<Reason['severity'], string> = { blocker: 'Blocker', risk: 'Risk', info: 'Note' };
const DUE_RISK_WORDS = { NONE: 'no schedule risk', LOW: 'low schedule risk', HIGH: 'high schedule risk', OVERDUE: 'overdue' } as const;

export function readinessPage(input: ReadinessPageInput): string {
  const { data, trend } = input;
  const r = data.readiness;
  const m = r.milestone;
  const title = `${m.projectKey}/${m.name}`;
  const changes = r.changes;
  const sections: [string, string][] = [
    ['summary', 'Summary'],
    ['checks', 'Checks'],
    ...(changes ? ([['changes', 'Changes']] as [string, string][]) : []),
    ['trend', 'Trend'],
    ['tests', `Failing tests (${data.failingTotal})`],
    ['defects', `Defects (${data.defectTotal})`],
    ['environments', 'Environments'],
    ['runs', `Runs (${data.runTotal})`],
    ['signoffs', 'Sign-offs'],
    ['audit', 'Audit trail'],
  ];
  const body = markup`
<a class="skip" href="#tests">Skip to the failing tests</a>
<header>
<p class="eyebrow">Shipgate readiness report · project ${m.projectKey}</p>
<h1>${title}</h1>
<p><span class="verdict verdict-${r.verdict}" id="verdict">${VERDICT_LABEL[r.verdict]}</span> ${VERDICT_MEANING[r.verdict]}</p>
${m.status !== 'ACTIVE' ? markup`<p>Status: <strong>${m.status.toLowerCase()}</strong>${m.completionOverrideReason ? markup` (override: ${m.completionOverrideReason})` : ''}</p>` : ''}
${m.description ? markup`<p class="muted">${m.description}</p>` : ''}
<p class="muted">Evaluated ${utcMinute(r.evaluatedAt)}.</p>
<nav aria-label="Sections of this report"><ul>${sections.map(([id, label]) => markup`<li><a href="#${id}">${label}</a></li>`)}</ul></nav>
</header>
<main>
${summarySection(data)}
${checksSection(r.checks)}
${changes ? changesSection(changes) : ''}
${trendSection(trend)}
${testsSection(data)}
${defectsSection(data)}
${environmentsSection(data)}
${runsSection(data)}
${signoffsSection(data)}
${auditSection(data)}
</main>
<footer><p>Read-only report made by Shipgate at ${utcMinute(r.evaluatedAt)}. The link it was opened with works until ${utcMinute(input.linkExpiresAt)}; ask for a new one with the card's Open report button or <code>shipgate milestone show ${title} --link</code>.</p></footer>`;
  return pageShell({ title: `${title}: ${VERDICT_LABEL[r.verdict]} · Shipgate`, body, script: data.failingTests.length > 0 });
}

function section(id: string, heading: Fragment, content: Fragment): Markup {
  return markup`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${heading}</h2>${content}</section>`;
}

function table(columns: string[], rows: Fragment, o: { id?: string } = {}): Markup {
  return markup`<table class="stack"${o.id ? markup` id="${o.id}"` : ''}><thead><tr>${columns.map((c) => markup`<th scope="col">${c}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}

function summarySection(data: ReadinessPageData): Markup {
  const r = data.readiness;
  const m = r.milestone;
  const x = r.metrics;
  const signoffs = r.policy.requiredSignoffs > 0 ? `${x.approvals} of ${r.policy.requiredSignoffs} approvals` : `${x.approvals} approvals`;
  const forecast = pageForecast(r);
  const open = Object.entries(x.openDefectsBySeverity)
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity.toLowerCase()}`);
  const facts: [string, string][] = [
    ['Pass rate', `${passRateText(x.passed, x.executed)}, gate ${gatePercent(r.policy.passRateThreshold)}`],
    ['Results', `${x.passed} passed, ${x.failed} failed, ${x.blocked} blocked, ${x.skipped} skipped${x.flaky ? `, ${x.flaky} flaky` : ''}`],
    ['Quarantined', x.quarantined ? `${x.quarantined} ${x.quarantined === 1 ? 'failure' : 'failures'} left out of the pass rate` : 'none'],
    ['Due', `${dueText(m.dueDate, m.timeZone, x.daysLeft)}, ${DUE_RISK_WORDS[x.dueRisk]}`],
    ['Runs', `${x.runs.inProgress} in progress, ${x.runs.completed} completed${x.runs.aborted ? `, ${x.runs.aborted} aborted` : ''}`],
    ['Sign-offs', `${signoffs}${x.rejections ? `, ${x.rejections} rejected` : ''}`],
    ['Defects', `${open.length ? `${open.join(', ')} open` : 'none open'}, ${x.waivedDefects} waived, ${x.resolvedDefects} resolved`],
    ...(forecast ? ([['Forecast', forecast]] as [string, string][]) : []),
    ...(x.inScope !== null
      ? ([['Scope', `${x.covered ?? 0} of ${x.inScope} covered (${ratioPercent(x.covered ?? 0, x.inScope)})`]] as [string, string][])
      : []),
  ];
  const reasons = r.reasons.length
    ? markup`<ul class="reasons">${r.reasons.map((reason) => markup`<li><strong>${REASON_WORD[reason.severity]}:</strong> ${reason.message}</li>`)}</ul>`
    : markup`<p>All gates pass.</p>`;
  return section(
    'summary',
    'Summary',
    markup`<dl class="facts">${facts.map(([k, v]) => markup`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl><h3>Why ${VERDICT_LABEL[r.verdict]}</h3>${reasons}`,
  );
}

/**
 * The forecast as every surface says it (messages/forecast-line.ts); the page, being
 * the whole picture, also says why there is none while the gate fails for other reasons.
 */
function pageForecast(r: ReadinessPageData['readiness']): string | null {
  const line = forecastLine(r);
  if (line) return line;
  if (r.verdict === 'GO' || r.verdict === 'GO_WITH_RISKS' || r.forecast || !r.forecastUnavailable) return null;
  const why = r.forecastUnavailable.message;
  return `No forecast: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
}

function checksSection(checks: readonly GateCheck[]): Markup {
  if (checks.length === 0) return section('checks', 'Checks', markup`<p>No checks were reported.</p>`);
  const rows = checksWorstFirst(checks).map(
    (c) =>
      markup`<tr><td data-label="Status"><span class="pill ${STATUS_CLASS[c.status]}">${STATUS_TEXT[c.status]}</span></td><td data-label="Check">${checkText(c)}</td><td data-label="Rule"><code>${c.rule}</code></td></tr>`,
  );
  const held = checks.filter((c) => c.status === 'pass').length;
  return section(
    'checks',
    'Checks',
    markup`<p class="muted">${checks.length} checks of the gate, failing first; ${held} hold.</p>${table(['Status', 'Check', 'Rule'], rows)}`,
  );
}

// ── Changes since the last digest ─────────────────────────────────────────────
// Shown when the readiness carries `changes`: since the last digest that
// showed the milestone, or over the last day before any digest.

function changesSection(c: Changes): Markup {
  const heading = c.since ? `Changes since ${utcMinute(c.since)}` : 'Changes';
  const lines: Fragment[] = [];
  if (c.verdict?.before && c.verdict.after)
    lines.push(
      c.verdict.before === c.verdict.after
        ? markup`Verdict: still ${VERDICT_LABEL[c.verdict.after]}.`
        : markup`Verdict: ${VERDICT_LABEL[c.verdict.before]} → <strong>${VERDICT_LABEL[c.verdict.after]}</strong>.`,
    );
  const t = c.tests;
  if (t) {
    lines.push(changedTestsLine('newly failing', t.newlyFailing), changedTestsLine('newly passing', t.newlyPassing));
    if (t.stillFailing !== undefined) lines.push(markup`${t.stillFailing} still failing.`);
  }
  for (const [verb, list] of [
    ['opened', c.defects?.opened],
    ['closed', c.defects?.closed],
  ] as const) {
    if (list?.length)
      lines.push(
        markup`Defects ${verb}: ${list.map((d, i) => markup`${i ? ', ' : ''}${d.jiraKey ? `${d.jiraKey} ` : ''}${d.title}${d.severity ? ` (${d.severity.toLowerCase()})` : ''}`)}.`,
      );
  }
  for (const [what, list] of [
    ['New reasons', c.reasons?.added],
    ['Reasons gone', c.reasons?.removed],
  ] as const) {
    if (list?.length) lines.push(markup`${what}: ${list.map((reason, i) => markup`${i ? '; ' : ''}${reason.message}`)}.`);
  }
  const shown = lines.filter((l) => l !== null && l !== undefined && l !== '');
  const newly = t?.newlyFailing?.tests ?? [];
  return section(
    'changes',
    heading,
    markup`<div class="changes">${shown.length ? markup`<ul>${shown.map((l) => markup`<li>${l}</li>`)}</ul>` : markup`<p>Nothing changed.</p>`}${
      newly.length
        ? markup`<h3>Newly failing</h3><ul>${newly.map((x) => markup`<li><span class="mono">${x.key}</span>${x.environment ? ` in ${x.environment}` : ''}</li>`)}</ul>`
        : ''
    }</div>`,
  );
}

function changedTestsLine(what: string, changed: ChangedTests | undefined): Fragment {
  if (!changed?.total) return null;
  const envs = changed.byEnvironment ?? [];
  const where = envs.length ? ` (${envs.map((e) => `${e.total} in ${e.environment}`).join(', ')})` : '';
  return markup`${changed.total} ${what}${where}.`;
}

// ── Trend ───────────────────────────────────────────────────────────────────

function trendSection(trend: ReadinessPageInput['trend']): Markup {
  const description = `Pass rate (line) and open blockers (bars) per day, last ${trend.points.length} days`;
  const picture = trend.svg
    ? markup`<figure class="chart"><img src="data:image/svg+xml;base64,${Buffer.from(trend.svg).toString('base64')}" alt="${description}; the same numbers are in the table below."><figcaption class="muted">${description}.</figcaption></figure>`
    : markup`<p>The trend picture could not be drawn; the numbers are below.</p>`;
  const rows = trend.points.map(
    (p) =>
      markup`<tr><td data-label="Day">${p.day}</td><td data-label="Pass rate">${percent(p.passRate)}</td><td data-label="Open blockers">${p.openBlockers ?? '—'}</td></tr>`,
  );
  return section(
    'trend',
    'Trend',
    markup`${picture}<details><summary>The trend as a table</summary>${table(['Day', 'Pass rate', 'Open blockers'], rows)}</details>`,
  );
}

// ── Failing tests ───────────────────────────────────────────────────────────

function testsSection(data: ReadinessPageData): Markup {
  const shown = data.failingTests.length;
  if (shown === 0) return section('tests', 'Failing tests', markup`<p>No test fails.</p>`);
  const more = data.failingTotal - shown;
  const m = data.readiness.milestone;
  return section(
    'tests',
    markup`Failing tests <span class="muted">(${data.failingTotal})</span>`,
    markup`<div class="filter" id="filter-box" hidden><label for="filter">Filter failing tests</label><input id="filter" type="search" autocomplete="off" spellcheck="false" aria-describedby="filter-hint"><span id="filter-hint" class="muted">by name, environment, message or owner</span><span id="filter-count" role="status"></span></div>${
      more > 0
        ? markup`<p><strong>${shown} of ${data.failingTotal} shown.</strong> The rest: <code>GET /api/projects/${m.projectKey}/milestones/${m.id}/tests?status=FAILED</code>.</p>`
        : ''
    }${table(['Test', 'Environment', 'Message', 'Failing since', 'Owners', 'Flakiness', 'Quarantine'], data.failingTests.map(testRow), {
      id: 'failing-tests',
    })}`,
  );
}

function testRow(t: MilestoneTestView): Markup {
  const message = t.message ? stripControl(t.message).trim() : '';
  return markup`<tr><td data-label="Test"><strong>${t.title}</strong>${t.title !== t.key ? markup`<span class="sub mono">${t.key}</span>` : ''}${t.critical ? markup` <span class="pill st-fail">critical</span>` : ''}${t.flaky ? markup` <span class="pill st-risk">flaky</span>` : ''}</td><td data-label="Environment">${t.environment}</td><td data-label="Message">${message ? markup`<pre>${cutText(message, MESSAGE_CHARS)}</pre>` : markup`<span class="muted">no message</span>`}</td><td data-label="Failing since">${sinceCell(t)}</td><td data-label="Owners">${ownersCell(t.owners)}</td><td data-label="Flakiness">${flakinessCell(t.flakiness)}</td><td data-label="Quarantine">${quarantineCell(t.quarantine)}</td></tr>`;
}

/** Newly failing (its previous result passed) or still failing since a run. */
function sinceCell(t: MilestoneTestView): Markup {
  const run = markup`${runLink(t.since)}<span class="sub">${utcMinute(t.since.startedAt)}</span>`;
  if (t.regression === 'new') return markup`<span class="pill st-fail">new</span> ${run}`;
  if (t.regression === 'still') return markup`${run}<span class="sub">still failing</span>`;
  return run;
}

/** Slack user and group ids as plain text (`@U0ALICE`): never a mention or a link. */
function ownersCell(owners: readonly string[]): Markup {
  if (owners.length === 0) return markup`<span class="muted">none</span>`;
  return markup`${owners.map((id, i) => markup`${i ? ', ' : ''}<span class="mono">@${id}</span>`)}`;
}

function flakinessCell(f: MilestoneTestView['flakiness']): Markup {
  // The flip rate over its last results (passed to failed or back, SPEC §10) and how many flips that was.
  const flips = `flip rate ${percent(f.flipRate)} (${f.flips} ${f.flips === 1 ? 'flip' : 'flips'})`;
  if (f.flaky) return markup`<span class="pill st-risk">flaky</span><span class="sub">${flips}</span>`;
  if (f.flips > 0) return markup`${flips}`;
  return markup`<span class="muted">steady</span>`;
}

function quarantineCell(q: MilestoneTestView['quarantine']): Markup {
  if (!q) return markup`<span class="muted">no</span>`;
  return markup`<span class="pill st-na">until ${utcMinute(q.until)}</span><span class="sub">${q.reason}</span><span class="sub">by ${q.by}</span>`;
}

function runLink(run: Pick<RunRef, 'name' | 'url'>): Markup {
  return isLinkableUrl(run.url) ? markup`<a href="${run.url}">${run.name}</a>` : markup`${run.name}`;
}

// ── Defects ─────────────────────────────────────────────────────────────────

function defectsSection(data: ReadinessPageData): Markup {
  if (data.defects.length === 0) return section('defects', 'Defects', markup`<p>No defects reported.</p>`);
  const more = data.defectTotal - data.defects.length;
  return section(
    'defects',
    markup`Defects <span class="muted">(${data.defectTotal})</span>`,
    markup`${more > 0 ? markup`<p>The ${data.defects.length} newest of ${data.defectTotal} shown.</p>` : ''}${table(['Defect', 'Severity', 'Status', 'Jira'], data.defects.map(defectRow))}`,
  );
}

function defectRow(d: PageDefect): Markup {
  return markup`<tr><td data-label="Defect">${d.title}<span class="sub">reported ${utcMinute(d.createdAt)}</span></td><td data-label="Severity">${d.severity.toLowerCase()}${d.blocking ? markup` <span class="pill st-fail">blocks</span>` : ''}</td><td data-label="Status">${defectStatus(d)}</td><td data-label="Jira">${jiraCell(d)}</td></tr>`;
}

function defectStatus(d: PageDefect): Markup {
  if (d.status === 'WAIVED') {
    const until = d.waiverUntil ? ` until ${utcMinute(d.waiverUntil)}` : '';
    return markup`${d.open ? 'waiver ended: open' : `waived${until}`}${d.waiverReason ? markup`<span class="sub">${d.waiverReason}</span>` : ''}`;
  }
  return markup`${d.status.toLowerCase()}`;
}

function jiraCell(d: PageDefect): Markup {
  if (d.jiraSync === 'FAILED')
    return markup`<span class="pill st-fail">${d.jiraKey ? `${d.jiraKey}: link failed` : 'not created'}</span>${d.jiraSyncError ? markup`<span class="sub">${d.jiraSyncError}</span>` : ''}`;
  if (d.jiraSync === 'PENDING') return markup`${d.jiraKey ?? 'issue'} <span class="muted">(checking in Jira)</span>`;
  if (!d.jiraKey) return markup`<span class="muted">none</span>`;
  const key = isLinkableUrl(d.jiraUrl) ? markup`<a href="${d.jiraUrl}">${d.jiraKey}</a>` : markup`${d.jiraKey}`;
  return markup`${key}${d.jiraStatus ? markup`<span class="sub">${d.jiraStatus}</span>` : ''}`;
}

// ── Environments, runs, sign-offs ───────────────────────────────────────────

function environmentsSection(data: ReadinessPageData): Markup {
  const r = data.readiness;
  const required = new Set(r.policy.requiredEnvironments.map((e) => e.toLowerCase()));
  const envs = r.metrics.environments;
  if (envs.length === 0) return section('environments', 'Environments', markup`<p>No results in any environment yet.</p>`);
  const rows = envs.map(
    (e) =>
      markup`<tr><td data-label="Environment">${e.name}${required.has(e.name.toLowerCase()) ? markup` <span class="pill st-na">required</span>` : ''}</td><td data-label="Executed">${e.executed}</td><td data-label="Pass rate">${percent(e.passRate)}</td><td data-label="Runs">${e.runs}</td></tr>`,
  );
  return section('environments', 'Environments', table(['Environment', 'Executed', 'Pass rate', 'Runs'], rows));
}

function runsSection(data: ReadinessPageData): Markup {
  if (data.runs.length === 0) return section('runs', 'Runs', markup`<p>No runs yet.</p>`);
  const more = data.runTotal - data.runs.length;
  return section(
    'runs',
    markup`Runs <span class="muted">(${data.runTotal})</span>`,
    markup`${more > 0 ? markup`<p>The ${data.runs.length} newest of ${data.runTotal} shown.</p>` : ''}${table(['Run', 'Environment', 'Status', 'Started', 'Finished'], data.runs.map(runRow))}`,
  );
}

function runRow(run: PageRun): Markup {
  return markup`<tr><td data-label="Run">${runLink(run)}<span class="sub">${run.source === 'CI' ? 'from CI' : 'manual'}</span></td><td data-label="Environment">${run.environment ?? markup`<span class="muted">none</span>`}</td><td data-label="Status">${run.status.toLowerCase().replace('_', ' ')}</td><td data-label="Started">${utcMinute(run.startedAt)}</td><td data-label="Finished">${run.completedAt ? utcMinute(run.completedAt) : '—'}</td></tr>`;
}

function signoffsSection(data: ReadinessPageData): Markup {
  const r = data.readiness;
  const needed = r.policy.requiredSignoffs;
  const intro = needed > 0 ? markup`<p>The gate needs ${needed} approval${needed === 1 ? '' : 's'}.</p>` : '';
  if (r.signoffs.length === 0) return section('signoffs', 'Sign-offs', markup`${intro}<p>No sign-offs yet.</p>`);
  const rows = r.signoffs.map(
    (s) =>
      markup`<tr><td data-label="Decision"><span class="pill ${s.decision === 'APPROVE' ? 'st-pass' : 'st-fail'}">${s.decision === 'APPROVE' ? 'Approved' : 'Rejected'}</span></td><td data-label="By">Slack user <span class="mono">${s.userId}</span></td><td data-label="When">${utcMinute(s.at)}</td><td data-label="Comment">${s.comment ? markup`<pre>${s.comment}</pre>` : markup`<span class="muted">none</span>`}</td></tr>`,
  );
  return section('signoffs', 'Sign-offs', markup`${intro}${table(['Decision', 'By', 'When', 'Comment'], rows)}`);
}

// ── Audit trail ─────────────────────────────────────────────────────────────

const ACTOR_WORD = { 'api-key': 'API key', jira: 'Jira', local: 'CLI operator', slack: 'Slack user' } as const;
/** A changed value is cut to this many characters on the page (GET …/audit gives it whole). */
const AUDIT_VALUE_CHARS = 120;

function auditSection(data: ReadinessPageData): Markup {
  if (data.audit.length === 0) return section('audit', 'Audit trail', markup`<p>No changes recorded yet.</p>`);
  const m = data.readiness.milestone;
  const rows = data.audit.map(auditRow);
  return section(
    'audit',
    'Audit trail',
    markup`<p class="muted">${
      data.auditMore
        ? markup`The ${data.audit.length} newest changes; all of them: <code>GET /api/projects/${m.projectKey}/milestones/${m.id}/audit</code>.`
        : `${data.audit.length} ${data.audit.length === 1 ? 'change' : 'changes'}, the newest first.`
    }</p>${table(['When', 'Who', 'What', 'Changed'], rows)}`,
  );
}

function auditRow(e: AuditEntryView): Markup {
  const who =
    e.actor.type === 'slack'
      ? markup`${ACTOR_WORD.slack} <span class="mono">@${e.actor.id}</span>`
      : markup`${ACTOR_WORD[e.actor.type]}${e.actor.name ? markup` ${e.actor.name}` : ''}`;
  const fields = [...new Set([...Object.keys(e.before), ...Object.keys(e.after)])];
  const changed = fields.length
    ? markup`<ul class="plain">${fields.map((f) => markup`<li><span class="mono">${f}</span>: ${auditValue(e.before[f])} → ${auditValue(e.after[f])}</li>`)}</ul>`
    : markup`<span class="muted">nothing listed</span>`;
  return markup`<tr><td data-label="When">${utcMinute(e.at)}</td><td data-label="Who">${who}</td><td data-label="What"><code>${e.kind}</code></td><td data-label="Changed">${changed}</td></tr>`;
}

function auditValue(v: unknown): string {
  if (v === undefined || v === null) return '—';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return cutText(stripControl(text), AUDIT_VALUE_CHARS);
}
