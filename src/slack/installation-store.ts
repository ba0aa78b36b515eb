// Bolt's installation store for the OAuth install (many workspaces), kept in
// the database: one SlackInstallation row per Workspace, holding the whole
// Installation object JSON-encoded as Bolt gave it.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Prisma } from '../db/open-database.js';
import type { WorkspaceRegistry } from './workspace-registry.js';

function teamOf(source: {
  team?: { id: string } | undefined;
  enterprise?: { id: string } | undefined;
  isEnterpriseInstall?: boolean;
}): string {
  // An org-wide install has no team; the enterprise id stands in for it.
  const id = source.isEnterpriseInstall ? source.enterprise?.id : (source.team?.id ?? source.enterprise?.id);
  if (!id) throw new Error('Slack installation carries neither a team nor an enterprise id');
  return id;
}

export function createInstallationStore(prisma: Prisma, workspaces: WorkspaceRegistry): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const workspace = await workspaces.forTeam(teamOf(installation), installation.team?.name ?? installation.enterprise?.name);
      const data = {
        enterpriseId: installation.enterprise?.id ?? null,
        botUserId: installation.bot?.userId ?? null,
        botToken: installation.bot?.token ?? null,
        installation: JSON.stringify(installation),
      };
      await prisma.slackInstallation.upsert({
        where: { workspaceId: workspace.id },
        update: data,
        create: { workspaceId: workspace.id, ...data },
      });
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const teamId = query.isEnterpriseInstall ? query.enterpriseId : (query.teamId ?? query.enterpriseId);
      const row = teamId ? await prisma.slackInstallation.findFirst({ where: { workspace: { slackTeamId: teamId } } }) : null;
      if (!row) throw new Error(`No Slack installation for team ${teamId ?? '(none)'}: install the app at /slack/install`);
      return JSON.parse(row.installation) as Installation<'v1' | 'v2', boolean>;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      const teamId = query.isEnterpriseInstall ? query.enterpriseId : (query.teamId ?? query.enterpriseId);
      if (!teamId) return;
      await prisma.slackInstallation.deleteMany({ where: { workspace: { slackTeamId: teamId } } });
    },
  };
}

/** The bot token stored for a workspace (used by the notifier outside any request). */
export async function storedBotToken(prisma: Prisma, workspaceId: string): Promise<string | null> {
  const row = await prisma.slackInstallation.findUnique({ where: { workspaceId }, select: { botToken: true } });
  return row?.botToken ?? null;
}
