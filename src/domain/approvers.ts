// Approvers: the Slack users and user groups who alone may change a project's
// gate or scope, waive a defect, quarantine a test, complete a milestone against
// its gate and sign off — in Slack. An empty list means anyone in the workspace may, as before
// approvers existed. Ids only (U…/W… users, S… groups): names are looked up by
// Slack, and mentions are built from checked ids, never from typed text.
import { AppError } from './errors.js';

export const APPROVER_USER_ID = /^[UW][A-Z0-9]{2,30}$/;
export const APPROVER_GROUP_ID = /^S[A-Z0-9]{2,30}$/;
export const MAX_APPROVERS = 50;

/** What only approvers may do, as a refusal names it. */
export const APPROVAL_ACTIONS = {
  gate: "change a milestone's gate",
  scope: "change a milestone's scope",
  waive: 'waive a defect',
  quarantine: 'quarantine a test',
  override: 'complete a milestone against its gate',
  signoff: 'sign off',
  approvers: "change the project's approvers",
  owners: "change the project's owners",
} as const;
export type ApprovalAction = keyof typeof APPROVAL_ACTIONS;

export function isApproverId(id: string): boolean {
  return APPROVER_USER_ID.test(id) || APPROVER_GROUP_ID.test(id);
}

/** The stored list (JSON text); anything unreadable counts as no list, so nobody is locked out by a bad row. */
export function parseApprovers(stored: string | null | undefined): string[] {
  try {
    const list: unknown = JSON.parse(stored ?? '[]');
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string' && isApproverId(id)) : [];
  } catch {
    return [];
  }
}

/** A list to store: ids checked and de-duplicated, in the order given; a bad one is refused with what works. */
export function checkApprovers(ids: readonly string[]): string[] {
  const bad = ids.filter((id) => !isApproverId(id));
  if (bad.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${bad
        .slice(0, 5)
        .map((id) => `"${id.slice(0, 40)}"`)
        .join(
          ', ',
        )} ${bad.length === 1 ? 'is' : 'are'} not a Slack user id (U… or W…) or user group id (S…). In Slack, mention them: /milestone approvers KEY @person @group.`,
    );
  }
  const unique = [...new Set(ids)];
  if (unique.length > MAX_APPROVERS)
    throw new AppError('VALIDATION_FAILED', `At most ${MAX_APPROVERS} approvers; name a user group for more people.`);
  return unique;
}
