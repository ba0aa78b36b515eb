// Updates a project's settings: name, channel, time zone, gate defaults and the
// Jira mapping (project key, issue type, severity→priority, labels).
import { AppError } from '../domain/errors.js';
import type { GatePolicy } from '../domain/gate-policy.js';
import { isValidTimeZone } from '../domain/time.js';
import type { Severity } from '../domain/types.js';
import type { Prisma } from '../db/open-database.js';
import { parseJson } from './milestone-view.js';

export interface ProjectPatch {
  name?: string;
  slackChannelId?: string | null;
  timeZone?: string;
  gate?: Partial<GatePolicy>;
  jira?: {
    projectKey?: string | null;
    issueType?: string | null;
    priorities?: Partial<Record<Severity, string>>;
    labels?: string[];
  };
}

const JIRA_PROJECT_KEY = /^[A-Z][A-Z0-9_]+$/;

export async function updateProject(deps: { prisma: Prisma }, options: { projectId: string; patch: ProjectPatch }) {
  const project = await deps.prisma.project.findUniqueOrThrow({ where: { id: options.projectId } });
  const p = options.patch;
  const data: Record<string, unknown> = {};
  if (p.name !== undefined) data.name = p.name.trim();
  if (p.slackChannelId !== undefined) data.slackChannelId = p.slackChannelId;
  if (p.timeZone !== undefined) {
    if (!isValidTimeZone(p.timeZone)) throw new AppError('VALIDATION_FAILED', `"${p.timeZone}" is not a time zone; use an IANA name such as Europe/Berlin.`);
    data.timeZone = p.timeZone;
  }
  if (p.gate) data.gatePolicy = JSON.stringify({ ...parseJson(project.gatePolicy, {}), ...p.gate });
  if (p.jira) {
    const key = p.jira.projectKey;
    if (key !== undefined && key !== null && !JIRA_PROJECT_KEY.test(key)) {
      throw new AppError('VALIDATION_FAILED', `"${key}" is not a Jira project key; use the upper-case key shown in Jira, e.g. PAY.`);
    }
    if (key !== undefined) data.jiraProjectKey = key;
    if (p.jira.issueType !== undefined) data.jiraIssueType = p.jira.issueType;
    if (p.jira.priorities) data.jiraPriorityMap = JSON.stringify(p.jira.priorities);
    if (p.jira.labels) data.jiraLabels = JSON.stringify(p.jira.labels);
  }
  return deps.prisma.project.update({ where: { id: project.id }, data });
}
