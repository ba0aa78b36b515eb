// Pieces the administration commands share: the workspace they work in, and JSON output.
import { userInfo } from 'node:os';
import type { Actor } from '../../domain/audit.js';
import { AppError } from '../../domain/errors.js';
import { findWorkspace } from '../../services/resolve-workspace.js';
import type { ServiceDeps } from '../../services/service-deps.js';

export const WORKSPACE_OPTION = [
  '--workspace <teamId>',
  'Slack team id of the workspace (needed only when the database holds several)',
] as const;

/** The workspace of a command that reads or changes what exists: never creates one. */
export async function adminWorkspace(deps: ServiceDeps, teamId: string | undefined) {
  const workspace = await findWorkspace(deps, teamId);
  if (!workspace)
    throw new AppError('NOT_FOUND', 'This database has no projects yet. Create one with `shipgate project create <KEY> <name>`.');
  return workspace;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Whoever runs an administration command on this machine, as the audit trail names them: local, with the OS user when known. */
export function localOperator(): Actor {
  let name: string | null = null;
  try {
    name = userInfo().username || null;
  } catch {
    // No passwd entry for this uid (some containers): the trail says local without a name.
  }
  return { type: 'local', name };
}
