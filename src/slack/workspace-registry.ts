// Maps a Slack team id to its Workspace row, the boundary every query is
// scoped by. Cached per process: the lookup sits in front of every ack.
// In single-workspace mode the first team seen adopts the CLI's placeholder
// workspace ("local"), so projects created before Slack was connected stay
// visible; an unknown team gets its own workspace row on first use.
import type { Prisma } from '../db/open-database.js';
import { isUniqueViolation } from '../db/errors.js';
import { LOCAL_TEAM_ID } from '../services/resolve-workspace.js';

export interface WorkspaceRef {
  id: string;
  slackTeamId: string;
}

export interface WorkspaceRegistry {
  /** The workspace of a team, created (or adopted) on first use. */
  forTeam(teamId: string, name?: string | null): Promise<WorkspaceRef>;
  /** Forget a cached team (after an uninstall). */
  forget(teamId: string): void;
}

export function createWorkspaceRegistry(prisma: Prisma, options: { adoptLocal: boolean }): WorkspaceRegistry {
  const cache = new Map<string, Promise<WorkspaceRef>>();

  async function load(teamId: string, name?: string | null): Promise<WorkspaceRef> {
    const found = await prisma.workspace.findUnique({ where: { slackTeamId: teamId } });
    if (found) return found;
    if (options.adoptLocal) {
      const adopted = await adoptLocal(teamId, name);
      if (adopted) return adopted;
    }
    try {
      return await prisma.workspace.create({ data: { slackTeamId: teamId, name: name ?? null } });
    } catch (err) {
      // Two first requests from a new team at once: the loser reads the winner's row.
      if (isUniqueViolation(err)) return prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: teamId } });
      throw err;
    }
  }

  async function adoptLocal(teamId: string, name?: string | null): Promise<WorkspaceRef | null> {
    const all = await prisma.workspace.findMany({ take: 2 });
    if (all.length !== 1 || all[0]!.slackTeamId !== LOCAL_TEAM_ID) return null;
    // Conditional update: if two replicas race, only one renames the placeholder.
    const { count } = await prisma.workspace.updateMany({
      where: { id: all[0]!.id, slackTeamId: LOCAL_TEAM_ID },
      data: { slackTeamId: teamId, ...(name ? { name } : {}) },
    });
    return count === 1
      ? prisma.workspace.findUniqueOrThrow({ where: { id: all[0]!.id } })
      : prisma.workspace.findUnique({ where: { slackTeamId: teamId } });
  }

  return {
    forTeam(teamId, name) {
      let entry = cache.get(teamId);
      if (!entry) {
        entry = load(teamId, name);
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
