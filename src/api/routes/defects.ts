// Defects as data; Jira work is queued by the use cases.
import { reportDefect } from '../../services/report-defect.js';
import { getDefect, updateDefect } from '../../services/update-defect.js';
import { defectChangeNeedingAdmin } from '../../domain/gate-moving-changes.js';
import { findMilestone } from '../../services/resolve-milestone.js';
import { DefectInput, DefectListQuery, DefectPatch } from '../schemas.js';
import { API_HINTS } from '../lookup-hints.js';
import { route } from '../route-table.js';

type DefectRow = Awaited<ReturnType<typeof getDefect>>;

export function defectView(d: DefectRow) {
  return {
    id: d.id,
    title: d.title,
    description: d.description,
    severity: d.severity,
    status: d.status,
    milestoneId: d.milestoneId,
    testCaseId: d.testCaseId,
    jira: jiraView(d),
    waiver: d.waiverReason ? { reason: d.waiverReason, until: d.waiverUntil?.toISOString() ?? null, by: d.waivedBy } : null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

const SYNC = { PENDING: 'pending', LINKED: 'linked', FAILED: 'failed' } as const;

/**
 * The defect's Jira issue and where its link stands: `pending` until Jira confirmed it (or
 * created it), `linked`, or `failed` with why. Fields Jira has not told yet are left out.
 */
export function jiraView(d: DefectRow) {
  if (!d.jiraKey && !d.jiraSync) return null;
  // Rows from before sync states existed and still without one were linked by a key.
  const sync = d.jiraSync ?? 'LINKED';
  return {
    key: d.jiraKey,
    ...(d.jiraUrl ? { url: d.jiraUrl } : {}),
    ...(d.jiraStatus ? { status: d.jiraStatus } : {}),
    ...(d.jiraStatusCategory ? { statusCategory: d.jiraStatusCategory } : {}),
    sync: SYNC[sync],
    ...(sync === 'FAILED' && d.jiraSyncError ? { error: d.jiraSyncError } : {}),
  };
}

export const defectRoutes = [
  route({
    method: 'get',
    path: '/defects',
    scope: 'read',
    summary: 'List defects, by milestone and status',
    query: DefectListQuery,
    responses: { 200: 'The defects' },
    handler: async ({ deps, project, query }) => {
      const milestoneId = query.milestoneId
        ? (await findMilestone(deps, { projectId: project.id, idOrName: query.milestoneId, hints: API_HINTS })).id
        : undefined;
      const rows = await deps.db.prisma.defect.findMany({
        where: { projectId: project.id, ...(milestoneId ? { milestoneId } : {}), ...(query.status ? { status: query.status } : {}) },
        orderBy: { createdAt: 'asc' },
      });
      return { status: 200, body: { defects: rows.map(defectView) } };
    },
  }),
  route({
    method: 'post',
    path: '/defects',
    scope: 'report',
    summary: 'Report a defect (optionally create or link a Jira issue)',
    body: DefectInput,
    example: { title: 'Login fails on Safari', severity: 'HIGH', milestone: 'Release 2.4', testKey: 'auth::login', jira: { create: true } },
    responses: {
      201: 'The defect; jira.sync is "linked" when Jira showed the key, "pending" while Jira is down or the issue is being created',
      404: 'No such milestone or test case',
      422: 'Jira is not set up on the server, or Jira says the key does not exist or cannot be read by Shipgate’s account',
    },
    handler: async ({ deps, project, body }) => {
      const d = await reportDefect(deps, { ...body, projectId: project.id, reportedBy: 'api' });
      return { status: 201, body: defectView(d) };
    },
  }),
  route({
    method: 'get',
    path: '/defects/{defectId}',
    scope: 'read',
    summary: 'Read a defect',
    responses: { 200: 'The defect' },
    handler: async ({ deps, project, params }) => ({
      status: 200,
      body: defectView(await getDefect(deps, { projectId: project.id, defectId: params.defectId! })),
    }),
  }),
  route({
    method: 'patch',
    path: '/defects/{defectId}',
    scope: 'report',
    summary: 'Resolve, reopen or waive a defect, or give it a Jira issue (create one or link a key)',
    body: DefectPatch,
    example: { waiver: { reason: 'Safari share below 1%; fix in 2.4.1', until: '2030-07-15T00:00:00Z' } },
    responses: {
      200: 'The defect',
      409: 'Creating an issue for a defect already linked to one',
      422: 'Jira is not set up on the server, or Jira says the key does not exist or cannot be read by Shipgate’s account',
    },
    handler: async ({ deps, project, params, body, requireScope, actor }) => {
      const current = await getDefect(deps, { projectId: project.id, defectId: params.defectId! });
      const gateMoving = defectChangeNeedingAdmin(body, current);
      if (gateMoving) requireScope('admin', gateMoving);
      return {
        status: 200,
        body: defectView(await updateDefect(deps, { projectId: project.id, defectId: params.defectId!, patch: body, actor })),
      };
    },
  }),
];
