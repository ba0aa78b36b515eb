// The REST API for CI (SPEC §4), mounted under /api. Body parsers are per route:
// Bolt reads raw bodies on /slack/..., so nothing parses bodies app-wide.
import { Router, type Express } from 'express';
import type { AppDeps } from '../app-deps.js';

export function mountApi(app: Express, _deps: AppDeps): void {
  const router = Router();
  app.use('/api', router);
}
