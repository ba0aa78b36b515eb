// Builders for readiness tests: a milestone that is GO under the default
// policy, which each test then spoils in exactly one way.
import type { ReadinessFacts } from '../../src/domain/readiness.js';

export const NOW = new Date('2026-03-15T12:00:00Z');

export function goFacts(patch: Partial<ReadinessFacts> = {}): ReadinessFacts {
  return {
    milestone: { status: 'ACTIVE', dueDate: null, timeZone: 'UTC' },
    results: { passed: 100, failed: 0, blocked: 0, skipped: 0, flaky: 0 },
    criticalFailures: { count: 0, sample: [] },
    scope: null,
    runs: { total: 1, inProgress: 0, completed: 1, aborted: 0 },
    defects: { open: [], waived: 0, resolved: 0 },
    environments: [{ name: 'staging', runs: 1, executed: 100, passed: 100 }],
    signoffs: [],
    ...patch,
  };
}

export function emptyFacts(): ReadinessFacts {
  return goFacts({
    results: { passed: 0, failed: 0, blocked: 0, skipped: 0, flaky: 0 },
    runs: { total: 0, inProgress: 0, completed: 0, aborted: 0 },
    environments: [],
  });
}

export function results(passed: number, failed = 0, blocked = 0, skipped = 0, flaky = 0): ReadinessFacts['results'] {
  return { passed, failed, blocked, skipped, flaky };
}

export function defect(
  severity: ReadinessFacts['defects']['open'][number]['severity'],
  title = `A ${severity.toLowerCase()} defect`,
  jiraKey: string | null = null,
): ReadinessFacts['defects']['open'][number] {
  return { id: `d-${title}`, title, severity, jiraKey };
}

export function signoff(
  userId: string,
  decision: 'APPROVE' | 'REJECT',
  at = '2026-03-14T10:00:00Z',
  comment: string | null = null,
): ReadinessFacts['signoffs'][number] {
  return { userId, decision, comment, at: new Date(at) };
}

export function flakyCase(
  key: string,
  title: string,
  environment: string,
  flips: number,
  resultCount: number,
): NonNullable<ReadinessFacts['flakyCases']>['sample'][number] {
  return { key, title, environment, flips, results: resultCount, flipRate: flips / (resultCount - 1) };
}

export function resolvedFailing(
  defectTitle: string,
  testKey: string,
  o: { jiraKey?: string; environment?: string; runName?: string } = {},
): NonNullable<ReadinessFacts['resolvedStillFailing']>['sample'][number] {
  return {
    defectId: `d-${defectTitle}`,
    defectTitle,
    jiraKey: o.jiraKey ?? null,
    testKey,
    testTitle: `Title of ${testKey}`,
    environment: o.environment ?? 'staging',
    runName: o.runName ?? 'CI #42',
  };
}

/** `count` quarantined failures in one environment, the first few named (quarantined until `until`). */
export function quarantined(
  count: number,
  environment = 'staging',
  until = '2026-04-01T00:00:00Z',
): NonNullable<ReadinessFacts['quarantinedFailures']> {
  return {
    count,
    environments: count > 0 ? [{ name: environment, count }] : [],
    sample: Array.from({ length: Math.min(count, 5) }, (_, i) => ({
      key: `q${i}`,
      title: `Q${i}`,
      environment,
      until: new Date(until),
      reason: 'flaky on CI, tracked in PAY-9',
    })),
  };
}
