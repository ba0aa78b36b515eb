// Updates a project's settings: name, channel, time zone, gate defaults, the
// public badge on or off, and the Jira mapping (project key, issue type, severity→priority, labels). Setting
// the mapping is what the failure messages of issue creation ask for (a wrong
// project key, issue type or priority), so it also puts that project's failed
// creations back in the queue, in the same transaction. A change of the gate
// defaults is on the audit trail, written in the same transaction.
import { auditFields, changedFields, type Actor } from '../domain/audit.js';
import { checkApprovers, parseApprovers } from '../domain/approvers.js';
import { AppError } from '../domain/errors.js';
import type { GatePolicy } from '../domain/gate-policy.js';
import { JIRA_PROJECT_KEY_PATTERN } from '../domain/jira-keys.js';
import { isValidTimeZone } from '../domain/time.js';
import type { Severity } from '../domain/types.js';
import type { Prisma } from '../db/open-database.js';
import { recordAudit } from '../db/audit-trail.js';
import { OUTBOX_KINDS, requeueFailed } from '../db/outbox.js';
import { parseJson } from './milestone-view.js';
import type { ServiceDeps } from './service-deps.js';

export interface ProjectPatch {
  name?: string;
  slackChannelId?: string | null;
  timeZone?: string;
  gate?: Partial<GatePolicy>;
  /** Slack user and user group ids who alone may approve in Slack; empty or null: anyone may. */
  approvers?: string[] | null;
  jira?: {
    projectKey?: string | null;
    issueType?: string | null;
    priorities?: Partial<Record<Severity, string>>;
    labels?: string[];
  };
  /** Whether the public badge (/badge/{project}/{milestone}.svg and .json) is served. */
  badgeEnabled?: boolean;
}

export interface UpdateProjectResult {
  project: Awaited<ReturnType<Prisma['project']['update']>>;
  /** Failed Jira issue creations of the project put back in the queue by a new mapping. */
  jiraRequeued: number;
}

export async function updateProject(
  deps: ServiceDeps,
  options: { projectId: string; patch: ProjectPatch; actor: Actor },
): Promise<UpdateProjectResult> {
  const project = await deps.db.prisma.project.findUniqueOrThrow({ where: { id: options.projectId } });
  const p = options.patch;
  const data: Record<string, unknown> = {};
  if (p.name !== undefined) data.name = p.name.trim();
  if (p.slackChannelId !== undefined) data.slackChannelId = p.slackChannelId;
  if (p.timeZone !== undefined) {
    if (!isValidTimeZone(p.timeZone))
      throw new AppError('VALIDATION_FAILED', `"${p.timeZone}" is not a time zone; use an IANA name such as Europe/Berlin.`);
    data.timeZone = p.timeZone;
  }
  if (p.approvers !== undefined) data.approvers = JSON.stringify(checkApprovers(p.approvers ?? []));
  if (p.jira) {
    const key = p.jira.projectKey;
    if (key !== undefined && key !== null && !JIRA_PROJECT_KEY_PATTERN.test(key)) {
      throw new AppError('VALIDATION_FAILED', `"${key}" is not a Jira project key; use the upper-case key shown in Jira, e.g. PAY.`);
    }
    if (key !== undefined) data.jiraProjectKey = key;
    if (p.jira.issueType !== undefined) data.jiraIssueType = p.jira.issueType;
    if (p.jira.priorities) data.jiraPriorityMap = JSON.stringify(p.jira.priorities);
    if (p.jira.labels) data.jiraLabels = JSON.stringify(p.jira.labels);
  }
  if (p.badgeEnabled !== undefined) data.badgeEnabled = p.badgeEnabled;
  const now = deps.now();
  return deps.db.prisma.$transaction(async (tx) => {
    // The gate is merged with what is stored now, inside the transaction, so the entry's "before" is what was replaced.
    const current = await tx.project.findUniqueOrThrow({ where: { id: project.id } });
    const gateBefore = parseJson<Partial<GatePolicy>>(current.gatePolicy, {});
    if (p.gate) data.gatePolicy = JSON.stringify({ ...gateBefore, ...p.gate });
    const updated = await tx.project.update({ where: { id: project.id }, data });
    const gateAfter = parseJson<Partial<GatePolicy>>(updated.gatePolicy, {});
    await recordAudit(
      tx,
      { projectId: project.id },
      options.actor,
      [
        changedFields('project.gate', auditFields(gateBefore), auditFields(gateAfter)),
        changedFields(
          'project.approvers',
          { approvers: parseApprovers(current.approvers) },
          { approvers: parseApprovers(updated.approvers) },
        ),
      ],
      now,
    );
    // Any mapping given counts, even the same one again: re-setting it is the natural "try again" after fixing
    // the project in Jira. Without a Jira project the creations would only fail again, so they stay as they are.
    const jiraRequeued =
      p.jira && updated.jiraProjectKey ? await requeueFailed(tx, OUTBOX_KINDS.jiraCreateIssue, now, { projectId: project.id }) : 0;
    return { project: updated, jiraRequeued };
  });
}
