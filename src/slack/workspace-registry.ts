// Maps the team a Slack request came from to its Workspace row
// (services/workspace-for-team.ts), cached per process: the lookup sits in
// front of every ack.
//
// - OAuth mode: each installing team is a workspace of its own.
// - Single-workspace mode: the bot token belongs to one team (the one auth.test
//   names), so every request is that team's, whichever team the person who
//   sent it belongs to. In a channel shared with another organisation (Slack
//   Connect) a request carries the other team's id; it must see the installing
//   workspace's milestones, never a new, empty workspace of its own.
import { workspaceForTeam, type WorkspaceRef } from '../services/workspace-for-team.js';
import type { ServiceDeps } from '../services/service-deps.js';

export interface WorkspaceRegistry {
  /** The workspace a request from `teamId` belongs to, created (or adopted) on first use. */
  forTeam(teamId: string, name?: string | null): Promise<WorkspaceRef>;
}

/** The team a single-workspace bot token belongs to (Slack's auth.test). */
export type InstallingTeam = () => Promise<{ id: string; name?: string | null }>;

export function perTeamWorkspaces(deps: ServiceDeps): WorkspaceRegistry {
  const cache = new Map<string, Promise<WorkspaceRef>>();
  return {
    forTeam(teamId, name) {
      let entry = cache.get(teamId);
      if (!entry) {
        entry = workspaceForTeam(deps, { teamId, name, adoptLocal: false });
        cache.set(teamId, entry);
        entry.catch(() => cache.delete(teamId));
      }
      return entry;
    },
  };
}

export function installingTeamWorkspace(deps: ServiceDeps, installingTeam: InstallingTeam): WorkspaceRegistry {
  let entry: Promise<WorkspaceRef> | undefined;
  return {
    forTeam() {
      if (!entry) {
        // The first team seen takes over the CLI's placeholder workspace ("local").
        entry = installingTeam().then((team) => workspaceForTeam(deps, { teamId: team.id, name: team.name, adoptLocal: true }));
        // Slack or the database unreachable: the next request asks again.
        entry.catch(() => (entry = undefined));
      }
      return entry;
    },
  };
}
