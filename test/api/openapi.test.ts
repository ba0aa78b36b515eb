// The OpenAPI document as served: OpenAPI 3.1's required fields, every route of
// the table (so the document cannot drift from the router), request schemas
// identical to the ones that validate, and examples those schemas accept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startApi, type ApiHarness } from '../helpers/api-server.js';
import { testProvider } from '../helpers/test-database.js';
import { API_ROUTES } from '../../src/api/mount-api.js';
import { MilestoneTestsPage } from '../../src/api/schemas.js';

interface Operation {
  operationId: string;
  summary: string;
  parameters: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, { description: string }>;
  security: unknown[];
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

describe(`GET /api/openapi.json (${testProvider()})`, () => {
  let h: ApiHarness;
  let doc: Doc;

  beforeAll(async () => {
    h = await startApi();
    const res = await fetch(`${h.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await res.json()) as Doc;
  });
  afterAll(async () => h.close());

  it('has the fields OpenAPI 3.1 requires, and the bearer scheme every operation uses', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toEqual(expect.any(String));
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      for (const op of Object.values(ops)) {
        expect(op.security).toEqual([{ bearer: [] }]);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(response.description, `${path} ${status}`).toEqual(expect.any(String));
        }
        // Any operation can meet a busy database.
        expect(op.responses['503']?.description, `${path} 503`).toMatch(/Retry-After/);
      }
    }
  });

  it('lists every route of the table, each path parameter declared, operation ids unique', () => {
    const ids = new Set<string>();
    let count = 0;
    for (const r of API_ROUTES) {
      const path = `/api/projects/{projectId}${r.path}`;
      const op = doc.paths[path]?.[r.method];
      expect(op, `${r.method.toUpperCase()} ${path}`).toBeDefined();
      const declared = op!.parameters
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      expect(declared).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      expect(ids.has(op!.operationId), op!.operationId).toBe(false);
      ids.add(op!.operationId);
      count++;
    }
    // Nothing in the document that the router does not serve.
    const documented = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(documented).toBe(count);
    // Result ingestion is in the table like everything else.
    expect(doc.paths['/api/projects/{projectId}/test-runs/{runId}/results']?.post).toBeDefined();
    expect(Object.keys(doc.paths['/api/projects/{projectId}/test-runs/{runId}/junit']!.post!.requestBody!.content).sort()).toEqual([
      'application/xml',
      'text/xml',
    ]);
  });

  it('request bodies use the validating schemas and carry examples those schemas accept', () => {
    const withBody = API_ROUTES.filter((r) => r.body);
    expect(withBody.length).toBeGreaterThan(5);
    for (const r of withBody) {
      const media = doc.paths[`/api/projects/{projectId}${r.path}`]![r.method]!.requestBody!.content['application/json']!;
      expect(media.schema).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(r.body!))));
      expect(media.example, `${r.method} ${r.path} has an example`).toBeDefined();
      const parsed = r.body!.safeParse(media.example);
      expect(parsed.success, `${r.method} ${r.path}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
      // Strict objects: the schema refuses what it does not name.
      expect(r.body!.safeParse({ ...(media.example as object), surprise: 1 }).success).toBe(false);
    }
  });

  it('query parameters come from the query schemas', () => {
    const op = doc.paths['/api/projects/{projectId}/defects']!.get!;
    expect(
      op.parameters
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['milestoneId', 'status']);
  });

  it('the tests listing: its query as clients send it (strings), its success body, and the 400 and 404 it answers', () => {
    // The operation as served, with the parts this test reads (parameter schemas, response bodies).
    const op = doc.paths['/api/projects/{projectId}/milestones/{milestoneId}/tests']!.get! as unknown as {
      parameters: { name: string; in: string; schema: { type?: string; enum?: string[] } }[];
      responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
    };
    const query = Object.fromEntries(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
    expect(Object.keys(query).sort()).toEqual(['cursor', 'environment', 'flaky', 'limit', 'regression', 'status']);
    expect(query.flaky).toMatchObject({ type: 'string', enum: ['true', 'false'] });
    expect(query.regression).toMatchObject({ type: 'string', enum: ['new', 'still'] });
    expect(query.limit).toMatchObject({ type: 'string' });
    expect(op.responses['200']!.content!['application/json']!.schema).toEqual(
      JSON.parse(JSON.stringify(z.toJSONSchema(MilestoneTestsPage))),
    );
    expect(op.responses['400']!.description).toMatch(/filter, limit or cursor/);
    expect(op.responses['404']!.description).toMatch(/No such milestone/);
  });
});
