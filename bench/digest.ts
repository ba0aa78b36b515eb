// bench:digest — one digest tick over 1,000 active milestones with 1,000
// results each (bulk-seeded), then the same over 500 to show the cost grows
// linearly. Steady state: yesterday's digests were sent and their snapshots
// kept, as they would be on any working day. Slack is the real SlackNotifier
// (the Web API client) talking to a local stand-in of Slack's Web API over
// HTTP, so posting the message and uploading the picture are in the figures.
// Counts database queries through Prisma's query event.
// SQLite by default; DATABASE_URL=postgresql://… for PostgreSQL.
// BENCH_PER_PROJECT (default 10): milestones per project, one project subscription each.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { loadConfig } from '../src/config.js';
import { PrismaClient as SqliteClient } from '../src/db/generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../src/db/generated/postgresql/client.js';
import type { Database, Prisma } from '../src/db/open-database.js';
import { bulkWriteSlots } from '../src/db/bulk-write-slots.js';
import type { DatabaseTarget } from '../src/db/database-url.js';
import { runDigestsTick } from '../src/jobs/digests-tick.js';
import { bestResultsSql, CURRENT_RESULT_COLUMNS } from '../src/db/current-state.js';
import { createLogger } from '../src/logger.js';
import { SlackNotifier } from '../src/slack/slack-notifier.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../test/helpers/slack-api-stand-in.js';
import { id, median, scratchDatabase } from './scratch-database.js';

const RESULTS = Number(process.env.BENCH_RESULTS ?? 1000);
const PER_PROJECT = Number(process.env.BENCH_PER_PROJECT ?? 10);
const TARGET_MS = 10_000;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

/** A Database whose Prisma client reports every query, so the bench can count them. */
function countingDatabase(target: DatabaseTarget): { db: Database; queries: () => number } {
  let n = 0;
  const log = [{ emit: 'event' as const, level: 'query' as const }];
  const prisma =
    target.provider === 'sqlite'
      ? new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: target.url, timeout: 10_000 }), log })
      : (new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }), log }) as unknown as Prisma);
  (prisma as unknown as { $on(e: 'query', cb: () => void): void }).$on('query', () => void n++);
  const db: Database = {
    provider: target.provider,
    target,
    prisma,
    bulkWrites: bulkWriteSlots(1, 60_000),
    ping: async () => undefined,
    close: () => prisma.$disconnect(),
  };
  return { db, queries: () => n };
}

async function bench(
  slack: SlackApiStandIn,
  milestones: number,
): Promise<{ ms: number; queries: number; posts: number; uploads: number; readinessMs: number }> {
  const scratch = await scratchDatabase(`digest${milestones}`);
  try {
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    const created = new Date(now.getTime() - 30 * 86_400_000);
    const tickAt = new Date(`${today}T09:00:30Z`);
    const ws = id();
    await scratch.insert('Workspace', ['id', 'slackTeamId', 'createdAt', 'updatedAt'], [[ws, 'TBENCH', created, created]]);
    const projects = Math.ceil(milestones / PER_PROJECT);
    const seedStart = Date.now();
    let seededResults = 0;
    for (let p = 0; p < projects; p++) {
      const project = id();
      await scratch.insert(
        'Project',
        ['id', 'workspaceId', 'key', 'name', 'slackChannelId', 'createdAt', 'updatedAt'],
        [[project, ws, `P${p}`, `Project ${p}`, `C${p}`, created, created]],
      );
      const caseIds = Array.from({ length: RESULTS }, () => id());
      await scratch.insert(
        'TestCase',
        ['id', 'projectId', 'key', 'title', 'critical', 'createdAt', 'updatedAt'],
        caseIds.map((c, i) => [c, project, `suite${i % 20}::case${i}`, `case ${i}`, i % 100 === 0, created, created]),
      );
      const count = Math.min(PER_PROJECT, milestones - p * PER_PROJECT);
      const ms = Array.from({ length: count }, () => id());
      await scratch.insert(
        'Milestone',
        ['id', 'projectId', 'name', 'nameKey', 'status', 'dueDate', 'timeZone', 'createdAt', 'updatedAt'],
        ms.map((m, i) => [
          m,
          project,
          `m${i}`,
          `m${i}`,
          'ACTIVE',
          new Date(now.getTime() + ((i % 7) - 1) * 86_400_000),
          'UTC',
          created,
          created,
        ]),
      );
      const runs = ms.map(() => id());
      await scratch.insert(
        'TestRun',
        ['id', 'projectId', 'milestoneId', 'name', 'status', 'source', 'startedAt', 'createdAt', 'updatedAt'],
        runs.map((r, i) => [r, project, ms[i], `run ${i}`, i % 3 === 0 ? 'IN_PROGRESS' : 'COMPLETED', 'CI', created, created, created]),
      );
      const rows: unknown[][] = [];
      runs.forEach((r, i) =>
        caseIds.forEach((c, k) => rows.push([id(), r, c, (k + i) % 40 === 0 ? 'FAILED' : 'PASSED', 1, false, 10, created])),
      );
      await scratch.insert('TestResult', ['id', 'runId', 'caseId', 'status', 'attempts', 'flaky', 'durationMs', 'recordedAt'], rows);
      seededResults += rows.length;
      await scratch.insert(
        'Defect',
        ['id', 'projectId', 'milestoneId', 'title', 'severity', 'status', 'jiraKey', 'jiraUrl', 'createdAt', 'updatedAt'],
        ms
          .filter((_, i) => i % 4 === 0)
          .map((m) => [
            id(),
            project,
            m,
            'Checkout broken',
            'HIGH',
            'OPEN',
            'PAY-1',
            'https://jira.example/browse/PAY-1',
            created,
            created,
          ]),
      );
      // Steady state: yesterday's digest went out and its snapshots were kept.
      const sub = id();
      await scratch.insert(
        'Subscription',
        ['id', 'workspaceId', 'channelId', 'projectId', 'digestTime', 'timeZone', 'weekdaysOnly', 'createdAt'],
        [[sub, ws, `C${p}`, project, '09:00', 'UTC', false, created]],
      );
      await scratch.insert(
        'Claim',
        ['id', 'kind', 'key', 'claimedAt', 'sentAt', 'attempts'],
        [
          [id(), 'digest', `${sub}:${yesterday}`, created, created, 1],
          [id(), 'digest-chart', `${sub}:${yesterday}`, created, created, 1],
        ],
      );
      await scratch.insert(
        'ReadinessSnapshot',
        ['id', 'milestoneId', 'day', 'verdict', 'passRate', 'executed', 'openBlockers', 'createdAt'],
        ms.map((m) => [id(), m, yesterday, 'NO_GO', 0.96, RESULTS, 1, created]),
      );
    }
    // The milestones' current state, built from the seeded results by the statement
    // the migration that introduced it runs (every milestone at once).
    await scratch.exec(`INSERT INTO "CurrentResult" ${CURRENT_RESULT_COLUMNS} ${bestResultsSql('true')}`);
    console.log(
      `  seeded ${milestones} milestones (${projects} projects, one subscription each), ${seededResults.toLocaleString('en-US')} results on ${scratch.target.provider} in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const { db, queries } = countingDatabase(scratch.target);
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench-secret', SLACK_API_URL: slack.apiUrl });
    const notifier = new SlackNotifier(config, db);
    const deps = { db, notifier, logger: createLogger('warn'), config };
    slack.reset();
    await db.prisma.workspace.count(); // connect before the clock starts
    // The same tick REPEAT times (today's claims and snapshots removed in
    // between), the median reported: the machines are shared and noisy.
    const runs: { ms: number; q: number }[] = [];
    for (let r = 0; r < REPEAT; r++) {
      await db.prisma.claim.deleteMany({ where: { key: { endsWith: `:${today}` } } });
      await db.prisma.readinessSnapshot.deleteMany({ where: { day: today } });
      const before = queries();
      const start = process.hrtime.bigint();
      const summary = await runDigestsTick(deps, tickAt);
      runs.push({ ms: Number(process.hrtime.bigint() - start) / 1e6, q: queries() - before });
      if (summary.sent !== projects || summary.failed) throw new Error(`expected ${projects} digests, got ${JSON.stringify(summary)}`);
    }
    const ms = median(runs.map((r) => r.ms));
    const q = runs[0]!.q;
    console.log(`  tick runs: ${runs.map((r) => `${(r.ms / 1000).toFixed(2)} s`).join(', ')}`);
    // Where the time goes: the readiness of every milestone alone (THE verdict
    // function over the database aggregation), the same calls the digest makes.
    const { getMilestoneCard: loadCard } = await import('../src/services/get-milestone-card.js');
    const ids = (await db.prisma.milestone.findMany({ select: { id: true } })).map((m) => m.id);
    const readinessRuns: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
      const r0 = process.hrtime.bigint();
      for (const i of ids) await loadCard({ db, now: () => tickAt }, i);
      readinessRuns.push(Number(process.hrtime.bigint() - r0) / 1e6);
    }
    const readinessMs = median(readinessRuns);
    await db.close();
    return {
      ms,
      queries: q,
      posts: slack.callsTo('chat.postMessage').length / REPEAT,
      uploads: slack.callsTo('files.completeUploadExternal').length / REPEAT,
      readinessMs,
    };
  } finally {
    await scratch.close();
  }
}

const figures: Record<number, Awaited<ReturnType<typeof bench>>> = {};
const slack = await startSlackApiStandIn();
for (const n of (process.env.BENCH_SIZES ?? '500,1000').split(',').map(Number)) {
  console.log(`${n} milestones:`);
  const r = await bench(slack, n);
  figures[n] = r;
  console.log(
    `  digest tick (median): ${(r.ms / 1000).toFixed(2)} s wall, ${r.queries} queries (${(r.queries / n).toFixed(1)} per milestone), ${r.posts} messages, ${r.uploads} pictures`,
  );
  console.log(
    `  readiness alone (median): ${(r.readinessMs / 1000).toFixed(2)} s (${(r.readinessMs / n).toFixed(1)} ms per milestone); messages, pictures, snapshots and claims: ${((r.ms - r.readinessMs) / 1000).toFixed(2)} s`,
  );
}
await slack.close();
if (!figures[500] || !figures[1000]) process.exit(0);
const ratio = figures[1000].ms / figures[500].ms;
console.log(
  `growth 500 → 1,000 milestones: ×${ratio.toFixed(2)} time, ×${(figures[1000].queries / figures[500].queries).toFixed(2)} queries (linear = ×2)`,
);
const pass = figures[1000].ms < TARGET_MS;
console.log(`${pass ? 'PASS' : 'FAIL'}: 1,000 milestones in ${(figures[1000].ms / 1000).toFixed(2)} s (target < ${TARGET_MS / 1000} s)`);
process.exitCode = pass ? 0 : 1;
