// Plain readiness data for the tests of what people read (card, digest, CLI
// text): a milestone as the API shows it and a set of metrics, each with
// overrides, so every surface test starts from the same shapes.
import { DEFAULT_GATE_POLICY } from '../../src/domain/gate-policy.js';
import type { ReadinessMetrics } from '../../src/domain/readiness.js';
import type { MilestoneView } from '../../src/services/milestone-view.js';

/** Milestone PAY/2.4, active, in UTC, with the default gate. */
export function milestoneView(over: Partial<MilestoneView> = {}): MilestoneView {
  return {
    id: 'm1',
    projectId: 'p1',
    projectKey: 'PAY',
    name: '2.4',
    description: null,
    dueDate: null,
    timeZone: 'UTC',
    status: 'ACTIVE',
    slackChannelId: 'C1',
    scope: null,
    gate: {},
    policy: { ...DEFAULT_GATE_POLICY },
    completedAt: null,
    completionOverrideReason: null,
    createdBy: null,
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
    ...over,
  };
}

/** 182 of 200 executed passed (91%), in two environments, 3 days left, due risk HIGH. */
export function readinessMetrics(over: Partial<ReadinessMetrics> = {}): ReadinessMetrics {
  return {
    passed: 182,
    failed: 18,
    blocked: 0,
    skipped: 3,
    flaky: 2,
    executed: 200,
    passRate: 0.91,
    quarantined: 0,
    coverage: null,
    inScope: null,
    covered: null,
    untested: [],
    runs: { total: 3, inProgress: 1, completed: 2, aborted: 0 },
    openDefectsBySeverity: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 },
    waivedDefects: 0,
    resolvedDefects: 0,
    environments: [
      { name: 'staging', runs: 2, executed: 150, passRate: 0.9 },
      { name: 'production', runs: 1, executed: 50, passRate: 0.94 },
    ],
    daysLeft: 3,
    dueRisk: 'HIGH',
    approvals: 0,
    rejections: 0,
    ...over,
  };
}
