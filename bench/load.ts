// bench:load — many concurrent JUnit uploads against the real server (a child
// process, fresh database) while readers poll a milestone's readiness and
// /readyz. It checks that no acknowledged write is lost: after the load, the
// results are counted in the database, and every upload must be either stored
// whole (its run holds all its results) or refused with 503 and Retry-After;
// a partially stored run, an acknowledged upload that is not all there, or any
// other answer (500, a reset connection) is a failure (exit code 1).
// Every upload sends the same file (the same case keys), each into its own run
// of one milestone, as parallel CI shards re-running one suite would.
// Baselines from the same run: the readers' latency on the idle server, before
// the load (empty milestone) and after it (every stored result in place).
// SQLite by default; DATABASE_URL=postgresql://… for PostgreSQL; BENCH_DB=both
// (with a PostgreSQL DATABASE_URL) runs SQLite, then PostgreSQL.
// BENCH_UPLOADS (20) uploads of BENCH_CASES (50,000) cases each.
import http from 'node:http';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/db/open-database.js';
import { seedProjectWithApiKey } from '../test/helpers/factories.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { writeReport } from './junit-report.js';
import { peakRssMb, scratchDatabase } from './scratch-database.js';

const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 20);
const CASES = Number(process.env.BENCH_CASES ?? 50_000);
// What the server answers is the question, not how long a client is willing to wait.
const CLIENT_TIMEOUT_MS = 10 * 60_000;
const IDLE_SAMPLES = 30;
const AFTER_SAMPLES = 10;

type Provider = 'sqlite' | 'postgresql';

interface Answer {
  /** The HTTP status, or 0 when there was none (the error says why). */
  status: number;
  ms: number;
  body: string;
  retryAfter: string | undefined;
  error?: string;
}

/** One sample of a reader: no body kept, so memory stays flat however long the load lasts. */
type Sample = Pick<Answer, 'status' | 'ms' | 'error'>;

// node:http rather than fetch: no headers or body timeout of its own (only the
// idle timeout set here), and a request body streamed from a file.
function request(
  url: string,
  o: { method?: string; headers?: http.OutgoingHttpHeaders; body?: () => NodeJS.ReadableStream | string; agent: http.Agent },
): Promise<Answer> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const done = (a: Omit<Answer, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...a, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    };
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers, agent: o.agent, timeout: CLIENT_TIMEOUT_MS }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      const answer = (error?: string) =>
        done({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          retryAfter: [res.headers['retry-after']].flat()[0],
          ...(error ? { error } : {}),
        });
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => answer());
      res.on('error', (err: NodeJS.ErrnoException) => answer(err.code ?? err.message));
      res.on('close', () => answer(res.complete ? undefined : 'response cut short'));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${CLIENT_TIMEOUT_MS / 1000} s`)));
    // A server that answers before reading the whole body may close while the body
    // is still being sent: the answer it gave is what counts, when it arrived.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!answered) done({ status: 0, body: '', retryAfter: undefined, error: err.code ?? err.message });
    });
    const body = o.body?.();
    if (body === undefined) req.end();
    else if (typeof body === 'string') req.end(body);
    else {
      body.on('error', (err: Error) => req.destroy(err));
      body.pipe(req);
    }
  });
}

async function poll(url: string, headers: http.OutgoingHttpHeaders, agent: http.Agent, stop: { done: boolean }, out: Sample[]) {
  while (!stop.done) {
    const { status, ms, error } = await request(url, { headers, agent });
    out.push({ status, ms, error });
    // A server that is gone answers at once: do not spin.
    if (status === 0) await sleep(100);
  }
}

async function samples(url: string, headers: http.OutgoingHttpHeaders, agent: http.Agent, n: number): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const { status, ms, error } = await request(url, { headers, agent });
    out.push({ status, ms, error });
  }
  return out;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

function p95(samples: Sample[]): number {
  const ms = samples.map((x) => x.ms);
  return percentile(ms, 95);
}

const label = (a: Pick<Answer, 'status' | 'error'>) => (a.status === 0 ? `no answer (${a.error})` : String(a.status));

function tally(items: Pick<Answer, 'status' | 'error'>[]): string {
  const counts = new Map<string, number>();
  for (const a of items) counts.set(label(a), (counts.get(label(a)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
}

function latency(s: Sample[]): string {
  const ms = s.map((x) => x.ms);
  const f = (v: number) => `${v.toFixed(0)} ms`.padStart(9);
  return `p50 ${f(percentile(ms, 50))}  p95 ${f(percentile(ms, 95))}  max ${f(Math.max(...ms))}  (n=${s.length}; ${tally(s)})`;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The distinct error messages the server logged (pino JSON lines at level 50 and above). */
function serverErrors(logs: string): string[] {
  const seen = new Map<string, number>();
  for (const line of logs.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) < 50) continue;
      const text = `${entry.msg ?? ''}: ${(entry.err?.message ?? '').replace(/\s+/g, ' ').slice(0, 200)}`;
      seen.set(text, (seen.get(text) ?? 0) + 1);
    } catch {
      // Not a log line.
    }
  }
  return [...seen].map(([text, n]) => `${n} × ${text}`);
}

async function loadOn(provider: Provider, pgServer: string | null, file: string, bytes: number): Promise<boolean> {
  const benchStart = Date.now();
  console.log(`\n=== bench:load on ${provider} ===`);
  const scratch = await scratchDatabase('load', { server: pgServer });
  let server: ServerProcess | undefined;
  const readerAgent = new http.Agent({ keepAlive: true });
  const uploadAgent = new http.Agent({ keepAlive: false });
  try {
    const db = openDatabase(scratch.target);
    const { apiKey } = await seedProjectWithApiKey({ db, now: () => new Date() }, 'LOAD', { teamId: 'TLOAD', name: 'Load' });
    await db.close();

    server = await startServerProcess({
      DATABASE_URL: scratch.target.url,
      SCHEDULES: 'off',
      MAX_JUNIT_BYTES: String(Math.max(bytes * 2, 200 * 1024 * 1024)),
      ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
    });
    const pid = server.child.pid!;
    let exitedWith: string | undefined;
    server.child.once('exit', (code, signal) => (exitedWith = `code ${code}${signal ? `, signal ${signal}` : ''}`));
    const auth = { authorization: `Bearer ${apiKey}` };
    const api = `${server.url}/api/projects/LOAD`;

    const runs: { id: string; name: string }[] = [];
    for (let i = 1; i <= UPLOADS; i++) {
      const name = `shard ${i}`;
      const opened = await request(`${api}/test-runs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: () => JSON.stringify({ name, milestone: 'load', createMilestone: true, environment: 'ci', externalId: `load-shard-${i}` }),
        agent: readerAgent,
      });
      if (opened.status !== 201) throw new Error(`opening run ${name} answered ${label(opened)}: ${opened.body}`);
      runs.push({ id: (JSON.parse(opened.body) as { id: string }).id, name });
    }
    const readinessUrl = `${api}/milestones/load/readiness`;
    const readyzUrl = `${server.url}/readyz`;

    await samples(readinessUrl, auth, readerAgent, 5); // warm-up, not counted
    const idleReadiness = await samples(readinessUrl, auth, readerAgent, IDLE_SAMPLES);
    const idleReadyz = await samples(readyzUrl, {}, readerAgent, IDLE_SAMPLES);

    // --- The load: every upload at once, readers polling until the last one is answered ---
    const stop = { done: false };
    const readiness: Sample[] = [];
    const readyz: Sample[] = [];
    const readers = Promise.all([
      poll(readinessUrl, auth, readerAgent, stop, readiness),
      poll(readyzUrl, {}, new http.Agent({ keepAlive: true }), stop, readyz),
    ]);
    const loadStart = process.hrtime.bigint();
    const answers = await Promise.all(
      runs.map((run) =>
        request(`${api}/test-runs/${run.id}/junit`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/xml', 'content-length': bytes },
          body: () => createReadStream(file),
          agent: uploadAgent,
        }),
      ),
    );
    const wallMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
    stop.done = true;
    await readers;

    const alive = exitedWith === undefined;
    const rssMb = alive ? peakRssMb(pid) : NaN;
    const afterReadiness = alive ? await samples(readinessUrl, auth, readerAgent, AFTER_SAMPLES) : [];
    const logs = server.logs();
    await server.stop();
    server = undefined;

    // --- What the database holds ---
    const perRun = new Map(
      (await scratch.query<{ runId: string; n: number | string }>(`SELECT "runId", COUNT(*) AS n FROM "TestResult" GROUP BY "runId"`)).map(
        (r) => [r.runId, Number(r.n)],
      ),
    );
    const [caseRow] = await scratch.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "TestCase"`);

    const problems: string[] = [];
    let stored = 0;
    let ok2xx = 0;
    let refused = 0;
    let refusedWithRetryAfter = 0;
    let other = 0;
    let partial = 0;
    console.log(`\nper upload (${fmt(CASES)} cases each; results counted in the database after the load):`);
    console.log(`  ${'run'.padEnd(9)} ${'answer'.padEnd(22)} ${'time'.padStart(8)} ${'results in db'.padStart(14)}  verdict`);
    runs.forEach((run, i) => {
      const a = answers[i]!;
      const n = perRun.get(run.id) ?? 0;
      if (n === CASES) stored++;
      let verdict: string;
      if (n > 0 && n < CASES) {
        partial++;
        verdict = `!!! PARTIALLY STORED: ${fmt(n)} of ${fmt(CASES)} !!!`;
        problems.push(`${run.name}: partially stored (${fmt(n)} of ${fmt(CASES)} results), answered ${label(a)}`);
      } else if (a.status >= 200 && a.status < 300) {
        ok2xx++;
        verdict = n === CASES ? 'stored' : '!!! ACKNOWLEDGED BUT NOT STORED !!!';
        if (n !== CASES) problems.push(`${run.name}: answered ${a.status} but holds ${fmt(n)} results`);
      } else if (a.status === 503) {
        refused++;
        if (a.retryAfter !== undefined) refusedWithRetryAfter++;
        else problems.push(`${run.name}: 503 without Retry-After`);
        verdict = n === 0 ? `refused (Retry-After: ${a.retryAfter ?? 'MISSING'})` : '!!! REFUSED BUT STORED !!!';
        if (n !== 0) problems.push(`${run.name}: answered 503 but holds ${fmt(n)} results`);
      } else {
        other++;
        verdict = `ERROR${n === CASES ? ' (stored, not acknowledged)' : ''}: ${a.body.replace(/\s+/g, ' ').slice(0, 120)}`;
        problems.push(`${run.name}: answered ${label(a)}`);
      }
      console.log(
        `  ${run.name.padEnd(9)} ${label(a).slice(0, 22).padEnd(22)} ${seconds(a.ms).padStart(8)} ${fmt(n).padStart(14)}  ${verdict}`,
      );
    });

    const balanced = UPLOADS === stored + refused;
    if (!balanced) problems.push(`sent ${UPLOADS} ≠ stored ${stored} + refused ${refused}`);
    if (!alive) problems.push(`the server exited during the load (${exitedWith})`);
    const row = (name: string, value: string | number) => console.log(`  ${name.padEnd(46)} ${String(value).padStart(8)}`);
    console.log(`\nuploads (${provider}, ${UPLOADS} × ${fmt(CASES)} cases, the same case keys, one run each):`);
    row('sent', UPLOADS);
    row('2xx (acknowledged)', ok2xx);
    row('503 refused', `${refused}`);
    row('  of which with Retry-After', refusedWithRetryAfter);
    row('other answers (errors)', other);
    row('stored (run holds all its results, in the db)', stored);
    row('partially stored runs', partial);
    row('test cases in the db', fmt(Number(caseRow!.n)));
    console.log(
      `  check sent = stored + refused: ${UPLOADS} = ${stored} + ${refused} ${balanced ? 'PASS' : 'FAIL'}; errors other than 503: ${other} ${other === 0 ? 'PASS' : 'FAIL'}; partial: ${partial} ${partial === 0 ? 'PASS' : 'FAIL'}`,
    );
    const uploadMs = answers.map((a) => a.ms);
    console.log(
      `  upload answer times: first ${seconds(Math.min(...uploadMs))}, median ${seconds(percentile(uploadMs, 50))}, last ${seconds(Math.max(...uploadMs))}`,
    );

    console.log(`\nreaders:`);
    console.log(`  readiness during the load      ${latency(readiness)}`);
    console.log(`  /readyz during the load        ${latency(readyz)}`);
    console.log(`  readiness idle, before (empty) ${latency(idleReadiness)}`);
    console.log(`  /readyz idle, before           ${latency(idleReadyz)}`);
    if (afterReadiness.length) console.log(`  readiness idle, after (full)   ${latency(afterReadiness)}`);
    console.log(
      `  readiness p95 under load / idle before: ×${(p95(readiness) / p95(idleReadiness)).toFixed(1)}` +
        (afterReadiness.length ? `; / idle after (same data): ×${(p95(readiness) / p95(afterReadiness)).toFixed(1)}` : ''),
    );
    console.log(`  /readyz p95 under load / idle before: ×${(p95(readyz) / p95(idleReadyz)).toFixed(1)}`);
    const notOk = [...readiness, ...readyz].filter((s) => s.status !== 200).length;
    if (notOk) console.log(`  !!! ${notOk} reader requests were not answered 200 during the load !!!`);

    console.log(`\nwall time of the load (all uploads sent at once → last answer): ${seconds(wallMs)}`);
    console.log(`server peak RSS (VmHWM): ${Number.isNaN(rssMb) ? 'unknown (the server exited)' : `${rssMb.toFixed(0)} MB`}`);
    const errors = serverErrors(logs);
    if (errors.length) {
      console.log(`server errors logged (distinct):`);
      for (const e of errors.slice(0, 8)) console.log(`  ${e}`);
    }
    console.log(`total for ${provider} (seed, idle samples, load, count): ${seconds(Date.now() - benchStart)}`);
    if (problems.length) {
      console.log(`\n!!! FAIL on ${provider}: ${problems.length} problem(s) !!!`);
      for (const p of problems) console.log(`  - ${p}`);
    } else console.log(`\nPASS on ${provider}: every upload stored whole or refused with 503 and Retry-After`);
    return problems.length === 0;
  } finally {
    if (server) await server.stop();
    readerAgent.destroy();
    uploadAgent.destroy();
    await scratch.close();
  }
}

function targets(): { provider: Provider; server: string | null }[] {
  const url = process.env.DATABASE_URL;
  const pgServer = url?.startsWith('postgres') ? url : undefined;
  const mode = process.env.BENCH_DB ?? (pgServer ? 'postgresql' : 'sqlite');
  const needPg = () => {
    if (!pgServer) throw new Error(`BENCH_DB=${mode} needs DATABASE_URL=postgresql://… (a server to create the scratch database on)`);
    return { provider: 'postgresql' as const, server: pgServer };
  };
  switch (mode) {
    case 'sqlite':
      return [{ provider: 'sqlite', server: null }];
    case 'postgresql':
      return [needPg()];
    case 'both':
      return [{ provider: 'sqlite', server: null }, needPg()];
    default:
      throw new Error(`BENCH_DB must be sqlite, postgresql or both, not ${mode}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-load-'));
try {
  const runOn = targets();
  const file = join(dir, 'junit.xml');
  await writeReport(file, CASES);
  const bytes = statSync(file).size;
  console.log(
    `bench:load: ${UPLOADS} concurrent uploads of one ${fmt(CASES)}-case JUnit file (${(bytes / 1024 / 1024).toFixed(1)} MB, the same case keys) into ${UPLOADS} runs of one milestone, readers polling readiness and /readyz`,
  );
  const outcomes: [Provider, boolean][] = [];
  for (const t of runOn) outcomes.push([t.provider, await loadOn(t.provider, t.server, file, bytes)]);
  if (outcomes.length > 1) console.log(`\nsummary: ${outcomes.map(([p, ok]) => `${p} ${ok ? 'PASS' : 'FAIL'}`).join(', ')}`);
  process.exitCode = outcomes.every(([, ok]) => ok) ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
