// Who acts in Slack, as the audit trail names them: the user and their team.
import type { Actor } from '../domain/audit.js';

export type SlackActor = Extract<Actor, { type: 'slack' }>;

export function slackActor(userId: string, teamId: string | null | undefined): SlackActor {
  return { type: 'slack', userId, teamId: teamId ?? null };
}
