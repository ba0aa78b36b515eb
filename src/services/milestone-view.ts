// The milestone as every surface shows it: the row plus its project key,
// scope size and the gate policy in effect.
import { resolveGatePolicy, type GatePolicy } from '../domain/gate-policy.js';
import type { Prisma } from '../db/open-database.js';

type MilestoneRow = Awaited<ReturnType<Prisma['milestone']['findUniqueOrThrow']>>;
type ProjectRow = Awaited<ReturnType<Prisma['project']['findUniqueOrThrow']>>;

export interface MilestoneView {
  id: string;
  projectId: string;
  projectKey: string;
  name: string;
  description: string | null;
  dueDate: string | null;
  timeZone: string;
  status: string;
  slackChannelId: string | null;
  scope: { include: string[]; size: number } | null;
  gate: Partial<GatePolicy>;
  policy: GatePolicy;
  completedAt: string | null;
  completionOverrideReason: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toMilestoneView(m: MilestoneRow, project: ProjectRow): MilestoneView {
  const scope = parseJson<string[] | null>(m.scope, null);
  const gate = parseJson<Partial<GatePolicy>>(m.gatePolicy, {});
  return {
    id: m.id,
    projectId: m.projectId,
    projectKey: project.key,
    name: m.name,
    description: m.description,
    dueDate: m.dueDate?.toISOString() ?? null,
    timeZone: m.timeZone,
    status: m.status,
    slackChannelId: m.slackChannelId ?? project.slackChannelId,
    scope: scope ? { include: scope, size: scope.length } : null,
    gate,
    policy: resolveGatePolicy(parseJson(project.gatePolicy, {}), gate),
    completedAt: m.completedAt?.toISOString() ?? null,
    completionOverrideReason: m.completionOverrideReason,
    createdBy: m.createdBy,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
