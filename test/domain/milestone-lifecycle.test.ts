import { describe, expect, it } from 'vitest';
import { type AppError } from '../../src/domain/errors.js';
import { allowedTransitions, planTransition } from '../../src/domain/milestone-lifecycle.js';
import { MILESTONE_STATUSES, VERDICTS } from '../../src/domain/types.js';

function refusal(plan: ReturnType<typeof planTransition>): AppError {
  if (plan.ok) throw new Error('expected a refusal');
  return plan.error;
}

describe('allowedTransitions', () => {
  it('allows ACTIVE → COMPLETED (with a passing verdict or an override) → ACTIVE, and either → ARCHIVED', () => {
    expect(allowedTransitions('ACTIVE')).toEqual(['COMPLETED', 'ARCHIVED']);
    expect(allowedTransitions('COMPLETED')).toEqual(['ACTIVE', 'ARCHIVED']);
    expect(allowedTransitions('ARCHIVED')).toEqual([]);
  });
});

describe('planTransition', () => {
  it.each(['GO', 'GO_WITH_RISKS'] as const)('ACTIVE → COMPLETED with %s needs no override', (verdict) => {
    expect(planTransition({ from: 'ACTIVE', to: 'COMPLETED', verdict })).toEqual({
      ok: true,
      to: 'COMPLETED',
      changed: true,
      overrideReason: null,
    });
  });

  it('an override given when none was needed is not recorded', () => {
    const plan = planTransition({ from: 'ACTIVE', to: 'COMPLETED', verdict: 'GO', overrideReason: 'just because' });
    expect(plan).toMatchObject({ ok: true, overrideReason: null });
  });

  it('ACTIVE → COMPLETED with NO_GO is refused with the way out', () => {
    const error = refusal(planTransition({ from: 'ACTIVE', to: 'COMPLETED', verdict: 'NO_GO' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe("Milestone can't be completed: the verdict is NO_GO. Fix the blockers or complete with an override reason.");
  });

  it('ACTIVE → COMPLETED with INSUFFICIENT_EVIDENCE asks for evidence, naming the milestone', () => {
    const error = refusal(
      planTransition({ from: 'ACTIVE', to: 'COMPLETED', verdict: 'INSUFFICIENT_EVIDENCE', milestoneName: '2.4', overrideReason: '  ' }),
    );
    expect(error.message).toBe(
      "Milestone 2.4 can't be completed: the verdict is INSUFFICIENT_EVIDENCE. Add the missing evidence or complete with an override reason.",
    );
  });

  it('without a known verdict, completing needs an override', () => {
    expect(refusal(planTransition({ from: 'ACTIVE', to: 'COMPLETED' })).message).toMatch(/verdict is unknown/);
  });

  it('an override reason completes a NO_GO milestone and is recorded, trimmed', () => {
    expect(planTransition({ from: 'ACTIVE', to: 'COMPLETED', verdict: 'NO_GO', overrideReason: '  Hotfix, CEO approved ' })).toEqual({
      ok: true,
      to: 'COMPLETED',
      changed: true,
      overrideReason: 'Hotfix, CEO approved',
    });
  });

  it.each([
    ['COMPLETED', 'ACTIVE'],
    ['ACTIVE', 'ARCHIVED'],
    ['COMPLETED', 'ARCHIVED'],
  ] as const)('%s → %s is allowed whatever the verdict', (from, to) => {
    for (const verdict of VERDICTS) {
      expect(planTransition({ from, to, verdict })).toEqual({ ok: true, to, changed: true, overrideReason: null });
    }
  });

  it.each(['ACTIVE', 'COMPLETED'] as const)('ARCHIVED → %s is refused, saying what to do instead', (to) => {
    const error = refusal(planTransition({ from: 'ARCHIVED', to, verdict: 'GO', overrideReason: 'please' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/is archived, and an archived milestone can't be (reopened|completed)\. Create a new milestone/);
  });

  it.each(MILESTONE_STATUSES)('%s → %s is a no-op, not an error', (status) => {
    expect(planTransition({ from: status, to: status, verdict: 'NO_GO' })).toEqual({
      ok: true,
      to: status,
      changed: false,
      overrideReason: null,
    });
  });

  it('every pair is decided consistently with allowedTransitions', () => {
    for (const from of MILESTONE_STATUSES) {
      for (const to of MILESTONE_STATUSES) {
        const plan = planTransition({ from, to, verdict: 'GO' });
        expect(plan.ok).toBe(from === to || allowedTransitions(from).includes(to));
      }
    }
  });
});
