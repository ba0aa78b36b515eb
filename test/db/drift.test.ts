// The committed migrations must build exactly what prisma/models.prisma describes,
// for both providers (PostgreSQL when a server is configured for the tests).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pgServerUrl } from '../helpers/test-database.js';
import { repoPath } from '../helpers/fixtures.js';

const run = promisify(execFile);
const root = repoPath();
const pg = pgServerUrl();
const providers = ['sqlite', ...(pg ? ['postgresql'] : [])];

async function check(provider: string, extra: string[] = []) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--no-warnings', '--experimental-wasm-modules', 'scripts/migrations.mjs', 'check', '--provider', provider, ...extra],
      { cwd: root, env: { ...process.env, SHIPGATE_TEST_PG_URL: pg ?? '' } },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each(providers)('migration drift on %s', (provider) => {
  it('the committed migrations match the model', async () => {
    const result = await check(provider);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${provider}: migrations match the model`);
  }, 120_000);

  it('a field added to the model without a migration is caught', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-drift-'));
    try {
      const models = readFileSync(join(root, 'prisma', 'models.prisma'), 'utf8');
      const changed = models.replace(/model Milestone \{\n/, 'model Milestone {\n  releaseNotes String?\n');
      expect(changed).not.toBe(models);
      writeFileSync(join(dir, 'models.prisma'), changed);
      const result = await check(provider, ['--models', join(dir, 'models.prisma')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${provider}: DRIFT`);
      expect(result.stderr).toMatch(/releaseNotes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

if (!pg) {
  it.skip('migration drift on postgresql (set TEST_DATABASE_URL or SHIPGATE_TEST_PG_URL to a PostgreSQL server)', () => {});
}
