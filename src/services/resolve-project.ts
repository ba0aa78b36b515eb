// Which project of a workspace is meant: by the key someone typed, or by an id
// that came back from a modal. Scoped by workspace, so another team's project
// of the same key is never found.
import { AppError } from '../domain/errors.js';
import { listProjects } from './list-projects.js';
import { sentences, type LookupHints } from './lookup-hints.js';
import type { ServiceDeps } from './service-deps.js';

const KNOWN_KEYS = 20;

/** The project with that key (any case), or null. */
export async function findProjectByKey(deps: ServiceDeps, options: { workspaceId: string; key: string }) {
  return deps.db.prisma.project.findUnique({
    where: { workspaceId_key: { workspaceId: options.workspaceId, key: options.key.toUpperCase() } },
  });
}

/** The project with that key (any case), or a NOT_FOUND naming the projects there are. */
export async function resolveProject(deps: ServiceDeps, options: { workspaceId: string; key: string; hints?: LookupHints }) {
  const project = await findProjectByKey(deps, options);
  if (project) return project;
  throw await noSuchProject(deps, options);
}

/** The error for a key no project of the workspace has. */
export async function noSuchProject(deps: ServiceDeps, options: { workspaceId: string; key: string; hints?: LookupHints }) {
  const key = options.key.toUpperCase();
  const known = await listProjects(deps, { workspaceId: options.workspaceId, limit: KNOWN_KEYS });
  return new AppError(
    'NOT_FOUND',
    sentences(
      `There is no project ${key} in this workspace.`,
      known.length ? `Projects: ${known.map((p) => p.key).join(', ')}.` : options.hints?.createProject?.(key),
    ),
  );
}

/** The project with that id if it belongs to the workspace (ids come back from modals), or null. */
export async function findWorkspaceProject(deps: ServiceDeps, options: { workspaceId: string; projectId: string }) {
  return deps.db.prisma.project.findFirst({ where: { id: options.projectId, workspaceId: options.workspaceId } });
}
