// One readiness, three surfaces, one number: the Slack card, the CLI's `check`
// text and the digests (Slack and terminal) all print 189 passed of 200
// executed as "94.5%". The card used to round it to "95%" beside the 95% gate
// it misses.
import { describe, expect, it } from 'vitest';
import { formatCheck, formatDigest } from '../../src/cli/format-readiness.js';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gate-policy.js';
import { evaluateReadiness } from '../../src/domain/readiness.js';
import { digestMessage } from '../../src/messages/digest-message.js';
import { readinessCard, type CardData } from '../../src/messages/readiness-card.js';
import type { ReadinessView } from '../../src/services/get-readiness.js';
import { goFacts, NOW, results } from '../domain/readiness-facts.js';
import { milestoneView } from '../helpers/readiness-views.js';

function readiness(): ReadinessView {
  const policy = { ...DEFAULT_GATE_POLICY };
  const facts = goFacts({
    results: results(189, 11),
    environments: [{ name: 'staging', runs: 1, executed: 200, passed: 189 }],
  });
  const r = evaluateReadiness(facts, policy, NOW);
  return {
    milestone: milestoneView({ policy }),
    verdict: r.verdict,
    reasons: r.reasons,
    checks: r.checks,
    metrics: r.metrics,
    policy: r.policy,
    signoffs: [],
    evaluatedAt: NOW.toISOString(),
    forecast: null,
    forecastUnavailable: null,
  };
}

/** Every "95%" that is not the gate itself. */
function ninetyFiveNotTheGate(text: string): string[] {
  return text.replace(/95% gate|gate 95%/g, '').match(/(?<![\d.])95%/g) ?? [];
}

describe('189 of 200 passed reads 94.5% everywhere', () => {
  const view = readiness();
  const card: CardData = { readiness: view, blockers: [], blockerCount: 0, runsInProgress: [] };

  const surfaces = {
    'Slack card': JSON.stringify(readinessCard(card)),
    'CLI check': formatCheck(view, false),
    'Slack digest': JSON.stringify(digestMessage({ subject: 'PAY', day: '2026-03-15', items: [{ card, trend: [] }] })),
    'CLI digest': formatDigest('PAY', [view], NOW),
  };

  it('is NO_GO against the 95% gate', () => {
    expect(view.verdict).toBe('NO_GO');
    expect(view.metrics).toMatchObject({ passed: 189, executed: 200, passRate: 0.945 });
  });

  it.each(Object.entries(surfaces))('%s prints 94.5%%, and 95%% only for the gate', (_surface, text) => {
    expect(text).toContain('94.5%');
    expect(ninetyFiveNotTheGate(text)).toEqual([]);
  });

  it('the card shows the rate beside the gate it misses', () => {
    expect(surfaces['Slack card']).toContain('94.5% (189/200) · gate 95%');
    expect(surfaces['Slack card']).toContain('*staging*: 94.5% of 200 executed');
  });
});
