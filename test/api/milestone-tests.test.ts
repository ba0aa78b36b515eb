// GET …/milestones/{milestoneId}/tests over the real HTTP server: which tests
// fail now, since which run, filtered and paged; bad filters and cursors are
// 400s that say what works, an unknown milestone a 404 with the usual hints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { resultRow, seedMilestone, seedProjectWithApiKey, seedRun } from '../helpers/factories.js';
import { testProvider } from '../helpers/test-database.js';
import { MilestoneTestsPage } from '../../src/api/schemas.js';
import type { ResultRow } from '../../src/services/ingest-results.js';

const base = '/api/projects/PAY';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 9, minute));

describe(`GET /milestones/{id}/tests (${testProvider()})`, () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  let projectId: string;

  beforeAll(async () => {
    h = await startApi();
    const seeded = await seedProjectWithApiKey(h.t, 'PAY');
    api = client(h.url, seeded.apiKey);
    projectId = seeded.project.id;
  });
  afterAll(async () => h.close());

  /** A milestone of its own, and a function that adds a run to it at the given minute. */
  async function milestone(name: string) {
    const m = await seedMilestone(h.t, projectId, name);
    const run = (
      minute: number,
      results: ResultRow[],
      o: { environment?: string; status?: 'COMPLETED' | 'ABORTED' | 'IN_PROGRESS' } = {},
    ) => seedRun(h.t, { projectId, milestoneId: m.id, name: `build ${minute}`, startedAt: at(minute), results, ...o });
    return { m, run, path: `${base}/milestones/${encodeURIComponent(name)}/tests` };
  }

  async function all(path: string, query = ''): Promise<any[]> {
    const res = await api('GET', `${path}?limit=200${query}`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.tests;
  }

  describe('since which run a test has been in its state', () => {
    it('pass → fail → fail: failing since the first failing run; the latest run is the last one', async () => {
      const { run, path } = await milestone('since basic');
      await run(1, [resultRow('auth::login')]);
      const firstFail = await run(2, [resultRow('auth::login', 'FAILED', { message: 'old message' })]);
      const last = await run(3, [resultRow('auth::login', 'FAILED', { message: '401 Unauthorized' })]);
      const [test] = await all(path);
      expect(test).toMatchObject({
        key: 'auth::login',
        title: 'login',
        suite: 'auth',
        environment: 'default',
        status: 'FAILED',
        message: '401 Unauthorized',
        flaky: false,
        critical: false,
        since: { id: firstFail.id, name: 'build 2', url: null, startedAt: at(2).toISOString() },
        latestRun: { id: last.id, name: 'build 3', startedAt: at(3).toISOString() },
      });
    });

    it('aborted runs do not count, and runs without a result for the case neither start nor break a streak', async () => {
      const { run, path } = await milestone('since aborted');
      await run(1, [resultRow('a'), resultRow('b')]);
      const began = await run(2, [resultRow('a', 'FAILED')]);
      await run(3, [resultRow('a'), resultRow('b', 'FAILED')], { status: 'ABORTED' });
      await run(4, [resultRow('b')]); // nothing about a
      const last = await run(5, [resultRow('a', 'FAILED')]);
      await run(6, [resultRow('a')], { status: 'ABORTED' });
      const tests = await all(path);
      expect(tests.map((x) => [x.key, x.status, x.since.name, x.latestRun.name])).toEqual([
        ['a', 'FAILED', 'build 2', 'build 5'],
        ['b', 'PASSED', 'build 1', 'build 4'],
      ]);
      expect(tests[0].latestRun.id).toBe(last.id);
      expect(tests[0].since.id).toBe(began.id);
    });

    it('fail → pass: passing since the run that fixed it; a state from the first run is since that run', async () => {
      const { run, path } = await milestone('since fixed');
      await run(1, [resultRow('fixed', 'FAILED'), resultRow('steady', 'SKIPPED')]);
      await run(2, [resultRow('fixed'), resultRow('steady', 'SKIPPED')]);
      await run(3, [resultRow('fixed', 'PASSED', { flaky: true, attempts: 2 }), resultRow('steady', 'SKIPPED')]);
      const tests = await all(path);
      expect(tests.map((x) => [x.key, x.status, x.flaky, x.since.name])).toEqual([
        ['fixed', 'PASSED', true, 'build 2'],
        ['steady', 'SKIPPED', false, 'build 1'],
      ]);
    });

    it('each environment has its own history', async () => {
      const { run, path } = await milestone('since envs');
      await run(1, [resultRow('pay', 'FAILED')], { environment: 'staging' });
      await run(2, [resultRow('pay')], { environment: 'production' });
      await run(3, [resultRow('pay', 'FAILED')], { environment: 'production' });
      await run(4, [resultRow('pay', 'FAILED')], { environment: 'staging' });
      const tests = await all(path);
      expect(tests.map((x) => [x.environment, x.status, x.since.name, x.latestRun.name])).toEqual([
        ['production', 'FAILED', 'build 3', 'build 3'],
        ['staging', 'FAILED', 'build 1', 'build 4'],
      ]);
    });
  });

  describe('flakiness across runs', () => {
    let path: string;
    let readinessPath: string;
    beforeAll(async () => {
      const ms = await milestone('flaky history');
      path = ms.path;
      readinessPath = path.replace(/\/tests$/, '/readiness');
      // Oldest first: flipper P F P F P F, steady F ×6, once P ×5 then F, retried passes on retry now.
      const flipper = 'PFPFPF';
      for (let i = 0; i < 6; i++) {
        await ms.run(10 + i, [
          resultRow('flipper', flipper[i] === 'P' ? 'PASSED' : 'FAILED'),
          resultRow('steady', 'FAILED'),
          resultRow('once', i === 5 ? 'FAILED' : 'PASSED'),
          resultRow('retried', 'PASSED', i === 5 ? { flaky: true, attempts: 2 } : {}),
        ]);
      }
    });

    it('each test shows its flip rate, flips and whether it is flaky', async () => {
      const tests = await all(path);
      expect(tests.map((x) => [x.key, x.status, x.flaky, x.flakiness])).toEqual([
        ['flipper', 'FAILED', false, { flipRate: 1, flips: 5, flaky: true }],
        ['once', 'FAILED', false, { flipRate: 0.2, flips: 1, flaky: false }],
        ['steady', 'FAILED', false, { flipRate: 0, flips: 0, flaky: false }],
        ['retried', 'PASSED', true, { flipRate: 0, flips: 0, flaky: false }],
      ]);
      expect(MilestoneTestsPage.safeParse({ tests, total: 4, nextCursor: null }).error).toBeUndefined();
    });

    it('flaky=true selects tests flaky across runs and retried passes now; flaky=false the others; total agrees', async () => {
      const flaky = await api('GET', `${path}?flaky=true`);
      expect(flaky.body.tests.map((x: any) => x.key)).toEqual(['flipper', 'retried']);
      expect(flaky.body.total).toBe(2);
      const steady = await api('GET', `${path}?flaky=false`);
      expect(steady.body.tests.map((x: any) => x.key)).toEqual(['once', 'steady']);
      expect(steady.body.total).toBe(2);
      const page = await api('GET', `${path}?flaky=true&limit=1`);
      expect(page.body.tests.map((x: any) => x.key)).toEqual(['flipper']);
      const next = await api('GET', `${path}?flaky=true&limit=1&cursor=${page.body.nextCursor}`);
      expect(next.body.tests.map((x: any) => x.key)).toEqual(['retried']);
      expect(next.body.nextCursor).toBeNull();
    });

    it('the readiness names the flaky test in FLAKY_TESTS, and its check counts it with the retried pass', async () => {
      const res = await api('GET', readinessPath);
      expect(res.status).toBe(200);
      expect(res.body.reasons.find((r: any) => r.code === 'FLAKY_TESTS')).toEqual({
        code: 'FLAKY_TESTS',
        severity: 'risk',
        message:
          '1 flaky result: passed only after failing first; 1 test flaky across runs (status keeps flipping): ' +
          'flipper (flipper) on default, 5 flips in its last 6 results',
      });
      expect(res.body.checks.find((c: any) => c.rule === 'flakyTests')).toEqual({
        rule: 'flakyTests',
        status: 'risk',
        actual: 2,
        threshold: 0,
      });
    });
  });

  describe('regressions: newly failing and still failing', () => {
    let path: string;
    const runs: Record<string, { id: string }> = {};
    beforeAll(async () => {
      const ms = await milestone('regressions');
      path = ms.path;
      runs[1] = await ms.run(21, [
        resultRow('newly'),
        resultRow('still'),
        resultRow('fixed', 'FAILED'),
        resultRow('skipper', 'SKIPPED'),
        resultRow('aborted'),
      ]);
      runs[2] = await ms.run(22, [resultRow('newly'), resultRow('still', 'FAILED'), resultRow('fixed')]);
      await ms.run(23, [resultRow('aborted', 'FAILED')], { status: 'ABORTED' });
      runs[3] = await ms.run(24, [
        resultRow('newly', 'FAILED'),
        resultRow('still', 'FAILED'),
        resultRow('first', 'FAILED'),
        resultRow('skipper', 'FAILED'),
        resultRow('aborted', 'FAILED'),
      ]);
      runs[4] = await ms.run(25, [resultRow('still', 'FAILED')]);
    });

    it('passed in its previous result → new; failed before → still, since the run where it began; nothing to compare with → null', async () => {
      const tests = await all(path);
      expect(tests.map((x) => [x.key, x.status, x.regression, x.since.id])).toEqual([
        ['aborted', 'FAILED', 'new', runs[3]!.id],
        ['first', 'FAILED', null, runs[3]!.id],
        ['newly', 'FAILED', 'new', runs[3]!.id],
        ['skipper', 'FAILED', null, runs[3]!.id],
        ['still', 'FAILED', 'still', runs[2]!.id],
        ['fixed', 'PASSED', null, runs[2]!.id],
      ]);
    });

    it('?regression=new and ?regression=still select each kind; total agrees; other filters combine', async () => {
      const keys = async (q: string) => {
        const res = await api('GET', `${path}?${q}`);
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(res.body.tests.length);
        return res.body.tests.map((x: any) => x.key);
      };
      expect(await keys('regression=new')).toEqual(['aborted', 'newly']);
      expect(await keys('regression=still')).toEqual(['still']);
      expect(await keys('regression=new&environment=staging')).toEqual([]);
      expect(await keys('regression=still&status=PASSED')).toEqual([]);
    });
  });

  describe('filters and order', () => {
    let path: string;
    beforeAll(async () => {
      const ms = await milestone('filters');
      path = ms.path;
      await ms.run(
        1,
        [resultRow('z::ok'), resultRow('b::broken', 'FAILED', { critical: true }), resultRow('m::wobbly', 'PASSED', { flaky: true })],
        {
          environment: 'staging',
        },
      );
      await ms.run(2, [resultRow('a::fine'), resultRow('y::broken', 'FAILED'), resultRow('k::blocked', 'BLOCKED')], {
        environment: 'production',
      });
    });

    it('failed first, then by key and environment', async () => {
      const tests = await all(path);
      expect(tests.map((x) => `${x.status} ${x.key} ${x.environment}`)).toEqual([
        'FAILED b::broken staging',
        'FAILED y::broken production',
        'PASSED a::fine production',
        'BLOCKED k::blocked production',
        'PASSED m::wobbly staging',
        'PASSED z::ok staging',
      ]);
      expect(tests[0].critical).toBe(true);
    });

    it('status (any case), environment and flaky filter, alone and together; total counts what they select', async () => {
      const keys = async (q: string) => {
        const res = await api('GET', `${path}?${q}`);
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(res.body.tests.length);
        return res.body.tests.map((x: any) => x.key);
      };
      expect(await keys('status=FAILED')).toEqual(['b::broken', 'y::broken']);
      expect(await keys('status=blocked')).toEqual(['k::blocked']);
      expect(await keys('environment=staging')).toEqual(['b::broken', 'm::wobbly', 'z::ok']);
      expect(await keys('flaky=true')).toEqual(['m::wobbly']);
      expect(await keys('flaky=false&environment=staging')).toEqual(['b::broken', 'z::ok']);
      expect(await keys('status=FAILED&environment=production')).toEqual(['y::broken']);
      expect(await keys('status=SKIPPED')).toEqual([]);
    });

    it('every answer matches the schema the OpenAPI document shows', async () => {
      const res = await api('GET', path);
      expect(MilestoneTestsPage.safeParse(res.body).error).toBeUndefined();
    });
  });

  describe('pagination', () => {
    let path: string;
    const keys: string[] = [];
    beforeAll(async () => {
      const ms = await milestone('many');
      path = ms.path;
      // Upper and lower case, digits, punctuation and non-ASCII: byte order must agree on both databases.
      for (let i = 0; i < 23; i++) keys.push(`${['Alpha', 'beta', 'Ärger', '_x', '9lives'][i % 5]}::t${i}`);
      const rows = (failing: (i: number) => boolean) => keys.map((k, i) => resultRow(k, failing(i) ? 'FAILED' : 'PASSED'));
      await ms.run(
        1,
        rows((i) => i % 3 === 0),
        { environment: 'staging' },
      );
      await ms.run(
        2,
        rows((i) => i % 4 === 0),
        { environment: 'production' },
      );
    });

    it('walks every page with no row missing or repeated, in the same order as one big page', async () => {
      const whole = (await all(path)).map((x) => `${x.key}@${x.environment}`);
      expect(whole).toHaveLength(46);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await api('GET', `${path}?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(46);
        expect(res.body.tests.length).toBeLessThanOrEqual(7);
        seen.push(...res.body.tests.map((x: any) => `${x.key}@${x.environment}`));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(7);
      expect(seen).toEqual(whole);
      expect(new Set(seen).size).toBe(46);
    });

    it('orders failed first, then by key in byte order, then environment', async () => {
      const tests = await all(path);
      const failedCount = tests.filter((x) => x.status === 'FAILED').length;
      expect(tests.slice(0, failedCount).every((x) => x.status === 'FAILED')).toBe(true);
      const byteOrder = (a: any, b: any) =>
        Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || Buffer.compare(Buffer.from(a.environment), Buffer.from(b.environment));
      expect(tests.slice(0, failedCount)).toEqual([...tests.slice(0, failedCount)].sort(byteOrder));
      expect(tests.slice(failedCount)).toEqual([...tests.slice(failedCount)].sort(byteOrder));
    });

    it('pages a filtered listing too, and the default page is 50', async () => {
      const first = await api('GET', `${path}?status=FAILED&limit=4`);
      const rest = await api('GET', `${path}?status=FAILED&limit=200&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      const failed = (await all(path, '&status=FAILED')).map((x) => x.key + x.environment);
      expect([...first.body.tests, ...rest.body.tests].map((x: any) => x.key + x.environment)).toEqual(failed);
      expect(rest.body.nextCursor).toBeNull();
      const plain = await api('GET', path);
      expect(plain.body.tests).toHaveLength(46);
      expect(plain.body.nextCursor).toBeNull();
    });
  });

  describe('bad input', () => {
    let path: string;
    beforeAll(async () => {
      const ms = await milestone('bad input');
      path = ms.path;
      await ms.run(1, [resultRow('a')], { environment: 'staging' });
    });

    it.each([
      ['status=BROKEN', /status: must be one of PASSED, FAILED, SKIPPED, BLOCKED/],
      ['flaky=yes', /flaky: must be true or false/],
      ['regression=old', /regression: must be new \(failing now, passed in its previous result\) or still/],
      ['limit=0', /limit: must be a whole number from 1 to 200/],
      ['limit=201', /limit: must be at most 200/],
      ['limit=ten', /limit: must be a whole number from 1 to 200/],
      ['status=FAILED&status=PASSED', /status: must be one of/],
      ['owner=me', /unknown field "owner"/],
      ['cursor=bm90IGEgY3Vyc29y', /cursor: not a cursor this endpoint gave out\. Pass the nextCursor of the previous page unchanged/],
      ['cursor=%E2%9C%93', /cursor: not a cursor/],
      ['environment=stagign', /no environment "stagign"; use one of "production", "staging", "default" \(names are exact\)/],
    ])('?%s → 400 saying what is wrong and what works', async (query, message) => {
      const res = await api('GET', `${path}?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toMatch(message);
    });

    it('an unknown milestone is 404 with the close matches and where to list them, as on the other milestone routes', async () => {
      const res = await api('GET', `${base}/milestones/bad%20inptu/tests`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/PAY has no milestone "bad inptu"\. Did you mean `PAY\/bad input`/);
      expect(res.body.error.message).toMatch(/List them with GET \/api\/projects\/\{projectId\}\/milestones\./);
      const readiness = await api('GET', `${base}/milestones/bad%20inptu/readiness`);
      expect(readiness.body.error.message).toBe(res.body.error.message);
    });

    it('the "default" environment is always a valid filter', async () => {
      const res = await api('GET', `${path}?environment=default`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ tests: [], total: 0, nextCursor: null });
    });
  });
});
