// "Did you mean …": live milestones whose name key contains the first letters
// of what was typed, newest first, within the scope the lookup was in (one
// project, or one workspace) and never beyond it.
import { milestoneNameKey } from '../domain/milestone-name.js';
import type { ServiceDeps } from './service-deps.js';

const SUGGESTIONS = 5;
const FRAGMENT = 3;

export type SuggestionScope = { projectId: string } | { workspaceId: string };

export interface MilestoneSuggestion {
  id: string;
  projectKey: string;
  name: string;
}

export async function suggestMilestones(
  deps: ServiceDeps,
  options: { scope: SuggestionScope; typed: string },
): Promise<MilestoneSuggestion[]> {
  const { scope } = options;
  const fragment = milestoneNameKey(options.typed).slice(0, FRAGMENT);
  const near = await deps.db.prisma.milestone.findMany({
    where: {
      ...('projectId' in scope ? { projectId: scope.projectId } : { project: { workspaceId: scope.workspaceId } }),
      status: { not: 'ARCHIVED' },
      ...(fragment ? { nameKey: { contains: fragment } } : {}),
    },
    select: { id: true, name: true, project: { select: { key: true } } },
    orderBy: { createdAt: 'desc' },
    take: SUGGESTIONS,
  });
  return near.map((m) => ({ id: m.id, projectKey: m.project.key, name: m.name }));
}

/** The suggestions as a sentence, or '' when there are none. */
export function didYouMean(suggestions: MilestoneSuggestion[]): string {
  if (suggestions.length === 0) return '';
  return `Did you mean ${suggestions.map((s) => `\`${s.projectKey}/${s.name}\``).join(', ')}?`;
}
