// The OpenAPI 3.1 document, built from the same route table and zod schemas
// that validate requests.
import { z } from 'zod';
import type { ApiRoute } from './route-table.js';
import { ErrorBody } from './schemas.js';

const ERRORS: Record<number, string> = {
  400: 'Invalid input: the message says what was wrong',
  401: 'Missing, unknown or revoked API key',
  403: 'The key belongs to another project, or its scope does not allow this call (the message names the scope it needs)',
  404: 'Not found',
  413: 'Body too large',
  415: 'Unsupported content type',
  503: 'The database was too busy to take the request (nothing was changed); send it again after Retry-After seconds',
};

export function buildOpenApi(routes: ApiRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorSchema = z.toJSONSchema(ErrorBody);
  for (const r of routes) {
    const path = `/api/projects/{projectId}${r.path}`;
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
      description: m[1] === 'projectId' ? 'Project id or key' : m[1] === 'milestoneId' ? 'Milestone id or URL-encoded name' : undefined,
    }));
    const query = r.query ? queryParameters(r.query) : [];
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(r.responses)) {
      const success = Number(status) < 300 && r.responseBody;
      responses[status] = success
        ? { description, content: { 'application/json': { schema: z.toJSONSchema(r.responseBody!) } } }
        : { description };
    }
    for (const [status, description] of Object.entries(ERRORS)) {
      responses[status] ??= { description, content: { 'application/json': { schema: errorSchema } } };
    }
    const operation: Record<string, unknown> = {
      summary: r.summary,
      description: `Needs an API key of scope ${r.scope}${r.scope === 'admin' ? '' : ' or above'} (scopes: read < report < admin).`,
      'x-shipgate-scope': r.scope,
      operationId: `${r.method}${r.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')) || 'Project'}`,
      parameters: [...params, ...query],
      responses,
      security: [{ bearer: [] }],
    };
    if (r.body) {
      const media: Record<string, unknown> = { schema: z.toJSONSchema(r.body) };
      if (r.example !== undefined) media.example = r.example;
      operation.requestBody = { required: true, content: { 'application/json': media } };
    }
    if (r.stream) {
      const description = r.stream.limit.report;
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(r.stream.types.map((t) => [t, { schema: { type: 'string', description } }])),
      };
    }
    (paths[path] ??= {})[r.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Shipgate API', version: '1', description: 'Milestones, test runs, results and defects for CI; the go/no-go verdict.' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A project API key, sg_…' } } },
    paths,
  };
}

function queryParameters(schema: z.ZodType) {
  // The input side: a query arrives as strings, whatever the schema turns them into.
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, unknown> };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}
