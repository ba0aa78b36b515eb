// Global Bolt middleware: which Workspace row a request belongs to, from the
// team that sent it. Every listener reads `context.workspaceId` and scopes its
// queries by it, so nothing crosses workspaces.
import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import type { WorkspaceRegistry } from './workspace-registry.js';

export function workspaceMiddleware(workspaces: WorkspaceRegistry): Middleware<AnyMiddlewareArgs> {
  return async ({ context, body, next }) => {
    const b = body as { team_id?: string; team?: { id?: string; domain?: string } | null; user?: { team_id?: string } };
    const teamId = context.teamId ?? b.team_id ?? b.team?.id ?? b.user?.team_id ?? context.enterpriseId;
    if (!teamId) return; // nothing Shipgate can scope: ignore rather than guess
    const workspace = await workspaces.forTeam(teamId, b.team?.domain ?? null);
    context.workspaceId = workspace.id;
    await next();
  };
}

export function workspaceIdOf(context: Record<string, unknown>): string {
  const id = context.workspaceId;
  if (typeof id !== 'string') throw new Error('workspace middleware did not run');
  return id;
}
