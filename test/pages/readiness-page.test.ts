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
