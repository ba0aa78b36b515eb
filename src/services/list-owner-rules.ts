// A project's owner rules in order (the last that matches a case wins).
import type { OwnerRule } from '../domain/owners.js';
import { loadOwnerRules } from '../db/owner-rules.js';
import type { ServiceDeps } from './service-deps.js';

export function listOwnerRules(deps: ServiceDeps, options: { projectId: string }): Promise<OwnerRule[]> {
  return loadOwnerRules(deps.db.prisma, options.projectId);
}
