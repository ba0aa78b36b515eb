import { describe, expect, it } from 'vitest';
import { planRunTransition } from '../../src/domain/run-lifecycle.js';
import { RUN_STATUSES } from '../../src/domain/types.js';

describe('planRunTransition', () => {
  it.each(['IN_PROGRESS', 'COMPLETED'] as const)('an aborted run stays aborted: ABORTED → %s is a CONFLICT with the way out', (to) => {
    const plan = planRunTransition({ from: 'ABORTED', to, runName: 'build 17', projectKey: 'PAY' });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.error.code).toBe('CONFLICT');
    expect(plan.error.message).toBe(
      'Test run "build 17" was aborted; it stays aborted. Open a new run (POST /api/projects/PAY/test-runs) for new results.',
    );
    expect(plan.error.details).toEqual({ from: 'ABORTED', to });
  });

  it('aborting an aborted run again is a harmless no-op', () => {
    expect(planRunTransition({ from: 'ABORTED', to: 'ABORTED', runName: 'x', projectKey: 'PAY' })).toEqual({ ok: true, changed: false });
  });

  it('every other change is allowed: complete, abort, and reopen a completed run', () => {
    for (const from of ['IN_PROGRESS', 'COMPLETED'] as const)
      for (const to of RUN_STATUSES)
        expect(planRunTransition({ from, to, runName: 'x', projectKey: 'PAY' })).toEqual({ ok: true, changed: from !== to });
  });
});
