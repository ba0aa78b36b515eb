// What a digest subscription names: a project by its key, or a milestone. A
// bare project key wins over a milestone of the same name (`subscribe PAY`
// means the project).
import { PROJECT_KEY_PATTERN } from '../domain/project-key.js';
import type { LookupHints } from './lookup-hints.js';
import { resolveMilestone, type MilestoneRef } from './resolve-milestone.js';
import { findProjectByKey } from './resolve-project.js';
import type { ServiceDeps } from './service-deps.js';

export interface SubscriptionTarget {
  target: { projectId: string } | { milestoneId: string };
  /** How the target is named in messages. */
  label: string;
}

export async function resolveSubscriptionTarget(
  deps: ServiceDeps,
  options: { workspaceId: string; channelId?: string | null; ref: MilestoneRef; hints?: LookupHints },
): Promise<SubscriptionTarget> {
  const { ref } = options;
  if (PROJECT_KEY_PATTERN.test(ref.raw.toUpperCase())) {
    const project = await findProjectByKey(deps, { workspaceId: options.workspaceId, key: ref.raw });
    if (project) return { target: { projectId: project.id }, label: `project ${project.key}` };
  }
  const m = await resolveMilestone(deps, options);
  return { target: { milestoneId: m.id }, label: `${m.project.key}/${m.name}` };
}
