// What `shipgate check` and `shipgate digest` show of one milestone, fetched over
// the REST API: the readiness, the failing tests (the first few, or all of them
// for JSON) and the open defects that block it. The formats build on this.
import { isBlockingDefect } from '../domain/defect-state.js';
import { SEVERITIES, type DefectStatus, type Severity } from '../domain/types.js';
import type { MilestoneTestsPage } from '../services/list-milestone-tests.js';
import { ApiError, segment, type ApiClient } from './api-client.js';
import type { ReadinessAnswer } from './format-readiness.js';

export type FailingTest = MilestoneTestsPage['tests'][number];

export interface BlockingDefect {
  id: string;
  title: string;
  severity: Severity;
  status: DefectStatus;
  jira: { key: string | null; url?: string; status?: string } | null;
}

/** The readiness answer as the server sent it, with the failing tests and blocking defects beside it. */
export type MilestoneReport = ReadinessAnswer & {
  /** Null when the server is older than the tests listing (GET …/tests answered 404). */
  failingTests: { total: number; tests: FailingTest[] } | null;
  blockingDefects: BlockingDefect[];
};

interface DefectAnswer extends BlockingDefect {
  waiver: { until: string | null } | null;
}

// The largest page the server gives; used when every failing test is wanted.
const PAGE = 200;

/**
 * One milestone's report. `failing` is how many failing tests to fetch: a few
 * for text and markdown (the total says how many more there are), all for JSON.
 */
export async function loadMilestoneReport(
  api: ApiClient,
  projectKey: string,
  milestone: string,
  options: { failing: number | 'all'; since?: Date },
): Promise<MilestoneReport> {
  const base = `/api/projects/${segment(projectKey)}`;
  const since = options.since ? `?since=${encodeURIComponent(options.since.toISOString())}` : '';
  const readiness = await api.request<ReadinessAnswer>('GET', `${base}/milestones/${segment(milestone)}/readiness${since}`);
  // By id from here on: the name could have been changed in between.
  const id = segment(readiness.milestone.id);
  const [failingTests, defects] = await Promise.all([
    loadFailingTests(api, `${base}/milestones/${id}/tests`, options.failing),
    api.request<{ defects: DefectAnswer[] }>('GET', `${base}/defects?milestoneId=${id}`),
  ]);
  const now = new Date(readiness.evaluatedAt);
  const blockingDefects = defects.defects
    .filter((d) =>
      isBlockingDefect(
        { status: d.status, severity: d.severity, waiverUntil: d.waiver?.until ? new Date(d.waiver.until) : null },
        readiness.policy.blockingSeverities,
        now,
      ),
    )
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
    .map(({ id, title, severity, status, jira }) => ({ id, title, severity, status, jira }));
  return { ...readiness, failingTests, blockingDefects };
}

async function loadFailingTests(api: ApiClient, path: string, wanted: number | 'all'): Promise<MilestoneReport['failingTests']> {
  const tests: FailingTest[] = [];
  let total: number | undefined;
  let cursor: string | null = null;
  try {
    do {
      const limit = wanted === 'all' ? PAGE : Math.min(PAGE, Math.max(1, wanted - tests.length));
      const page: MilestoneTestsPage = await api.request<MilestoneTestsPage>(
        'GET',
        `${path}?status=FAILED&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      tests.push(...page.tests);
      total = page.total;
      cursor = page.nextCursor;
    } while (cursor && (wanted === 'all' || tests.length < wanted));
  } catch (err) {
    // A server from before the tests listing: the rest of the report still stands.
    if (err instanceof ApiError && err.status === 404 && tests.length === 0) return null;
    throw err;
  }
  return { total: total ?? tests.length, tests: wanted === 'all' ? tests : tests.slice(0, wanted) };
}
