// Whether a test run may take results. An aborted run no longer counts, so
// results there would be lost without a word; a completed or archived
// milestone has had its verdict, so results there would change a decision
// already taken. Both are refused with the way out.
import { AppError } from './errors.js';
import type { MilestoneStatus } from './types.js';

export interface RunForResults {
  name: string;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED';
  milestone: { name: string; status: MilestoneStatus } | null;
}

/** null when the run may take results; otherwise the CONFLICT to answer. */
export function resultsRefusal(run: RunForResults): AppError | null {
  if (run.status === 'ABORTED') {
    return new AppError(
      'CONFLICT',
      `Test run "${run.name}" was aborted, so its results no longer count; nothing was stored. Open a new run (POST /api/projects/{projectId}/test-runs) for these results.`,
    );
  }
  const milestone = run.milestone;
  if (milestone && milestone.status !== 'ACTIVE') {
    const state = milestone.status === 'COMPLETED' ? 'completed' : 'archived';
    const way =
      milestone.status === 'COMPLETED'
        ? 'Reopen the milestone first (PATCH its status to ACTIVE, or /milestone reopen in Slack), or attach the run to an active milestone.'
        : 'Archived milestones stay closed: open a run on an active milestone.';
    return new AppError(
      'CONFLICT',
      `Milestone "${milestone.name}" is ${state}, so test run "${run.name}" takes no more results; nothing was stored. ${way}`,
    );
  }
  return null;
}
