// Storage of the OAuth install (many workspaces): one SlackInstallation row per
// Workspace, holding Bolt's whole Installation object JSON-encoded, plus the
// bot token on its own for the notifier, which posts outside any request.
import type { Database } from './open-database.js';

export interface StoredInstallation {
  enterpriseId: string | null;
  botUserId: string | null;
  botToken: string | null;
  /** The Installation object as Bolt gave it, JSON-encoded. */
  installation: string;
}

export async function saveInstallation(db: Database, workspaceId: string, data: StoredInstallation): Promise<void> {
  await db.prisma.slackInstallation.upsert({ where: { workspaceId }, update: data, create: { workspaceId, ...data } });
}

/** The JSON-encoded installation of a Slack team (or enterprise), or null. */
export async function installationOfTeam(db: Database, slackTeamId: string): Promise<string | null> {
  const row = await db.prisma.slackInstallation.findFirst({ where: { workspace: { slackTeamId } }, select: { installation: true } });
  return row?.installation ?? null;
}

export async function deleteInstallationsOfTeam(db: Database, slackTeamId: string): Promise<void> {
  await db.prisma.slackInstallation.deleteMany({ where: { workspace: { slackTeamId } } });
}

/** The bot token stored for a workspace, or null when the app is not installed there. */
export async function storedBotToken(db: Database, workspaceId: string): Promise<string | null> {
  const row = await db.prisma.slackInstallation.findUnique({ where: { workspaceId }, select: { botToken: true } });
  return row?.botToken ?? null;
}
