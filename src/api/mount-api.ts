// The REST API for CI, mounted under /api. The key is checked before
// any body is read; body parsers are per route (Bolt reads raw bodies on
// /slack/..., so nothing parses bodies app-wide).
import { isUtf8 } from 'node:buffer';
import express, { Router, type Express, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../domain/errors.js';
import { authenticate } from './authenticate.js';
import { requireScope } from './key-scope.js';
import { apiErrorHandler, validationError } from './error-response.js';
import { buildOpenApi } from './openapi.js';
import type { ApiRoute } from './route-table.js';
import { defectRoutes } from './routes/defects.js';
import { milestoneRoutes } from './routes/milestones.js';
import { projectRoutes } from './routes/projects.js';
import { testRunRoutes } from './routes/test-runs.js';
import { quarantineRoutes } from './routes/quarantine.js';
import { limitedStream } from './limited-stream.js';
import { contentEncodingOf, decodeContent } from './content-encoding.js';
import { firstInvalidUtf8 } from '../junit/index.js';
import { refuseNul } from './refuse-nul.js';

export const API_ROUTES: ApiRoute[] = [...projectRoutes, ...milestoneRoutes, ...testRunRoutes, ...defectRoutes, ...quarantineRoutes];

export function mountApi(app: Express, deps: AppDeps): void {
  const router = Router();
  const openapi = buildOpenApi(API_ROUTES);
  router.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  const json = express.json({ limit: deps.config.limits.maxBodyBytes, strict: true, type: () => true, verify: refuseInvalidUtf8 });

  for (const r of API_ROUTES) {
    const path = '/projects/:projectId' + r.path.replace(/\{(\w+)\}/g, ':$1');
    router[r.method](path, async (req: Request, res: Response) => {
      // Before the key is looked up: the project id is a query too.
      refuseNul(req.params, 'path');
      refuseNul(req.query, 'query');
      const { project, apiKey } = await authenticate(deps.db.prisma, req.headers.authorization, String(req.params.projectId), deps.now());
      requireScope(
        apiKey,
        project.key,
        r.scope,
        `${r.method.toUpperCase()} ${r.path || '/'} (${r.summary.split(/[;(]/)[0]!.trim().toLowerCase()})`,
      );
      let body: unknown = undefined;
      let stream: AsyncIterable<Buffer> = (async function* () {})();
      if (r.stream) {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!r.stream.types.includes(type)) {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            `Send the report with Content-Type ${r.stream.types.join(' or ')} (got ${type || 'none'}).`,
          );
        }
        // Each upload has its own limit (a CTRF report is read whole, so its limit is the smaller), and a 413 names it.
        const limit = r.stream.limit;
        const max = deps.config.limits[limit.field];
        stream = decodeContent(limitedStream(req, max, limit.setting), contentEncodingOf(req), max, limit.setting);
      } else if (r.body) {
        if (!req.is('application/json')) {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            `Send a JSON body with Content-Type application/json (got ${req.headers['content-type'] ?? 'none'}).`,
          );
        }
        contentEncodingOf(req); // a 415 for an encoding json() would not read, in this API's words
        await new Promise<void>((resolve, reject) =>
          json(req, res, (err?: unknown) =>
            err ? reject(err instanceof Error ? err : new Error('could not read the JSON body')) : resolve(),
          ),
        );
        refuseNul(req.body, 'body');
        const parsed = r.body.safeParse(req.body);
        if (!parsed.success) throw validationError(parsed.error, 'body');
        body = parsed.data;
      }
      let query: unknown = {};
      if (r.query) {
        const parsed = r.query.safeParse(req.query);
        if (!parsed.success) throw validationError(parsed.error, 'query');
        query = parsed.data;
      } else if (Object.keys(req.query).length) {
        throw new AppError('VALIDATION_FAILED', `This endpoint takes no query parameters (got ${Object.keys(req.query).join(', ')}).`);
      }
      const params = Object.fromEntries(Object.entries(req.params).map(([k, v]) => [k, String(v)]));
      const out = await r.handler({
        deps,
        project,
        apiKey,
        actor: { type: 'api-key', keyId: apiKey.id, keyName: apiKey.name },
        requireScope: (needs, doing) => requireScope(apiKey, project.key, needs, doing),
        params,
        body,
        query,
        stream,
      });
      res.status(out.status).json(out.body);
    });
  }
  router.use(apiErrorHandler(deps.logger));
  app.use('/api', router);
}

/**
 * json() decodes with replacement characters, so "Caf\xE9" would be stored as
 * "Caf\uFFFD" and two different names would become one. The bytes (already
 * decompressed) are checked first; the error reaches apiErrorHandler as is.
 */
function refuseInvalidUtf8(_req: unknown, _res: unknown, bytes: Buffer, charset: string): void {
  if (!/^utf-?8$/i.test(charset) || isUtf8(bytes)) return;
  const at = firstInvalidUtf8(bytes);
  throw new AppError(
    'VALIDATION_FAILED',
    `The body is not valid UTF-8 at byte ${at} (0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')}); nothing was stored; send UTF-8 (JSON is UTF-8 by definition).`,
    { byteOffset: at },
  );
}
