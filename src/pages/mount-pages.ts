// The web pages the server serves besides the API: a milestone's readiness page
// at /m/<signed token> (nothing under /m opens without a genuine, unexpired
// link), and the public badge at /badge/{project}/{milestone}.svg|.json for
// projects that turned it on. Not part of /api: no API key, no OpenAPI entry.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Router, type Express, type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps.js';
import { loggedPath } from '../logger.js';
import { dayRange, openBlockers, TREND_DAYS, trendPoints } from '../charts/trend.js';
import { preloadTrendCharts, renderTrendSvg } from '../charts/render-trend-png.js';
import { isDatabaseBusy } from '../db/overload.js';
import { AppError } from '../domain/errors.js';
import { getBadge } from '../services/get-badge.js';
import { getReadinessPage } from '../services/get-readiness-page.js';
import { openMilestoneLink, PAGE_PATH, type LinkRefusal } from '../services/milestone-link.js';
import { badgeJson, badgeSvg } from './badge.js';
import { markup } from './html.js';
import { utcMinute } from '../messages/format.js';
import { messagePage, PAGE_CSP } from './page-shell.js';
import { readinessPage } from './readiness-page.js';

const BADGE_MAX_AGE = 60;
/** Pages smaller than this are sent as they are. */
const GZIP_FROM = 16 * 1024;
const gzipped = promisify(gzip);

export function mountPages(app: Express, deps: AppDeps): void {
  const router = Router();

  router.get(`${PAGE_PATH}:token`, async (req: Request, res: Response) => {
    pageHeaders(res);
    let opened;
    try {
      opened = await openMilestoneLink(deps, String(req.params.token));
    } catch (err) {
      if (err instanceof AppError && err.code === 'FORBIDDEN') return sendRefusal(res, err.details as LinkRefusal);
      throw err;
    }
    const data = await getReadinessPage(deps, { milestoneId: opened.milestoneId, trendDays: TREND_DAYS });
    const r = data.readiness;
    const today = { day: data.today, passRate: r.metrics.passRate, executed: r.metrics.executed, openBlockers: openBlockers(r) };
    const points = trendPoints(dayRange(data.today, TREND_DAYS), [...data.snapshots, today]);
    let svg: string | null = null;
    try {
      svg = await renderTrendSvg(points, `Pass rate and open blockers, last ${TREND_DAYS} days`);
    } catch (err) {
      // The numbers are on the page as a table as well: a picture that fails costs only the picture.
      deps.logger.warn({ err, milestoneId: opened.milestoneId }, 'readiness page: the trend picture could not be drawn');
    }
    await sendPage(req, res, readinessPage({ data, trend: { svg, points }, linkExpiresAt: opened.expiresAt }));
  });

  // Anything else under /m is a link that was cut or mangled.
  router.get(['/m', '/m/', `${PAGE_PATH}*rest`], (_req: Request, res: Response) => {
    pageHeaders(res);
    sendRefusal(res, { reason: 'invalid' });
  });

  router.get('/badge/:project/:file', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', `public, max-age=${BADGE_MAX_AGE}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const file = String(req.params.file);
    const format = /\.svg$/i.test(file) ? 'svg' : /\.json$/i.test(file) ? 'json' : null;
    if (!format) {
      res
        .status(404)
        .type('text/plain')
        .send('A badge address ends in .svg (the picture) or .json (shields.io endpoint), e.g. /badge/PAY/2.4.svg\n');
      return;
    }
    try {
      const badge = await getBadge(deps, { project: String(req.params.project), milestone: file.slice(0, -(format.length + 1)) });
      if (format === 'json') {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.status(200).json(badgeJson(badge));
      } else {
        res.setHeader('Content-Security-Policy', "default-src 'none'");
        res.status(200).type('image/svg+xml').send(badgeSvg(badge));
      }
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
      if (format === 'json') res.status(404).json({ error: { code: err.code, message: err.message } });
      else res.status(404).type('text/plain').send(`${err.message}\n`);
    }
  });

  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const busy = isDatabaseBusy(err);
    if (busy) res.setHeader('Retry-After', '5');
    else deps.logger.error({ err, path: loggedPath(req.path) }, 'page failed');
    const status = busy ? 503 : 500;
    const said = busy ? 'The server is busy; try again in a few seconds.' : 'Something went wrong on the server; it has been logged.';
    if (req.path.startsWith('/badge/')) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(status).type('text/plain').send(`${said}\n`);
      return;
    }
    pageHeaders(res);
    res
      .status(status)
      .send(messagePage({ title: busy ? 'Busy' : 'Error', heading: busy ? 'Busy' : 'This page failed', paragraphs: [markup`${said}`] }));
  });

  app.use(router);
  // A server that gives out links (PUBLIC_URL) will serve pages: the chart
  // libraries (about a second to load) are loaded now, not by the first reader.
  if (deps.config.pages.publicUrl)
    preloadTrendCharts().catch((err: unknown) => deps.logger.warn({ err }, 'the chart libraries could not be loaded'));
}

/**
 * A page of thousands of rows is mostly repetition: gzip makes its few MB a
 * few hundred kB for a phone, on the thread pool, not the request loop.
 */
async function sendPage(req: Request, res: Response, page: string): Promise<void> {
  res.setHeader('Vary', 'Accept-Encoding');
  if (page.length < GZIP_FROM || req.acceptsEncodings('gzip', 'identity') !== 'gzip') {
    res.status(200).send(page);
    return;
  }
  const body = await gzipped(page);
  res.setHeader('Content-Encoding', 'gzip');
  res.status(200).send(body);
}

/** A page opened by a secret link: never cached or indexed, and the link never leaves in a Referer. */
function pageHeaders(res: Response): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.setHeader('Content-Security-Policy', PAGE_CSP);
}

function sendRefusal(res: Response, refusal: LinkRefusal): void {
  const expired = refusal.reason === 'expired';
  const ask = markup`Ask for a new link: the <strong>Open report</strong> button on the milestone's card in Slack, or <code>shipgate milestone show PROJECT/milestone --link</code>.`;
  const why = expired
    ? markup`This link to a readiness report expired on ${utcMinute(refusal.expiredAt)}. Links last a limited time, so that old ones stop working.`
    : markup`This address does not open a readiness report: the link is incomplete or was altered, or its project has revoked its links.`;
  res.status(403).send(
    messagePage({
      title: expired ? 'Link expired' : 'Link not valid',
      heading: expired ? 'This link has expired' : 'This link is not valid',
      paragraphs: [why, ask],
    }),
  );
}
