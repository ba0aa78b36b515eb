// A route is declared once — method, path, schemas, handler — and both the
// Express router and the OpenAPI document are built from the same table.
import type { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import type { Prisma } from '../db/open-database.js';
import type { ApiKeyScope } from '../domain/api-key-scopes.js';
import type { Actor } from '../domain/audit.js';
import type { CallingKey } from './key-scope.js';

/**
 * A streamed body's size limit: its field in config.limits and the environment
 * variable that sets it, so a 413 names the setting to raise; and what the body is.
 */
export interface StreamLimit {
  field: 'maxJUnitBytes' | 'maxCtrfBytes';
  setting: 'MAX_JUNIT_BYTES' | 'MAX_CTRF_BYTES';
  report: string;
}

export const JUNIT_STREAM: StreamLimit = { field: 'maxJUnitBytes', setting: 'MAX_JUNIT_BYTES', report: 'JUnit XML' };
export const CTRF_STREAM: StreamLimit = { field: 'maxCtrfBytes', setting: 'MAX_CTRF_BYTES', report: 'CTRF JSON' };

type ProjectRow = Awaited<ReturnType<Prisma['project']['findUniqueOrThrow']>>;

export interface RouteContext<B = unknown, Q = unknown> {
  deps: AppDeps;
  project: ProjectRow;
  /** The key the request came with; its scope already covers the route's. */
  apiKey: CallingKey;
  /** The key as the audit trail names who made a change. */
  actor: Actor;
  /** 403 unless the key has `needs`, for what a field of the request decides (e.g. a defect's status). */
  requireScope: (needs: ApiKeyScope, doing: string) => void;
  params: Record<string, string>;
  body: B;
  query: Q;
  /** The raw request body stream, for routes that stream (JUnit). */
  stream: AsyncIterable<Buffer>;
}

export interface ApiRoute<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI-style path under /api/projects/{projectId}, e.g. /milestones/{milestoneId}. */
  path: string;
  summary: string;
  /** The least an API key must be allowed to call it (domain/api-key-scopes.ts); a test covers every route. */
  scope: ApiKeyScope;
  body?: B;
  /** A valid body, shown in the OpenAPI document; a test checks it against `body`. */
  example?: unknown;
  query?: Q;
  /** A streamed body (JUnit, CTRF) instead of parsed JSON: the content types it accepts and its size limit. */
  stream?: { types: string[]; limit: StreamLimit };
  responses: Record<number, string>;
  /** The success body's shape, for the OpenAPI document (a test checks real answers against it). */
  responseBody?: z.ZodType;
  /** Gets the body and query as their schemas parsed them. */
  handler(ctx: RouteContext<z.output<B>, z.output<Q>>): Promise<{ status: number; body: unknown }>;
}

/** Declares a route; the handler's body and query types follow from its schemas. */
export function route<B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown>(r: ApiRoute<B, Q>): ApiRoute {
  return r;
}
