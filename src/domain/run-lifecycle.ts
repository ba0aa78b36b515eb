// Test run lifecycle: which status changes are allowed. An aborted run is final:
// its results no longer count, so reopening or completing it would bring back
// evidence people already threw away. Returns a plan, like milestone-lifecycle.
import { AppError } from './errors.js';
import type { RunStatus } from './types.js';

export interface RunTransitionRequest {
  from: RunStatus;
  to: RunStatus;
  /** Used in the refusal ("Test run "build 17" …"). */
  runName: string;
  /** The project's key, to point at the endpoint that opens a new run. */
  projectKey: string;
}

export type RunTransitionPlan =
  /** changed is false for a same-state request: a retry or a double click is harmless. */
  { ok: true; changed: boolean } | { ok: false; error: AppError };

export function planRunTransition(request: RunTransitionRequest): RunTransitionPlan {
  const { from, to } = request;
  if (from === to) return { ok: true, changed: false };
  if (from === 'ABORTED') {
    return {
      ok: false,
      error: new AppError(
        'CONFLICT',
        `Test run "${request.runName}" was aborted; it stays aborted. Open a new run (POST /api/projects/${request.projectKey}/test-runs) for new results.`,
        { from, to },
      ),
    };
  }
  return { ok: true, changed: true };
}
