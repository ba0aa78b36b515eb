// The REST API's next steps after a lookup finds nothing: its own paths.
import type { LookupHints } from '../services/lookup-hints.js';

export const API_HINTS: LookupHints = {
  listMilestones: 'List them with GET /api/projects/{projectId}/milestones.',
};

/** POST /test-runs: a milestone named there may also be created on purpose. */
export const RUN_MILESTONE_HINTS: LookupHints = {
  listMilestones: 'Send "createMilestone": true to create it, or list them with GET /api/projects/{projectId}/milestones.',
};
