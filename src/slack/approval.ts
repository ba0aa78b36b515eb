// Who may approve, checked at the Slack edge: when a project has approvers,
// only they (in person, or as members of a listed user group, which Slack's
// usergroups.users.list answers) may change its gate or scope, waive, complete
// against the gate, sign off and change the approvers. Everyone else gets a
// NotAnApproverError carrying the refusal that names who may; the command,
// button and modal plumbing show it. No approvers: anyone may.
import type { webApi } from '@slack/bolt';
import { APPROVAL_ACTIONS, parseApprovers, type ApprovalAction } from '../domain/approvers.js';
import type { Logger } from '../logger.js';
import { approverRefusal, approverRefusalField } from '../messages/approvers-messages.js';

export class NotAnApproverError extends Error {
  constructor(
    /** The ephemeral refusal, with the approvers as mentions. */
    public readonly refusal: { text: string; blocks: unknown[] },
    /** The same in plain text for a modal's field. */
    public readonly fieldText: string,
  ) {
    super(fieldText);
    this.name = 'NotAnApproverError';
  }
}

export interface ApprovalRequest {
  project: { key: string; approvers: string };
  userId: string;
  action: ApprovalAction;
}

/** Returns when the user may; throws NotAnApproverError when the project has approvers and the user is not one. */
export async function requireApprover(deps: { logger: Logger }, client: webApi.WebClient, r: ApprovalRequest): Promise<void> {
  const approvers = parseApprovers(r.project.approvers);
  if (!approvers.length || approvers.includes(r.userId)) return;
  for (const group of approvers.filter((id) => id.startsWith('S'))) {
    if (await inGroup(deps, client, group, r.userId)) return;
  }
  const doing = APPROVAL_ACTIONS[r.action];
  throw new NotAnApproverError(
    approverRefusal({ projectKey: r.project.key, doing, approvers }),
    approverRefusalField({ projectKey: r.project.key, doing }),
  );
}

async function inGroup(deps: { logger: Logger }, client: webApi.WebClient, usergroup: string, userId: string): Promise<boolean> {
  try {
    const res = await client.usergroups.users.list({ usergroup });
    return (res.users ?? []).includes(userId);
  } catch (err) {
    // A group deleted, or the app installed before it asked for usergroups:read: its members cannot be told apart,
    // so they are refused like anyone else (the refusal names the group; a person listed by name still may).
    deps.logger.warn({ err, usergroup }, 'could not read the members of an approvers group');
    return false;
  }
}
