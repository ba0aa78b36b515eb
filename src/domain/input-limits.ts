// How long each piece of text people and CI may give can be: one table for
// every surface, so the REST API's schemas, Slack's modal inputs (their
// max_length) and the modals' submissions accept the same.
import { MAX_SCOPE_PATTERN_LENGTH } from './scope.js';

export const INPUT_LIMITS = {
  milestoneName: 200,
  milestoneDescription: 5000,
  overrideReason: 2000,
  runName: 300,
  environmentName: 100,
  externalId: 300,
  defectTitle: 500,
  defectDescription: 20_000,
  jiraKey: 50,
  waiverReason: 2000,
  quarantineReason: 2000,
  signoffComment: 2000,
  scopePattern: MAX_SCOPE_PATTERN_LENGTH,
  /** A test case's key, in characters; it is also held to the same number of bytes in UTF-8 (junit's NAME_MAX_BYTES). */
  caseKey: 2000,
} as const;
