// A route is declared once — method, path, schemas, handler — and both the
// Express router and the OpenAPI document are built from the same table.
import type { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import type { Prisma } from '../db/open-database.js';

type ProjectRow = Awaited<ReturnType<Prisma['project']['findUniqueOrThrow']>>;

export interface RouteContext<B = unknown, Q = unknown> {
  deps: AppDeps;
  project: ProjectRow;
  apiKeyId: string;
  params: Record<string, string>;
  body: B;
  query: Q;
  /** The raw request body stream, for routes that stream (JUnit). */
  stream: AsyncIterable<Buffer>;
}

export interface ApiRoute {
  method: 'get' | 'post' | 'patch';
  /** OpenAPI-style path under /api/projects/{projectId}, e.g. /milestones/{milestoneId}. */
  path: string;
  summary: string;
  body?: z.ZodType;
  /** A valid body, shown in the OpenAPI document; a test checks it against `body`. */
  example?: unknown;
  query?: z.ZodType;
  /** Content types accepted for a streamed body (JUnit); JSON otherwise. */
  streamTypes?: string[];
  responses: Record<number, string>;
  handler(ctx: RouteContext<any, any>): Promise<{ status: number; body: unknown }>;
}

export function route(r: ApiRoute): ApiRoute {
  return r;
}
