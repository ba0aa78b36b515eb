// The REST API's next steps after a lookup finds nothing: its own paths.
import type { LookupHints } from '../services/lookup-hints.js';

export const API_HINTS: LookupHints = {
  listMilestones: 'List them with GET /api/projects/{projectId}/milestones.',
};
