// GET, PATCH /api/projects/{projectId}: the project and its settings; and
// POST …/link-secret/rotate, which revokes every readiness page link of the project.
import { rotateLinkSecret } from '../../services/milestone-link.js';
import { updateProject } from '../../services/update-project.js';
import { parseJson } from '../../services/milestone-view.js';
import { resolveGatePolicy } from '../../domain/gate-policy.js';
import { parseApprovers } from '../../domain/approvers.js';
import { AuditPage, AuditQuery, OwnerRulesInput, OwnerRulesView, ProjectPatch } from '../schemas.js';
import { listOwnerRules } from '../../services/list-owner-rules.js';
import { setOwnerRules } from '../../services/set-owner-rules.js';
import { listAuditTrail } from '../../services/list-audit-trail.js';
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
    approvers: parseApprovers(p.approvers),
    jira: {
      projectKey: p.jiraProjectKey,
      issueType: p.jiraIssueType,
      priorities: parseJson(p.jiraPriorityMap, {}),
      labels: parseJson(p.jiraLabels, []),
    },
    badgeEnabled: p.badgeEnabled,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export const projectRoutes = [
  route({
    method: 'get',
    path: '',
    scope: 'read',
    summary: 'The project and its settings',
    responses: { 200: 'The project' },
    handler: async ({ project }) => ({ status: 200, body: projectView(project) }),
  }),
  route({
    method: 'patch',
    path: '',
    scope: 'admin',
    summary: 'Update the project: name, channel, time zone, gate defaults, approvers, Jira mapping, public badge on or off',
    body: ProjectPatch,
    example: {
      timeZone: 'Europe/Berlin',
      gate: { passRateThreshold: 0.97, requiredSignoffs: 1 },
      approvers: ['U024BE7LH', 'S0614TZR7'],
      jira: { projectKey: 'PAY', issueType: 'Bug', priorities: { CRITICAL: 'Highest' }, labels: ['shipgate'] },
    },
    responses: { 200: 'The updated project' },
    handler: async ({ deps, project, body, actor }) => {
      const { project: updated } = await updateProject(deps, { projectId: project.id, patch: body, actor });
      return { status: 200, body: projectView(updated) };
    },
  }),
  route({
    method: 'get',
    path: '/audit',
    scope: 'read',
    summary: 'The audit trail of the project and all its milestones and defects, newest first; paged',
    query: AuditQuery,
    responseBody: AuditPage,
    responses: {
      200: '{ entries, nextCursor }: who changed what, when, with the fields before and after; nextCursor is null on the last page',
      400: 'A bad limit or cursor: the message says which and what it accepts',
    },
    handler: async ({ deps, project, query }) => ({ status: 200, body: await listAuditTrail(deps, { projectId: project.id, ...query }) }),
  }),
  route({
    method: 'get',
    path: '/owners',
    scope: 'read',
    summary: "The project's owner rules in order: the last rule matching a case's key or suite names its owners (as in CODEOWNERS)",
    responseBody: OwnerRulesView,
    responses: { 200: '{ rules: [{ pattern, owners }] }' },
    handler: async ({ deps, project }) => ({ status: 200, body: { rules: await listOwnerRules(deps, { projectId: project.id }) } }),
  }),
  route({
    method: 'put',
    path: '/owners',
    scope: 'admin',
    summary: "Replace the project's owner rules (the whole ordered list; [] removes them all); recorded on the audit trail",
    body: OwnerRulesInput,
    example: {
      rules: [
        { pattern: 'checkout*', owners: ['S0614TZR7'] },
        { pattern: 'checkout::pays-by-card', owners: ['U024BE7LH'] },
      ],
    },
    responseBody: OwnerRulesView,
    responses: {
      200: 'The rules as stored',
      400: 'A bad rule (the message names it: an empty or over-long pattern, an id that is not a Slack user or group, a pattern repeated); nothing was changed',
    },
    handler: async ({ deps, project, body, actor }) => {
      const { rules } = await setOwnerRules(deps, { projectId: project.id, rules: body.rules, actor });
      return { status: 200, body: { rules } };
    },
  }),
  route({
    method: 'post',
    path: '/link-secret/rotate',
    scope: 'admin',
    summary: 'Revoke every readiness page link of the project (a new link secret); links issued afterwards work',
    responses: { 200: 'The secret was replaced' },
    handler: async ({ deps, project }) => {
      await rotateLinkSecret(deps, { projectId: project.id });
      return {
        status: 200,
        body: {
          rotated: true,
          message: `Every link to a readiness page of ${project.key} issued before now stops working; new links work.`,
        },
      };
    },
  }),
];
