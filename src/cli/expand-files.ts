// Expands the file arguments of `shipgate report`: literal paths as given,
// anything else as a glob (quoted globs work the same on every shell).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';

export async function expandFiles(patterns: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const literal = resolve(cwd, pattern);
    // A literal path may contain glob characters ([id].xml), so it is tried first.
    if (existsSync(literal) && statSync(literal).isFile()) {
      found.add(literal);
      continue;
    }
    for (const file of await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false })) found.add(resolve(file));
  }
  return [...found].sort();
}
