// GET, PATCH /api/projects/{projectId}: the project and its settings.
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { isValidTimeZone } from '../../domain/time.js';
import { parseJson } from '../../services/milestone-view.js';
import { resolveGatePolicy } from '../../domain/gate-policy.js';
import { ProjectPatch } from '../schemas.js';
import { route, type RouteContext } from '../route-table.js';

export function projectView(p: RouteContext['project']) {
  const gate = parseJson(p.gatePolicy, {});
  return {
    id: p.id,
    key: p.key,
    name: p.name,
    slackChannelId: p.slackChannelId,
    timeZone: p.timeZone,
    gate,
    policy: resolveGatePolicy(gate, null),
    jira: {
      projectKey: p.jiraProjectKey,
      issueType: p.jiraIssueType,
      priorities: parseJson(p.jiraPriorityMap, {}),
      labels: parseJson(p.jiraLabels, []),
    },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export const projectRoutes = [
  route({
    method: 'get',
    path: '',
    summary: 'The project and its settings',
    responses: { 200: 'The project' },
    handler: async ({ project }) => ({ status: 200, body: projectView(project) }),
  }),
  route({
    method: 'patch',
    path: '',
    summary: 'Update the project: name, channel, time zone, gate defaults, Jira mapping',
    body: ProjectPatch,
    responses: { 200: 'The updated project' },
    handler: async ({ deps, project, body }: RouteContext<z.infer<typeof ProjectPatch>>) => {
      const data: Record<string, unknown> = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.slackChannelId !== undefined) data.slackChannelId = body.slackChannelId;
      if (body.timeZone !== undefined) {
        if (!isValidTimeZone(body.timeZone)) throw new AppError('VALIDATION_FAILED', `"${body.timeZone}" is not a time zone; use an IANA name such as Europe/Berlin.`);
        data.timeZone = body.timeZone;
      }
      if (body.gate) data.gatePolicy = JSON.stringify({ ...parseJson(project.gatePolicy, {}), ...body.gate });
      if (body.jira) {
        if (body.jira.projectKey !== undefined) data.jiraProjectKey = body.jira.projectKey;
        if (body.jira.issueType !== undefined) data.jiraIssueType = body.jira.issueType;
        if (body.jira.priorities) data.jiraPriorityMap = JSON.stringify(body.jira.priorities);
        if (body.jira.labels) data.jiraLabels = JSON.stringify(body.jira.labels);
      }
      const updated = await deps.db.prisma.project.update({ where: { id: project.id }, data });
      return { status: 200, body: projectView(updated) };
    },
  }),
];
