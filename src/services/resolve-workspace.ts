// Picks the workspace for administration done outside Slack (the CLI).
// With one workspace (the usual single-team install) it is that one; with none
// yet, a placeholder "local" workspace is created, which the Slack app adopts
// as its team when it first connects in single-workspace mode.
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './service-deps.js';

export const LOCAL_TEAM_ID = 'local';

export async function resolveWorkspace(deps: ServiceDeps, slackTeamId?: string) {
  const found = await findWorkspace(deps, slackTeamId);
  if (found) return found;
  return deps.db.prisma.workspace.upsert({
    where: { slackTeamId: LOCAL_TEAM_ID },
    update: {},
    create: { slackTeamId: LOCAL_TEAM_ID, name: 'Local' },
  });
}

/** The same choice without creating anything, for reads: null when the database holds no workspace yet. */
export async function findWorkspace(deps: ServiceDeps, slackTeamId?: string) {
  const prisma = deps.db.prisma;
  if (slackTeamId) {
    const found = await prisma.workspace.findUnique({ where: { slackTeamId } });
    if (!found) {
      const known = await prisma.workspace.findMany({ select: { slackTeamId: true }, take: 20 });
      throw new AppError(
        'NOT_FOUND',
        `No workspace with Slack team id ${slackTeamId}. Known: ${known.map((w) => w.slackTeamId).join(', ') || 'none'}.`,
      );
    }
    return found;
  }
  const all = await prisma.workspace.findMany({ take: 2, orderBy: { createdAt: 'asc' } });
  if (all.length > 1) {
    throw new AppError('VALIDATION_FAILED', 'This database holds several Slack workspaces: name one with --workspace <Slack team id>.');
  }
  return all[0] ?? null;
}
