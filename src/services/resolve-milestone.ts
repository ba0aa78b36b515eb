// THE milestone resolver, for Slack and the REST API alike: what someone typed
// (`PROJECT/name`, a name alone, an id) or an id that came back from a button
// becomes a milestone, by one name-key rule, one lookup and one set of
// suggestions. Every query is scoped by a workspace or a project, so one team
// can never reach another's milestones. Each edge adds its own next steps
// (LookupHints); nothing here names a command or a path.
import { AppError } from '../domain/errors.js';
import { milestoneNameKey } from '../domain/milestone-name.js';
import { getChannelProject } from './get-channel-project.js';
import { sentences, type LookupHints } from './lookup-hints.js';
import { findProjectByKey, noSuchProject } from './resolve-project.js';
import type { ServiceDeps } from './service-deps.js';
import { didYouMean, suggestMilestones, type MilestoneSuggestion } from './suggest-milestones.js';

/** A milestone as typed: `PROJECT/name` or a name alone. */
export interface MilestoneRef {
  /** The project key (upper case), when the text started with one and a slash. */
  project: string | null;
  name: string;
  /** The text exactly as typed, for messages and for a fallback when PROJECT/ was part of a name. */
  raw: string;
}

export type ResolvedMilestone = NonNullable<Awaited<ReturnType<typeof milestoneOfProject>>>;

/**
 * A milestone of the workspace from what someone typed: `PROJECT/name` (or
 * `PROJECT/id`); or a name alone, looked up first in the channel's default
 * project and then across the workspace, where it must be unique.
 */
export async function resolveMilestone(
  deps: ServiceDeps,
  options: { workspaceId: string; channelId?: string | null; ref: MilestoneRef; hints?: LookupHints },
): Promise<ResolvedMilestone> {
  const { workspaceId, ref, hints } = options;
  if (ref.project) {
    const project = await findProjectByKey(deps, { workspaceId, key: ref.project });
    if (project) {
      const found = await milestoneOfProject(deps, project.id, ref.name);
      if (found) return found;
      throw await notInProject(deps, project, ref.name, hints);
    }
    // "2.4/hotfix" style names: the part before the slash was not a project after all.
    const whole = await byName(deps, options, ref.raw);
    if (whole) return whole;
    throw await noSuchProject(deps, { workspaceId, key: ref.project, hints });
  }
  const found = await byName(deps, options, ref.name);
  if (found) return found;
  const suggestions = await suggestMilestones(deps, { scope: { workspaceId }, typed: ref.name });
  throw new AppError(
    'NOT_FOUND',
    sentences(`No milestone named "${ref.name}" in this workspace.`, didYouMean(suggestions), hints?.listMilestones),
    suggestionDetails(suggestions),
  );
}

/**
 * A milestone of one project by id or by name (any case), e.g. from an API path.
 * A caller that has the project row already (the API key's) passes it as `project`,
 * and it is not read again.
 */
export async function findMilestone(
  deps: ServiceDeps,
  options: { projectId: string; idOrName: string; hints?: LookupHints; project?: ResolvedMilestone['project'] },
): Promise<ResolvedMilestone> {
  const { project: known } = options;
  const found =
    known && known.id === options.projectId
      ? await milestoneOfKnownProject(deps, known, options.idOrName)
      : await milestoneOfProject(deps, options.projectId, options.idOrName);
  if (found) return found;
  const project = await deps.db.prisma.project.findUniqueOrThrow({ where: { id: options.projectId }, select: { id: true, key: true } });
  throw await notInProject(deps, project, options.idOrName, options.hints);
}

/** A milestone by id, only if it belongs to the workspace (ids come back from buttons and modals). */
export async function milestoneInWorkspace(
  deps: ServiceDeps,
  options: { workspaceId: string; milestoneId: string | undefined; hints?: LookupHints },
): Promise<ResolvedMilestone> {
  const m = options.milestoneId
    ? await deps.db.prisma.milestone.findFirst({
        where: { id: options.milestoneId, project: { workspaceId: options.workspaceId } },
        include: { project: true },
      })
    : null;
  if (!m) throw new AppError('NOT_FOUND', sentences('That milestone no longer exists in this workspace.', options.hints?.listMilestones));
  return m;
}

// By id first: an id is exact, and a name that happens to equal another
// milestone's id must not shadow it.
async function milestoneOfProject(deps: ServiceDeps, projectId: string, idOrName: string) {
  const rows = await deps.db.prisma.milestone.findMany({
    where: { projectId, OR: [{ id: idOrName }, { nameKey: milestoneNameKey(idOrName) }] },
    include: { project: true },
    take: 2,
  });
  return rows.find((m) => m.id === idOrName) ?? rows[0] ?? null;
}

async function milestoneOfKnownProject(deps: ServiceDeps, project: ResolvedMilestone['project'], idOrName: string) {
  const rows = await deps.db.prisma.milestone.findMany({
    where: { projectId: project.id, OR: [{ id: idOrName }, { nameKey: milestoneNameKey(idOrName) }] },
    take: 2,
  });
  const m = rows.find((r) => r.id === idOrName) ?? rows[0];
  return m ? { ...m, project } : null;
}

async function notInProject(deps: ServiceDeps, project: { id: string; key: string }, typed: string, hints: LookupHints | undefined) {
  const suggestions = await suggestMilestones(deps, { scope: { projectId: project.id }, typed });
  return new AppError(
    'NOT_FOUND',
    sentences(`${project.key} has no milestone "${typed}".`, didYouMean(suggestions), hints?.listMilestones),
    suggestionDetails(suggestions),
  );
}

// For API clients, which can follow an id rather than parse the message.
function suggestionDetails(suggestions: MilestoneSuggestion[]) {
  return suggestions.length ? { suggestions } : undefined;
}

async function byName(
  deps: ServiceDeps,
  o: { workspaceId: string; channelId?: string | null; hints?: LookupHints },
  name: string,
): Promise<ResolvedMilestone | null> {
  const prisma = deps.db.prisma;
  const nameKey = milestoneNameKey(name);
  const channelProject = await getChannelProject(deps, o);
  if (channelProject) {
    const inDefault = await prisma.milestone.findUnique({
      where: { projectId_nameKey: { projectId: channelProject.id, nameKey } },
      include: { project: true },
    });
    if (inDefault) return inDefault;
  }
  const candidates = await prisma.milestone.findMany({
    where: { nameKey, project: { workspaceId: o.workspaceId } },
    include: { project: true },
    take: 10,
  });
  // An archived namesake should not make an active milestone ambiguous.
  const live = candidates.filter((m) => m.status !== 'ARCHIVED');
  const pool = live.length > 0 ? live : candidates;
  if (pool.length > 1) {
    const forms = pool.map((m) => `\`${m.project.key}/${m.name}\``).join(', ');
    throw new AppError(
      'VALIDATION_FAILED',
      sentences(`"${name}" is a milestone in several projects; say which one: ${forms}.`, o.hints?.pickProject),
      { candidates: pool.map((m) => ({ id: m.id, projectKey: m.project.key, name: m.name })) },
    );
  }
  return pool[0] ?? null;
}
