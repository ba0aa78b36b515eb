// The Workspace row of a Slack team, the boundary every query is scoped by,
// created on the team's first request. In single-workspace mode the first team
// seen adopts the CLI's placeholder workspace ("local", see resolve-workspace.ts),
// so projects created before Slack was connected stay visible.
import { isUniqueViolation } from '../db/errors.js';
import { LOCAL_TEAM_ID } from './resolve-workspace.js';
import type { ServiceDeps } from './service-deps.js';

export interface WorkspaceRef {
  id: string;
  slackTeamId: string;
}

export async function workspaceForTeam(
  deps: ServiceDeps,
  options: { teamId: string; name?: string | null; adoptLocal: boolean },
): Promise<WorkspaceRef> {
  const prisma = deps.db.prisma;
  const { teamId, name } = options;
  const found = await prisma.workspace.findUnique({ where: { slackTeamId: teamId } });
  if (found) return found;
  if (options.adoptLocal) {
    const adopted = await adoptLocal(deps, teamId, name);
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

async function adoptLocal(deps: ServiceDeps, teamId: string, name: string | null | undefined): Promise<WorkspaceRef | null> {
  const prisma = deps.db.prisma;
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
