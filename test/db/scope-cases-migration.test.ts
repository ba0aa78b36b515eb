// The migration that adds ScopeCase fills it for the scopes already stored,
// matching in SQL (GLOB on SQLite, LIKE on PostgreSQL) what domain/scope.ts
// matches in JavaScript. Scopes and case keys are made of the characters either
// side treats specially ([ ] % _ \ * ?), whitespace JavaScript's trim() removes,
// line breaks and characters beyond one byte or one UTF-16 unit: the rows the
// migration writes must be exactly the ones compileScope names, with coverage
// from the current state, for every milestone (a stored scope that is not a
// JSON list of strings gives none, as the application reads it).
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { loadMigrations } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { rebuildMilestone } from '../../src/db/current-state.js';
import { deriveCurrentState } from '../../src/db/derive-current-state.js';
import { compareScopes, deriveScopeCases, readScopeCases } from '../../src/services/check-current-state.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (drops.length) await drops.pop()!();
});

function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return { next, pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const ALPHABET = ['a', 'b', 'c', ':', '›', '[', ']', '%', '_', '\\', '*', '?', ' ', '\n', 'é', '😀', '\u00a0', '^', '!', '-'];
const KEY_CHARS = ALPHABET.filter((c) => c !== '*' && c !== '?');

describe(`the scope-cases migration (${testProvider()})`, () => {
  it('fills ScopeCase with exactly the cases domain/scope.ts names, covered as the current state says', async () => {
    const fresh = await freshTarget(false);
    drops.push(fresh.drop);
    const all = loadMigrations(fresh.target.provider);
    // History and scopes as stored before the current state was kept: the migrations
    // fill CurrentResult from the history, then ScopeCase from the scopes and that state.
    const index = all.findIndex((m) => m.name.endsWith('_current_state_kept_at_ingest'));
    expect(index).toBeGreaterThan(0);
    expect(all.findIndex((m) => m.name.endsWith('_scope_cases_kept'))).toBeGreaterThan(index);
    await migrate(fresh.target, all.slice(0, index));

    const rnd = prng(20261202);
    const word = (chars: readonly string[], max: number) =>
      Array.from({ length: 1 + Math.floor(rnd.next() * max) }, () => rnd.pick(chars)).join('');
    const db = openDatabase(fresh.target);
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TSCOPEMIG' } });
    // Raw SQL: the generated client writes every column it knows, and later migrations add some to Project.
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "Project" ("id", "workspaceId", "key", "name", "updatedAt") VALUES ('pscm', '${ws.id}', 'SCM', 'Scope mig', CURRENT_TIMESTAMP)`,
    );
    const project = { id: 'pscm' };
    const keys = new Set<string>(['a[b]c', 'a%c', 'a_c', 'abc', 'a\\c', 'a*c', 'a?c', 'x', '\u00a0x', 'caf\u00e9', '😀x']);
    while (keys.size < 160) keys.add(word(KEY_CHARS, 6));
    const cases = [];
    for (const key of keys) {
      const suite = rnd.next() < 0.4 ? null : word(ALPHABET, 4);
      cases.push(await db.prisma.testCase.create({ data: { projectId: project.id, key, title: key, suite } }));
    }
    const scopes: string[] = [
      JSON.stringify(['a[b]c', 'a%c']),
      JSON.stringify(['a?c']),
      JSON.stringify(['a_c', 'a\\c']),
      // LIKE would read _ and % as wildcards and \ as its escape; GLOB would read [b] as a class.
      JSON.stringify(['a_c*']),
      JSON.stringify(['a%*']),
      JSON.stringify(['a\\*']),
      JSON.stringify(['a[b]*']),
      JSON.stringify(['*\\*', '[*']),
      JSON.stringify(['\u00a0x\u3000', '  ', '\ufeffabc\n']),
      JSON.stringify(['?x', '😀?', '?']),
      JSON.stringify(['*']),
      JSON.stringify([]),
      '{not json',
      JSON.stringify({ include: ['*'] }),
      JSON.stringify(['abc', 7, null]),
    ];
    for (let i = 0; i < 30; i++)
      scopes.push(JSON.stringify(Array.from({ length: 1 + Math.floor(rnd.next() * 3) }, () => word(ALPHABET, 5))));
    const env = await db.prisma.environment.create({ data: { projectId: project.id, name: 'staging' } });
    const milestones = [];
    for (const [i, scope] of scopes.entries()) {
      const m = await db.prisma.milestone.create({ data: { projectId: project.id, name: `m${i}`, nameKey: `m${i}`, scope } });
      milestones.push(m);
      // A run with results for some of the cases, some executed and some skipped.
      const run = await db.prisma.testRun.create({
        data: { projectId: project.id, milestoneId: m.id, environmentId: env.id, name: `r${i}`, status: 'COMPLETED' },
      });
      await db.prisma.testResult.createMany({
        data: cases
          .filter(() => rnd.next() < 0.5)
          .map((c) => ({ runId: run.id, caseId: c.id, status: rnd.next() < 0.3 ? ('SKIPPED' as const) : ('PASSED' as const) })),
      });
    }
    await db.close();

    await migrate(fresh.target);
    const after = openDatabase(fresh.target);
    try {
      let members = 0;
      for (const m of milestones) {
        const kept = await readScopeCases({ db: after }, m.id);
        const derived = await deriveScopeCases({ db: after }, m.id, await deriveCurrentState(after, m.id));
        expect(compareScopes(kept, derived), `scope ${m.scope}`).toEqual({ expected: derived.length, missing: 0, extra: 0, changed: 0 });
        members += kept.length;
        // And the application's own rebuild agrees.
        await after.prisma.$transaction((tx) => rebuildMilestone(tx, after.provider, m.id, new Date()));
        expect(compareScopes(await readScopeCases({ db: after }, m.id), derived).changed).toBe(0);
      }
      // Not vacuous: the scopes do name cases, and not all of them.
      expect(members).toBeGreaterThan(50);
      expect(members).toBeLessThan(cases.length * milestones.length);
    } finally {
      await after.close();
    }
  }, 120_000);
});
