// Paths to the repository and its test fixtures, whatever folder a test file sits in.
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

/** A path under the repository's root. */
export function repoPath(...parts: string[]): string {
  return join(repoRoot, ...parts);
}

/** A path under test/fixtures/. */
export function fixturePath(...parts: string[]): string {
  return join(repoRoot, 'test', 'fixtures', ...parts);
}
