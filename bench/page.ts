// bench:page — the readiness page of a milestone with 5,000 failing tests
// (BENCH_FAILING to change it; 2 environments, 2 runs each, a message of a few
// lines per failure, owner rules for every failing test and a quarantine,
// defects and a sign-off), served over HTTP from a signed
// link, against two baselines measured in the same run on the same server: the
// same failing rows as JSON through GET …/tests?status=FAILED (paged, 200 a
// page, as the API serves them), and GET /healthz (the floor of a request).
// Each time is a whole response read by the client. Target: the page < 1 s.
// The data is made through the use cases (test/helpers/page-seed.ts).
// SQLite by default; DATABASE_URL=postgresql://… for PostgreSQL.
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { createHttpApp, finishHttpApp } from '../src/http/create-http-app.js';
import { mountApi } from '../src/api/mount-api.js';
import { mountPages } from '../src/pages/mount-pages.js';
import { createLogger } from '../src/logger.js';
import { LogNotifier } from '../src/notify/notifier.js';
import { openDatabase } from '../src/db/open-database.js';
import { createApiKey } from '../src/services/create-api-key.js';
import { issueMilestoneLink } from '../src/services/milestone-link.js';
import { seedPageMilestone } from '../test/helpers/page-seed.js';
import { median, scratchDatabase, time } from './scratch-database.js';

const FAILING = Number(process.env.BENCH_FAILING ?? 5_000);
const REPEAT = 7;
const TARGET_MS = 1_000;
const MESSAGE = [
  'AssertionError: expected response status 200 but got 500 (Internal Server Error) from POST /api/v2/checkout/sessions',
  '    at Context.<anonymous> (test/checkout/totals.spec.ts:42:17)',
  '    at processImmediate (node:internal/timers:476:21)',
].join('\n');

const scratch = await scratchDatabase('page');
try {
  const db = openDatabase(scratch.target);
  const deps = { db, now: () => new Date() };
  const [seedMs, seeded] = await time(() =>
    seedPageMilestone(deps, { failing: FAILING, passing: 1_000, owned: true, words: { message: MESSAGE } }),
  );
  console.log(
    `seeded ${FAILING.toLocaleString('en-US')} failing and 2,000 passing tests on ${scratch.target.provider} in ${(seedMs / 1000).toFixed(1)} s`,
  );

  const logger = createLogger('silent');
  const appDeps = { config: loadConfig({}), logger, db, notifier: new LogNotifier(logger), now: () => new Date(), jiraCheck: null };
  const app = createHttpApp({ logger, checkDatabase: () => db.ping() });
  mountApi(app, appDeps);
  mountPages(app, appDeps);
  finishHttpApp(app, logger);
  const server = app.listen(0, '127.0.0.1');
  server.keepAliveTimeout = 65_000;
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const link = await issueMilestoneLink(deps, { milestoneId: seeded.milestone.id, settings: { publicUrl: base, lifetimeMs: 86_400_000 } });
  const key = await createApiKey(deps, { workspaceId: seeded.workspace.id, projectKey: 'PAY', scope: 'read' });

  let wireBytes = 0;
  const page = async () => {
    // fetch asks for gzip (as browsers do) and undoes it; the header says what crossed the wire.
    const res = await fetch(link.url);
    wireBytes = Number(res.headers.get('content-length'));
    const html = await res.text();
    if (res.status !== 200) throw new Error(`the page answered ${res.status}: ${html.slice(0, 300)}`);
    return html;
  };
  const json = async () => {
    let cursor: string | null = null;
    let rows = 0;
    do {
      const query = `status=FAILED&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await fetch(`${base}/api/projects/PAY/milestones/${seeded.milestone.id}/tests?${query}`, {
        headers: { authorization: `Bearer ${key.key}` },
      });
      if (res.status !== 200) throw new Error(`GET …/tests answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { tests: unknown[]; nextCursor: string | null };
      rows += body.tests.length;
      cursor = body.nextCursor;
    } while (cursor);
    return rows;
  };
  const health = async () => (await fetch(`${base}/healthz`)).text();

  // The first page of a process that has drawn no chart yet also loads the chart
  // libraries (Vega): timed apart. A server with PUBLIC_URL set loads them at start.
  const [coldMs, html] = await time(page);
  const shownRows = html.split('<tr><td data-label="Test">').length - 1;
  if (shownRows !== FAILING) throw new Error(`the page lists ${shownRows} failing tests, expected ${FAILING}`);
  const [, jsonRows] = await time(json);
  if (jsonRows !== FAILING) throw new Error(`GET …/tests listed ${jsonRows} failing tests, expected ${FAILING}`);
  await health();

  const times = { page: [] as number[], json: [] as number[], health: [] as number[] };
  for (let i = 0; i < REPEAT; i++) {
    times.page.push((await time(page))[0]);
    times.json.push((await time(json))[0]);
    times.health.push((await time(health))[0]);
  }
  const list = (xs: number[]) => `[${xs.map((x) => x.toFixed(1)).join(', ')}]`;
  const pageMs = median(times.page);
  const jsonMs = median(times.json);
  console.log(`database: ${scratch.target.provider}; failing tests: ${FAILING.toLocaleString('en-US')} (2 environments, 4 runs)`);
  console.log(
    `page size: ${(Buffer.byteLength(html) / 1024 / 1024).toFixed(2)} MB of HTML, ${shownRows} rows; ${(wireBytes / 1024).toFixed(0)} kB gzipped on the wire`,
  );
  console.log(
    `readiness page via its signed link: median ${pageMs.toFixed(1)} ms  ${list(times.page)}  (the first, loading the chart libraries, which a server with PUBLIC_URL loads at start: ${coldMs.toFixed(1)} ms)`,
  );
  console.log(
    `baseline, the same rows as JSON (GET …/tests?status=FAILED, ${Math.ceil(FAILING / 200)} pages of 200): median ${jsonMs.toFixed(1)} ms  ${list(times.json)}`,
  );
  console.log(`baseline, GET /healthz: median ${median(times.health).toFixed(2)} ms  ${list(times.health)}`);
  console.log(`ratio page / JSON: ${(pageMs / jsonMs).toFixed(2)}`);
  console.log(`target < ${TARGET_MS} ms: ${pageMs < TARGET_MS ? 'PASS' : 'FAIL'}`);
  server.close();
  await db.close();
} finally {
  await scratch.close();
}
