// The one HTTP application: health checks here, and the REST API, the Jira
// webhook and Bolt's Slack endpoints mounted onto it by the composition root.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { loggedPath, type Logger } from '../logger.js';
import { refuseMalformedPath } from './refuse-malformed-path.js';

export interface HttpAppDeps {
  logger: Logger;
  /** Resolves when the database answers; rejects otherwise. */
  checkDatabase: () => Promise<void>;
  /** Whether a failed check means "busy" (answering later) rather than "down"; never, unless given. */
  isBusy?: (err: unknown) => boolean;
}

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLog(deps.logger));
  app.use(refuseMalformedPath());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Busy and down both take the server out of rotation for now, but only "down"
  // is worth an alert: a busy database answers again once the load passes.
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.checkDatabase();
      res.json({ status: 'ready', database: 'ok' });
    } catch (err) {
      if (deps.isBusy?.(err)) {
        deps.logger.warn({ err }, 'readiness check: database busy');
        res.setHeader('Retry-After', '5');
        res.status(503).json({ status: 'busy', database: 'busy' });
        return;
      }
      deps.logger.warn({ err }, 'readiness check: database unreachable');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  return app;
}

/** Call after every route is mounted: JSON 404s and a last-resort error handler. */
export function finishHttpApp(app: Express, logger: Logger): void {
  app.use((req: Request, res: Response) => {
    res.status(404).json({
      error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}. See GET /api/openapi.json for the API.` },
    });
  });
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large' || err.status === 413) {
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than this server accepts.' } });
      return;
    }
    if (err.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: `The body is not valid JSON: ${err.message}` } });
      return;
    }
    logger.error({ err }, 'unhandled error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong on the server; it has been logged.' } });
  });
}

function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path: loggedPath(req.path), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
