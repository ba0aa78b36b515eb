// The domain's vocabulary: every enum as a const array (for validation and
// iteration) plus the string-literal union derived from it. Plain strings keep
// these identical in the database, the REST API, Slack payloads and the CLI.

export const MILESTONE_STATUSES = ['ACTIVE', 'COMPLETED', 'ARCHIVED'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export const RUN_STATUSES = ['IN_PROGRESS', 'COMPLETED', 'ABORTED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_SOURCES = ['MANUAL', 'CI'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

export const RESULT_STATUSES = ['PASSED', 'FAILED', 'SKIPPED', 'BLOCKED'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** Most severe first: the order used wherever defects are listed. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DEFECT_STATUSES = ['OPEN', 'RESOLVED', 'WAIVED'] as const;
export type DefectStatus = (typeof DEFECT_STATUSES)[number];

export const SIGNOFF_DECISIONS = ['APPROVE', 'REJECT'] as const;
export type SignoffDecision = (typeof SIGNOFF_DECISIONS)[number];

/** Best first; `verdictRank` in readiness.ts relies on this order. */
export const VERDICTS = ['GO', 'GO_WITH_RISKS', 'INSUFFICIENT_EVIDENCE', 'NO_GO'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The reason codes, in the order reasons are listed: blockers, missing evidence, risks. */
export const REASON_CODES = [
  'PASS_RATE_BELOW_THRESHOLD',
  'BLOCKING_DEFECT_OPEN',
  'CRITICAL_TEST_FAILED',
  'SIGNOFF_REJECTED',
  'NOT_ENOUGH_EXECUTED',
  'ENVIRONMENT_NOT_TESTED',
  'UNTESTED_SCOPE',
  'RUNS_IN_PROGRESS',
  'FLAKY_TESTS',
  'DEFECTS_WAIVED',
  'SIGNOFFS_MISSING',
  'BLOCKED_TESTS',
  'DUE_SOON',
  'OVERDUE',
  'QUARANTINED_TESTS',
  'RESOLVED_DEFECT_STILL_FAILING',
  'FORECAST_AFTER_DUE',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** How much a reason weighs, heaviest first: the order reasons are listed and shown in. */
export const REASON_SEVERITIES = ['blocker', 'risk', 'info'] as const;
export type ReasonSeverity = (typeof REASON_SEVERITIES)[number];

/**
 * Every rule of the gate, in the order its checks are listed (the order of the reasons they fire).
 * `requiredEnvironment` is checked once per required environment.
 */
export const GATE_RULES = [
  'passRate',
  'blockingDefects',
  'criticalTests',
  'signoffRejections',
  'minExecuted',
  'requiredEnvironment',
  'coverage',
  'runsInProgress',
  'flakyTests',
  'waivedDefects',
  'requiredSignoffs',
  'blockedTests',
  'dueDate',
  'quarantinedTests',
  'resolvedDefectsFailing',
  'forecast',
] as const;
export type GateRule = (typeof GATE_RULES)[number];

/** fail: the rule holds the verdict below GO_WITH_RISKS; risk: it makes GO a GO_WITH_RISKS; n/a: the gate does not apply it. */
export const CHECK_STATUSES = ['fail', 'risk', 'pass', 'n/a'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const DUE_RISKS = ['NONE', 'LOW', 'HIGH', 'OVERDUE'] as const;
export type DueRisk = (typeof DUE_RISKS)[number];
