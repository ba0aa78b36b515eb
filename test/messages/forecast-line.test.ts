// The forecast line, the same on the card, in the digest and in the CLI's
// text and markdown: said while the gate fails, with the dates as people read them.
import { describe, expect, it } from 'vitest';
import { forecastLine, shortDay } from '../../src/messages/forecast-line.js';
import { readinessCard } from '../../src/messages/readiness-card.js';
import { digestMessage } from '../../src/messages/digest-message.js';
import { formatCheck, formatDigestEntry, type ReadinessAnswer } from '../../src/cli/format-readiness.js';
import { markdownCheck } from '../../src/cli/format-markdown.js';
import type { Forecast } from '../../src/domain/forecast.js';
import type { ReadinessView } from '../../src/services/get-readiness.js';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gate-policy.js';
import { milestoneView, readinessMetrics } from '../helpers/readiness-views.js';

const FORECAST: Forecast = {
  p50: '2026-12-14',
  p85: '2026-12-17',
  basis: {
    days: 12,
    daysWithMovement: 9,
    from: '2026-11-20',
    to: '2026-12-01',
    rates: { blockersClosedPerDay: 0.5, failingFixedPerDay: 1.25, coverageGainedPerDay: 0 },
    remaining: { blockers: 2, failing: 9, untested: 0 },
    simulations: 1000,
  },
};
const LINE = 'At this pace: GO around Dec 14, 85% by Dec 17 (from 12 days of history)';

function view(over: Partial<ReadinessView> = {}): ReadinessView {
  return {
    milestone: milestoneView(),
    verdict: 'NO_GO',
    reasons: [{ code: 'PASS_RATE_BELOW_THRESHOLD', severity: 'blocker', message: 'Pass rate 91% (182/200) is below the 95% gate' }],
    checks: [],
    metrics: readinessMetrics(),
    policy: { ...DEFAULT_GATE_POLICY },
    forecast: FORECAST,
    forecastUnavailable: null,
    signoffs: [],
    evaluatedAt: '2026-12-02T12:00:00.000Z',
    ...over,
  };
}
const card = (r: ReadinessView) => readinessCard({ readiness: r, blockers: [], blockerCount: 0, runsInProgress: [] });

describe('forecastLine', () => {
  it('says when the gate would clear while it fails', () => {
    expect(forecastLine(view())).toBe(LINE);
    expect(forecastLine(view({ verdict: 'INSUFFICIENT_EVIDENCE' }))).toBe(LINE);
  });

  it('says nothing once shippable, or when nothing is left to do', () => {
    expect(forecastLine(view({ verdict: 'GO_WITH_RISKS' }))).toBeNull();
    expect(forecastLine(view({ verdict: 'GO' }))).toBeNull();
    const done = { ...FORECAST, basis: { ...FORECAST.basis, remaining: { blockers: 0, failing: 0, untested: 0 } } };
    expect(forecastLine(view({ forecast: done }))).toBeNull();
  });

  it('without a forecast: the reason when history is why, nothing when other reasons already say why', () => {
    const thin = { code: 'THIN_HISTORY' as const, message: 'Too little history: 1 day with movement in the last 4 days, 3 needed' };
    expect(forecastLine(view({ forecast: null, forecastUnavailable: thin }))).toBe(
      'No forecast: too little history: 1 day with movement in the last 4 days, 3 needed',
    );
    const held = {
      code: 'HELD_BY_OTHER_RULES' as const,
      message: 'The gate is held by a rejected sign-off, which history cannot forecast',
    };
    expect(forecastLine(view({ forecast: null, forecastUnavailable: held }))).toBeNull();
    // A server from before the forecast sends neither field.
    expect(forecastLine({ verdict: 'NO_GO' })).toBeNull();
  });

  it('dates read "Dec 14", with the year when it is another one', () => {
    expect(shortDay('2026-12-14', '2026')).toBe('Dec 14');
    expect(shortDay('2027-01-03', '2026')).toBe('Jan 3, 2027');
  });
});

describe('the forecast line on every surface', () => {
  it('the card and the digest', () => {
    expect(JSON.stringify(card(view()).blocks)).toContain(`:crystal_ball: ${LINE}`);
    expect(JSON.stringify(card(view({ verdict: 'GO', reasons: [] })).blocks)).not.toContain('crystal_ball');
    const digest = digestMessage({
      subject: 'PAY/2.4',
      day: '2026-12-02',
      items: [{ card: { readiness: view(), blockers: [], blockerCount: 0, runsInProgress: [] }, trend: [] }],
    });
    expect(JSON.stringify(digest.blocks)).toContain(LINE);
  });

  it('the CLI: check text and markdown, digest text', () => {
    const answer = view() as unknown as ReadinessAnswer;
    expect(formatCheck(answer, false).split('\n')).toContain(LINE);
    expect(formatDigestEntry(answer).split('\n')).toContain(`  Forecast   ${LINE}`);
    expect(markdownCheck(answer, false).split('\n')).toContain(LINE);
  });
});
