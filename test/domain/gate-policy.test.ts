import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_POLICY, resolveGatePolicy } from '../../src/domain/gate-policy.js';

describe('resolveGatePolicy', () => {
  it('is the documented defaults with nothing set', () => {
    expect(resolveGatePolicy(null, null)).toEqual({
      passRateThreshold: 0.95,
      blockingSeverities: ['CRITICAL', 'HIGH'],
      requiredEnvironments: [],
      requiredSignoffs: 0,
      minExecuted: 1,
      minCoverage: 1,
    });
  });

  it('milestone wins over project wins over defaults, key by key', () => {
    const policy = resolveGatePolicy(
      { passRateThreshold: 0.9, requiredSignoffs: 2, requiredEnvironments: ['staging'] },
      { passRateThreshold: 0.8, requiredEnvironments: ['production'] },
    );
    expect(policy).toMatchObject({
      passRateThreshold: 0.8,
      requiredSignoffs: 2,
      requiredEnvironments: ['production'],
      minExecuted: 1,
    });
  });

  it('undefined keys do not override, but explicit empty values do', () => {
    const policy = resolveGatePolicy(
      { blockingSeverities: ['CRITICAL'], minExecuted: 10 },
      {
        blockingSeverities: undefined,
        minExecuted: 0,
      },
    );
    expect(policy.blockingSeverities).toEqual(['CRITICAL']);
    expect(policy.minExecuted).toBe(0);
    expect(resolveGatePolicy(null, { blockingSeverities: [] }).blockingSeverities).toEqual([]);
  });

  it('returns fresh arrays: mutating a result changes neither the defaults nor the inputs', () => {
    const project = { requiredEnvironments: ['staging'] };
    const policy = resolveGatePolicy(project, null);
    policy.requiredEnvironments.push('production');
    policy.blockingSeverities.push('LOW');
    expect(project.requiredEnvironments).toEqual(['staging']);
    expect(DEFAULT_GATE_POLICY.blockingSeverities).toEqual(['CRITICAL', 'HIGH']);
  });

  it('the defaults are frozen', () => {
    expect(Object.isFrozen(DEFAULT_GATE_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_GATE_POLICY.blockingSeverities)).toBe(true);
  });
});
