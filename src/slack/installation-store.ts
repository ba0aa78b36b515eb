// Bolt's installation store for the OAuth install (many workspaces): maps
// Bolt's installations and queries to the team they belong to, and keeps them
// in the database (db/slack-installations.ts).
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Database } from '../db/open-database.js';
import { deleteInstallationsOfTeam, installationOfTeam, saveInstallation } from '../db/slack-installations.js';
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

function teamOfQuery(query: InstallationQuery<boolean>): string | undefined {
  return query.isEnterpriseInstall ? query.enterpriseId : (query.teamId ?? query.enterpriseId);
}

export function createInstallationStore(db: Database, workspaces: WorkspaceRegistry): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const workspace = await workspaces.forTeam(teamOf(installation), installation.team?.name ?? installation.enterprise?.name);
      await saveInstallation(db, workspace.id, {
        enterpriseId: installation.enterprise?.id ?? null,
        botUserId: installation.bot?.userId ?? null,
        botToken: installation.bot?.token ?? null,
        installation: JSON.stringify(installation),
      });
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const teamId = teamOfQuery(query);
      const stored = teamId ? await installationOfTeam(db, teamId) : null;
      if (!stored) throw new Error(`No Slack installation for team ${teamId ?? '(none)'}: install the app at /slack/install`);
      return JSON.parse(stored) as Installation<'v1' | 'v2', boolean>;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      const teamId = teamOfQuery(query);
      if (!teamId) return;
      await deleteInstallationsOfTeam(db, teamId);
    },
  };
}
