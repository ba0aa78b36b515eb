// Milestones and their readiness.
import { createMilestone } from '../../services/create-milestone.js';
import { findMilestone } from '../../services/resolve-milestone.js';
import { getReadiness } from '../../services/get-readiness.js';
import { toMilestoneView } from '../../services/milestone-view.js';
import { updateMilestone } from '../../services/update-milestone.js';
import { listMilestoneTests } from '../../services/list-milestone-tests.js';
import {
  AuditPage,
  AuditQuery,
  MilestoneInput,
  MilestoneListQuery,
  MilestonePatch,
  MilestoneTestsPage,
  MilestoneTestsQuery,
  ReadinessQuery,
} from '../schemas.js';
import { listAuditTrail } from '../../services/list-audit-trail.js';
import { API_HINTS } from '../lookup-hints.js';
import { route } from '../route-table.js';
import { newMilestoneNeedingAdmin } from '../../domain/gate-moving-changes.js';

export const milestoneRoutes = [
  route({
    method: 'get',
    path: '/milestones',
    scope: 'read',
    summary: 'List milestones, optionally by status',
    query: MilestoneListQuery,
    responses: { 200: 'The milestones' },
    handler: async ({ deps, project, query }) => {
      const rows = await deps.db.prisma.milestone.findMany({
        where: { projectId: project.id, ...(query.status ? { status: query.status } : {}) },
        orderBy: [{ dueDate: 'asc' }, { createdAt: 'asc' }],
      });
      return { status: 200, body: { milestones: rows.map((m) => toMilestoneView(m, project)) } };
    },
  }),
  route({
    method: 'post',
    path: '/milestones',
    scope: 'report',
    summary: 'Create a milestone',
    body: MilestoneInput,
    example: {
      name: 'Release 2.4',
      dueDate: '2030-06-30',
      timeZone: 'Europe/Berlin',
      scope: { include: ['checkout::*', 'auth::login'] },
      gate: { requiredEnvironments: ['staging'] },
    },
    responses: { 201: 'The milestone', 409: 'A milestone of that name exists' },
    handler: async ({ deps, project, body, requireScope, actor }) => {
      const gateMoving = newMilestoneNeedingAdmin(body);
      if (gateMoving) requireScope('admin', gateMoving);
      const m = await createMilestone(deps, {
        projectId: project.id,
        name: body.name,
        description: body.description,
        dueDate: body.dueDate,
        timeZone: body.timeZone,
        status: body.status,
        scope: body.scope?.include ?? null,
        gate: body.gate,
        slackChannelId: body.slackChannelId,
        actor,
      });
      return { status: 201, body: toMilestoneView(m, project) };
    },
  }),
  route({
    method: 'get',
    path: '/milestones/{milestoneId}',
    scope: 'read',
    summary: 'Read a milestone (by id or URL-encoded name)',
    responses: { 200: 'The milestone' },
    handler: async ({ deps, project, params }) => {
      const m = await findMilestone(deps, { projectId: project.id, idOrName: params.milestoneId!, hints: API_HINTS });
      return { status: 200, body: toMilestoneView(m, project) };
    },
  }),
  route({
    method: 'patch',
    path: '/milestones/{milestoneId}',
    scope: 'admin',
    summary: 'Update a milestone; status changes follow the lifecycle rules',
    body: MilestonePatch,
    example: { status: 'COMPLETED', overrideReason: 'Hotfix approved by the release board' },
    responses: { 200: 'The milestone', 409: 'The lifecycle forbids it (e.g. completing on NO_GO without overrideReason)' },
    handler: async ({ deps, project, params, body, actor }) => {
      const m = await findMilestone(deps, { projectId: project.id, idOrName: params.milestoneId!, hints: API_HINTS });
      const updated = await updateMilestone(deps, { milestoneId: m.id, patch: body, actor });
      return { status: 200, body: toMilestoneView(updated, project) };
    },
  }),
  route({
    method: 'get',
    path: '/milestones/{milestoneId}/readiness',
    scope: 'read',
    summary: 'The go/no-go verdict with reasons, checks, metrics and the forecast; with since, what changed since then',
    query: ReadinessQuery,
    responses: {
      200:
        '{ milestone, verdict, reasons, checks, metrics, policy, forecast, forecastUnavailable, signoffs, evaluatedAt, changes? }; ' +
        'forecast is { p50, p85, basis } (local dates YYYY-MM-DD) or null, with forecastUnavailable { code, message } saying why',
      400: 'since is not an ISO-8601 instant, or is in the future',
      404: 'No such milestone: the message names close matches',
    },
    handler: async ({ deps, project, params, query }) => {
      const m = await findMilestone(deps, { projectId: project.id, project, idOrName: params.milestoneId!, hints: API_HINTS });
      return { status: 200, body: await getReadiness(deps, m, { since: query.since }) };
    },
  }),
  route({
    method: 'get',
    path: '/milestones/{milestoneId}/tests',
    scope: 'read',
    summary: 'The current state per test case and environment (failed first, then by key), with the run where each state began; paged',
    query: MilestoneTestsQuery,
    responseBody: MilestoneTestsPage,
    responses: {
      200: '{ tests, total, nextCursor }: a page of tests; nextCursor is null on the last page',
      400: 'A bad filter, limit or cursor: the message says which and what it accepts',
      404: 'No such milestone: the message names close matches',
    },
    handler: async ({ deps, project, params, query }) => {
      const m = await findMilestone(deps, { projectId: project.id, idOrName: params.milestoneId!, hints: API_HINTS });
      const { cursor, limit, ...filter } = query;
      return { status: 200, body: await listMilestoneTests(deps, { milestoneId: m.id, projectId: project.id, filter, cursor, limit }) };
    },
  }),
  route({
    method: 'get',
    path: '/milestones/{milestoneId}/audit',
    scope: 'read',
    summary: 'The audit trail of a milestone (gate, scope, due date, lifecycle, sign-offs, its defects), newest first; paged',
    query: AuditQuery,
    responseBody: AuditPage,
    responses: {
      200: '{ entries, nextCursor }: who changed what, when, with the fields before and after; nextCursor is null on the last page',
      400: 'A bad limit or cursor: the message says which and what it accepts',
      404: 'No such milestone: the message names close matches',
    },
    handler: async ({ deps, project, params, query }) => {
      const m = await findMilestone(deps, { projectId: project.id, idOrName: params.milestoneId!, hints: API_HINTS });
      return { status: 200, body: await listAuditTrail(deps, { projectId: project.id, milestoneId: m.id, ...query }) };
    },
  }),
];
