// The readiness page's builder, on plain data: the parts that appear only
// sometimes (changes, the note about tests not listed, the script), the
// picture's fallback, and how failure messages are cleaned and cut.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gate-policy.js';
import { MESSAGE_CHARS, readinessPage } from '../../src/pages/readiness-page.js';
import type { Changes } from '../../src/domain/changes.js';
import type { ReadinessPageData } from '../../src/services/get-readiness-page.js';
import type { MilestoneTestView } from '../../src/services/list-milestone-tests.js';
import { milestoneView, readinessMetrics } from '../helpers/readiness-views.js';

const at = '2026-03-15T10:00:00.000Z';
const run = { id: 'r1', name: 'nightly', url: null, startedAt: at };

function failing(key: string, message: string | null = 'boom'): MilestoneTestView {
  return {
    key,
    title: key,
    suite: null,
    environment: 'staging',
    status: 'FAILED',
    message,
    flaky: false,
    critical: false,
    flakiness: { flipRate: 0, flips: 0, flaky: false },
    regression: 'still',
    owners: [],
    quarantine: null,
    since: run,
    latestRun: run,
  };
}

function data(over: Partial<ReadinessPageData> = {}, changes?: Changes): ReadinessPageData {
  return {
    readiness: {
      milestone: milestoneView(),
      verdict: 'NO_GO',
      reasons: [],
      checks: [{ rule: 'passRate', status: 'fail', actual: 0.5, threshold: 0.95 }],
      metrics: readinessMetrics(),
      policy: DEFAULT_GATE_POLICY,
      signoffs: [],
      evaluatedAt: at,
      forecast: null,
      forecastUnavailable: null,
      ...(changes ? { changes } : {}),
    },
    failingTests: [failing('a::one')],
    failingTotal: 1,
    defects: [],
    defectTotal: 0,
    runs: [],
    runTotal: 0,
    today: '2026-03-15',
    snapshots: [],
    audit: [],
    auditMore: false,
    ...over,
  };
}

const trend: { svg: string | null; points: { day: string; passRate: number | null; openBlockers: number | null }[] } = {
  svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
  points: [{ day: '2026-03-15', passRate: 0.5, openBlockers: 0 }],
};
const render = (d: ReadinessPageData, t = trend) => readinessPage({ data: d, trend: t, linkExpiresAt: '2026-03-22T10:00:00.000Z' });

describe('readinessPage', () => {
  it('has a "Changes since …" section, linked from the contents, only when the readiness carries changes', () => {
    expect(render(data())).not.toContain('id="changes"');
    const out = render(
      data(
        {},
        {
          since: '2026-03-14T09:00:00.000Z',
          verdict: { before: 'GO', after: 'NO_GO' },
          reasons: { added: [], removed: [] },
          tests: {
            newlyFailing: {
              total: 3,
              byEnvironment: [{ environment: 'staging', total: 3 }],
              tests: [
                {
                  key: 'a::one',
                  title: 'one',
                  environment: 'staging',
                  before: 'PASSED',
                  after: 'FAILED',
                  run: { id: 'r9', name: 'nightly' },
                },
              ],
            },
            newlyPassing: { total: 0, byEnvironment: [], tests: [] },
            stillFailing: 1,
          },
          defects: { opened: [{ id: 'd9', title: 'Crash', severity: 'HIGH', status: 'OPEN', jiraKey: 'PAY-9' }], closed: [] },
        },
      ),
    );
    expect(out).toContain('<h2 id="changes-h">Changes since 2026-03-14 09:00 UTC</h2>');
    expect(out).toContain('<li><a href="#changes">Changes</a></li>');
    expect(out).toContain('Verdict: GO → <strong>NO-GO</strong>.');
    expect(out).toContain('<li>3 newly failing (3 in staging).</li>');
    expect(out).toContain('<li>1 still failing.</li>');
    expect(out).toContain('<li>Defects opened: PAY-9 Crash (high).</li>');
    expect(out).toContain('<h3>Newly failing</h3><ul><li><span class="mono">a::one</span> in staging</li></ul>');
  });

  it('says how many failing tests are not listed and where they are', () => {
    const out = render(data({ failingTotal: 12_345 }));
    expect(out).toContain('<strong>1 of 12345 shown.</strong>');
    expect(out).toContain('<code>GET /api/projects/PAY/milestones/m1/tests?status=FAILED</code>');
  });

  it('with no failing test: says so, and carries no script and no filter box', () => {
    const out = render(data({ failingTests: [], failingTotal: 0 }));
    expect(out).toContain('<p>No test fails.</p>');
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('id="filter"');
  });

  it('a failing test list comes with the filter box (hidden until the script shows it) and the script', () => {
    const out = render(data());
    expect(out).toContain('<div class="filter" id="filter-box" hidden><label for="filter">Filter failing tests</label>');
    expect(out.match(/<script>/g)).toHaveLength(1);
  });

  it('without the picture, says so and keeps the numbers as a table', () => {
    const out = render(data(), { ...trend, svg: null });
    expect(out).toContain('The trend picture could not be drawn; the numbers are below.');
    expect(out).toContain('<td data-label="Day">2026-03-15</td><td data-label="Pass rate">50%</td>');
  });

  it('cleans a failure message of terminal colours and control characters, and cuts a long one', () => {
    const out = render(
      data({ failingTests: [failing('a::colour', '\u001b[31mred\u001b[0m and\u0007 bell'), failing('a::long', 'x'.repeat(5000))] }),
    );
    expect(out).toContain('<pre>red and bell</pre>');
    expect(out).toContain(`<pre>${'x'.repeat(MESSAGE_CHARS - 1)}…</pre>`);
  });
});

describe('readinessPage: what landed since the page was built', () => {
  it("shows each failing test's owners as plain @ids, its flakiness, whether it is newly or still failing, and its quarantine", () => {
    const out = render(
      data({
        failingTests: [
          {
            ...failing('a::owned'),
            owners: ['U0ALICE', 'S0PAYMENTS'],
            flakiness: { flipRate: 0.35, flips: 7, flaky: true },
            regression: 'new',
            quarantine: { reason: 'Sandbox down until Friday', until: '2026-03-20T23:59:59.000Z', by: 'U0LEAD' },
          },
          failing('a::plain'),
        ],
        failingTotal: 2,
      }),
    );
    expect(out).toContain('<th scope="col">Owners</th><th scope="col">Flakiness</th><th scope="col">Quarantine</th>');
    const [owned, plain] = out.split('<tr><td data-label="Test">').slice(1);
    expect(owned).toContain('<td data-label="Owners"><span class="mono">@U0ALICE</span>, <span class="mono">@S0PAYMENTS</span></td>');
    expect(owned).not.toMatch(/<@|slack:\/\/|href="[^#]/);
    expect(owned).toContain('<span class="pill st-risk">flaky</span><span class="sub">flip rate 35% (7 flips)</span>');
    expect(owned).toContain(
      '<td data-label="Failing since"><span class="pill st-fail">new</span> nightly<span class="sub">2026-03-15 10:00 UTC</span></td>',
    );
    expect(owned).toContain(
      '<td data-label="Quarantine"><span class="pill st-na">until 2026-03-20 23:59 UTC</span><span class="sub">Sandbox down until Friday</span><span class="sub">by U0LEAD</span></td>',
    );
    expect(plain).toContain('<td data-label="Owners"><span class="muted">none</span></td>');
    expect(plain).toContain('<td data-label="Flakiness"><span class="muted">steady</span></td>');
    expect(plain).toContain('nightly<span class="sub">2026-03-15 10:00 UTC</span><span class="sub">still failing</span>');
    expect(plain).toContain('<td data-label="Quarantine"><span class="muted">no</span></td>');
  });

  it('says the forecast in the words of every other surface, and why there is none', () => {
    const forecast = {
      p50: '2026-03-20',
      p85: '2026-03-24',
      basis: { from: '2026-03-03', to: '2026-03-15', days: 12, remaining: { blockers: 1, failing: 3, untested: 0 } },
    } as unknown as NonNullable<ReadinessPageData['readiness']['forecast']>;
    const d = data();
    expect(render({ ...d, readiness: { ...d.readiness, forecast } })).toContain(
      '<dt>Forecast</dt><dd>At this pace: GO around Mar 20, 85% by Mar 24 (from 12 days of history)</dd>',
    );
    const held = { code: 'HELD_BY_OTHER_RULES' as const, message: 'The gate is held by a rejected sign-off.' };
    expect(render({ ...d, readiness: { ...d.readiness, forecastUnavailable: held } })).toContain(
      '<dt>Forecast</dt><dd>No forecast: the gate is held by a rejected sign-off.</dd>',
    );
    expect(render({ ...d, readiness: { ...d.readiness, verdict: 'GO', forecastUnavailable: held } })).not.toContain('<dt>Forecast</dt>');
  });

  it('says how many quarantined failures are left out of the pass rate', () => {
    const d = data();
    expect(render(d)).toContain('<dt>Quarantined</dt><dd>none</dd>');
    const metrics = { ...d.readiness.metrics, quarantined: 3 };
    expect(render({ ...d, readiness: { ...d.readiness, metrics } })).toContain(
      '<dt>Quarantined</dt><dd>3 failures left out of the pass rate</dd>',
    );
  });

  it('lists the newest audit entries: when, who, what and the fields changed; says where the rest are', () => {
    const entry = {
      id: 'a1',
      kind: 'defect.status' as const,
      projectId: 'p1',
      milestoneId: 'm1',
      defectId: 'd1',
      actor: { type: 'slack' as const, id: 'U0LEAD', name: null, team: 'T1' },
      before: { status: 'OPEN' },
      after: { status: 'WAIVED', waiverReason: 'x'.repeat(500) },
      at,
    };
    expect(render(data())).toContain('<h2 id="audit-h">Audit trail</h2><p>No changes recorded yet.</p>');
    expect(render(data({ audit: [entry] }))).toContain('<p class="muted">1 change, the newest first.</p>');
    const out = render(data({ audit: [entry], auditMore: true }));
    expect(out).toContain('<li><a href="#audit">Audit trail</a></li>');
    expect(out).toContain('<code>GET /api/projects/PAY/milestones/m1/audit</code>');
    expect(out).toContain(
      '<td data-label="When">2026-03-15 10:00 UTC</td><td data-label="Who">Slack user <span class="mono">@U0LEAD</span></td><td data-label="What"><code>defect.status</code></td>',
    );
    expect(out).toContain('<li><span class="mono">status</span>: OPEN → WAIVED</li>');
    expect(out).toContain(`<li><span class="mono">waiverReason</span>: — → ${'x'.repeat(119)}…</li>`);
  });
});
