// What changed in a milestone between an earlier moment and now (SPEC §2
// "Changes"). The readiness then is the same verdict function over the facts as
// they stood then: the current facts rewound by the test transitions recorded
// since (how many (case, environment) pairs went from which state to which),
// with the runs, sign-offs and defects as they stood then. Pure: the database
// supplies the transitions and the facts.
import type { Readiness, ReadinessFacts, Reason } from './readiness.js';
import type { DefectStatus, ResultStatus, Severity, Verdict } from './types.js';

/** How many (case, environment) pairs went from `before` to `after`; null: no result at that moment. */
export interface Transition {
  environment: string;
  before: { status: ResultStatus; flaky: boolean } | null;
  after: { status: ResultStatus; flaky: boolean } | null;
  critical: boolean;
  n: number;
}

/** The facts that do not come from results, as they stood then. */
export interface FactsThen {
  runs: ReadinessFacts['runs'];
  /** Runs per environment that had started by then (aborted ones left out, as now). */
  runsByEnvironment: Map<string, number>;
  defects: ReadinessFacts['defects'];
  signoffs: ReadinessFacts['signoffs'];
}

/** The facts then: the results rewound through the transitions, the rest as supplied. The scope's coverage is taken as now. */
export function rewindFacts(now: ReadinessFacts, transitions: readonly Transition[], then: FactsThen): ReadinessFacts {
  const results = { ...now.results };
  let criticalFailures = now.criticalFailures.count;
  const envs = new Map(now.environments.map((e) => [e.name, { executed: e.executed, passed: e.passed }]));
  const apply = (environment: string, state: Transition['before'], critical: boolean, sign: 1 | -1, n: number) => {
    if (!state) return;
    const d = sign * n;
    const env = envs.get(environment) ?? { executed: 0, passed: 0 };
    envs.set(environment, env);
    if (state.status === 'PASSED') {
      results.passed += d;
      env.passed += d;
      if (state.flaky) results.flaky += d;
    } else if (state.status === 'FAILED') {
      results.failed += d;
      if (critical) criticalFailures += d;
    } else if (state.status === 'BLOCKED') results.blocked += d;
    else results.skipped += d;
    if (state.status !== 'SKIPPED') env.executed += d;
  };
  for (const t of transitions) {
    apply(t.environment, t.after, t.critical, -1, t.n);
    apply(t.environment, t.before, t.critical, 1, t.n);
  }
  const names = new Set([...envs.keys(), ...then.runsByEnvironment.keys()]);
  const environments = [...names]
    .map((name) => ({ name, runs: then.runsByEnvironment.get(name) ?? 0, ...(envs.get(name) ?? { executed: 0, passed: 0 }) }))
    .filter((e) => e.runs > 0 || e.executed > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    ...now,
    results,
    // Which critical cases failed then is not rebuilt: the count is, and the message says how many.
    criticalFailures: { count: criticalFailures, sample: [] },
    runs: then.runs,
    defects: then.defects,
    environments,
    signoffs: then.signoffs,
  };
}

/** A test whose state changed since then: newly failing or newly passing. */
export interface ChangedTest {
  key: string;
  title: string;
  environment: string;
  /** Null: it had no result in that environment then. */
  before: ResultStatus | null;
  after: ResultStatus;
  /** The run its current result came from. */
  run: { id: string; name: string };
}

export interface ChangedDefect {
  id: string;
  title: string;
  severity: Severity;
  status: DefectStatus;
  jiraKey: string | null;
}

export interface ChangedTests {
  total: number;
  /** How many in each environment, by name. */
  byEnvironment: { environment: string; total: number }[];
  /** The first few by key. */
  tests: ChangedTest[];
}

/** What changed in a milestone since a moment: what a digest, a thread reply and `shipgate check --since` lead with. */
export interface Changes {
  since: string;
  verdict: ReadinessDiff['verdict'];
  reasons: ReadinessDiff['reasons'];
  tests: {
    newlyFailing: ChangedTests;
    newlyPassing: ChangedTests;
    /** Failing now and already failing then. */
    stillFailing: number;
  };
  defects: { opened: ChangedDefect[]; closed: ChangedDefect[] };
}

export interface ReadinessDiff {
  verdict: { before: Verdict; after: Verdict };
  reasons: { added: Reason[]; removed: Reason[] };
}

/** The newly failing and newly passing counts, per environment, from the transitions. */
export function countChangedTests(transitions: readonly Transition[]): {
  newlyFailing: Omit<ChangedTests, 'tests'>;
  newlyPassing: Omit<ChangedTests, 'tests'>;
} {
  const tally = (which: (t: Transition) => boolean) => {
    const byEnv = new Map<string, number>();
    for (const t of transitions) if (which(t)) byEnv.set(t.environment, (byEnv.get(t.environment) ?? 0) + t.n);
    const byEnvironment = [...byEnv]
      .map(([environment, total]) => ({ environment, total }))
      .sort((a, b) => b.total - a.total || (a.environment < b.environment ? -1 : 1));
    return { total: byEnvironment.reduce((n, e) => n + e.total, 0), byEnvironment };
  };
  return {
    newlyFailing: tally((t) => t.after?.status === 'FAILED' && t.before?.status !== 'FAILED'),
    newlyPassing: tally((t) => t.before?.status === 'FAILED' && t.after?.status === 'PASSED'),
  };
}

/** Reasons that fired now and not then (added) and then and not now (removed); a reason still firing with other numbers is neither. */
export function diffReadiness(
  before: Pick<Readiness, 'verdict' | 'reasons'>,
  after: Pick<Readiness, 'verdict' | 'reasons'>,
): ReadinessDiff {
  const keys = (reasons: readonly Reason[]) => new Set(reasons.map(reasonKey));
  const was = keys(before.reasons);
  const is = keys(after.reasons);
  return {
    verdict: { before: before.verdict, after: after.verdict },
    reasons: {
      added: after.reasons.filter((r) => !was.has(reasonKey(r))),
      removed: before.reasons.filter((r) => !is.has(reasonKey(r))),
    },
  };
}

// ENVIRONMENT_NOT_TESTED fires once per environment; the rest once at most.
function reasonKey(reason: Reason): string {
  if (reason.code !== 'ENVIRONMENT_NOT_TESTED') return reason.code;
  return `${reason.code}:${/^Required environment (.*) has no executed results/.exec(reason.message)?.[1]?.toLowerCase() ?? reason.message}`;
}
