// Maps a Slack team id to its Workspace row (services/workspace-for-team.ts),
// cached per process: the lookup sits in front of every ack.
import { workspaceForTeam, type WorkspaceRef } from '../services/workspace-for-team.js';
import type { ServiceDeps } from '../services/service-deps.js';

export interface WorkspaceRegistry {
  /** The workspace of a team, created (or adopted) on first use. */
  forTeam(teamId: string, name?: string | null): Promise<WorkspaceRef>;
  /** Forget a cached team (after an uninstall). */
  forget(teamId: string): void;
}

export function createWorkspaceRegistry(deps: ServiceDeps, options: { adoptLocal: boolean }): WorkspaceRegistry {
  const cache = new Map<string, Promise<WorkspaceRef>>();
  return {
    forTeam(teamId, name) {
      let entry = cache.get(teamId);
      if (!entry) {
        entry = workspaceForTeam(deps, { teamId, name, adoptLocal: options.adoptLocal });
        cache.set(teamId, entry);
        entry.catch(() => cache.delete(teamId));
      }
      return entry;
    },
    forget(teamId) {
      cache.delete(teamId);
    },
  };
}
