// Finds the committed migrations for a provider: prisma/<provider>/migrations/<name>/migration.sql.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of the file, as Prisma records it in _prisma_migrations.checksum. */
  checksum: string;
}

/** The repository (or installed package) root: the folder holding prisma/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'prisma', 'models.prisma'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('Cannot find the prisma/ folder above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export function loadMigrations(provider: 'sqlite' | 'postgresql', root = packageRoot()): Migration[] {
  const dir = join(root, 'prisma', provider, 'migrations');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}
