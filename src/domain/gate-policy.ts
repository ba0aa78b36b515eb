// The gate policy: the thresholds a milestone must meet. Project
// defaults are overridden per milestone; both are stored as partial objects so
// that changing a project default reaches every milestone that did not override it.
import type { Severity } from './types.js';

export interface GatePolicy {
  /** Fraction 0..1 of executed results that must pass. */
  passRateThreshold: number;
  /** Open (unwaived) defects of these severities make the verdict NO_GO. */
  blockingSeverities: Severity[];
  /** Environment names that must each have at least one executed result. */
  requiredEnvironments: string[];
  /** APPROVE sign-offs needed; fewer is a risk, not a blocker. */
  requiredSignoffs: number;
  /** Executed results (passed + failed + blocked) needed before a verdict can be green. */
  minExecuted: number;
  /** Fraction 0..1 of scoped cases that must have an executed result; applies only with a scope. */
  minCoverage: number;
}

// Frozen all the way down: code that mutates the defaults fails loudly instead of
// changing every later verdict in the process.
export const DEFAULT_GATE_POLICY: Readonly<GatePolicy> = Object.freeze({
  passRateThreshold: 0.95,
  blockingSeverities: Object.freeze(['CRITICAL', 'HIGH']) as Severity[],
  requiredEnvironments: Object.freeze([]) as unknown as string[],
  requiredSignoffs: 0,
  minExecuted: 1,
  minCoverage: 1,
});

/** Milestone overrides win over project defaults, which win over DEFAULT_GATE_POLICY. Undefined keys never override. */
export function resolveGatePolicy(projectDefaults: Partial<GatePolicy> | null, milestoneOverrides: Partial<GatePolicy> | null): GatePolicy {
  const merged: GatePolicy = { ...DEFAULT_GATE_POLICY };
  for (const layer of [projectDefaults, milestoneOverrides]) {
    if (!layer) continue;
    for (const key of Object.keys(merged) as (keyof GatePolicy)[]) {
      if (layer[key] !== undefined) (merged as Record<keyof GatePolicy, unknown>)[key] = layer[key];
    }
  }
  // Fresh arrays, so a caller mutating the result can never change the defaults or its inputs.
  return {
    ...merged,
    blockingSeverities: [...merged.blockingSeverities],
    requiredEnvironments: [...merged.requiredEnvironments],
  };
}
