// GET, POST, DELETE /api/projects/{projectId}/quarantine[/{quarantineId}]:
// a project's quarantined tests (SPEC §10). Project-scoped, not per milestone:
// a test case belongs to the project and is flaky in every milestone that runs
// it, so one quarantine holds for all of them (and for milestones yet to come).
// Changing what counts toward the pass rate moves the gate: admin keys only.
import { endQuarantine } from '../../services/end-quarantine.js';
import { listQuarantines } from '../../services/list-quarantines.js';
import { quarantineTest } from '../../services/quarantine-test.js';
import { QuarantineBody, QuarantineInput, QuarantineList } from '../schemas.js';
import { route } from '../route-table.js';

export const quarantineRoutes = [
  route({
    method: 'get',
    path: '/quarantine',
    scope: 'read',
    summary: "List the project's quarantined tests, soonest to end first (expired ones marked inForce: false)",
    responses: { 200: 'The quarantines' },
    responseBody: QuarantineList,
    handler: async ({ deps, project }) => ({ status: 200, body: { quarantines: await listQuarantines(deps, { projectId: project.id }) } }),
  }),
  route({
    method: 'post',
    path: '/quarantine',
    scope: 'admin',
    summary: "Quarantine a non-critical test case: its failures leave every milestone's pass rate until it ends",
    body: QuarantineInput,
    example: { caseKey: 'checkout::applies coupon', reason: 'Flaky on CI since the cache change; PAY-88', until: '2030-07-15' },
    responses: {
      201: 'The quarantine',
      400: 'No reason, or an end that is not a date or not in the future',
      404: 'The project has no test case with that key',
      409: 'The case is critical (a critical case can never be quarantined), or already quarantined',
    },
    responseBody: QuarantineBody,
    handler: async ({ deps, project, body, actor }) => ({
      status: 201,
      body: await quarantineTest(deps, { projectId: project.id, ...body, actor }),
    }),
  }),
  route({
    method: 'delete',
    path: '/quarantine/{quarantineId}',
    scope: 'admin',
    summary: "End a test's quarantine now: its failures count again; quarantineId is the quarantine's id or the case's key (URL-encoded)",
    responses: { 200: 'The quarantine that was removed', 404: 'No such quarantine' },
    responseBody: QuarantineBody,
    handler: async ({ deps, project, params, actor }) => ({
      status: 200,
      body: await endQuarantine(deps, { projectId: project.id, ref: params.quarantineId!, actor }),
    }),
  }),
];
