// An upload's results, staged on local disk while the body streams in, so no
// database transaction waits on the network: the rows are checked as they
// arrive, written to a temporary file in batches (memory stays bounded), and
// read back batch by batch into one short transaction once the whole body has
// arrived and parsed. A failed or cut-off upload leaves only this file, which
// discard() removes (a crashed process leaves it in the system's temp folder,
// never in the database).
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ResultRow } from './ingest-results.js';

export interface StagedUpload {
  /** Appends a batch; resolves when it may be followed by the next. */
  write(rows: ResultRow[]): Promise<void>;
  /** Ends writing; call before batches(). */
  seal(): Promise<void>;
  /** The batches as written, in order. */
  batches(): AsyncIterable<ResultRow[]>;
  /** Removes the staged file; safe to call more than once. */
  discard(): Promise<void>;
}

const PREFIX = 'shipgate-upload-';

export async function stageUpload(root = tmpdir()): Promise<StagedUpload> {
  const dir = await mkdtemp(join(root, PREFIX));
  const file = join(dir, 'batches.ndjson');
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined); // observed through write() and seal()
  let sealed = false;
  return {
    async write(rows) {
      if (!rows.length) return;
      if (!out.write(JSON.stringify(rows) + '\n')) await Promise.race([once(out, 'drain'), failed]);
    },
    async seal() {
      if (sealed) return;
      sealed = true;
      out.end();
      await Promise.race([once(out, 'finish'), failed]);
    },
    async *batches() {
      const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      for await (const line of lines) if (line) yield JSON.parse(line) as ResultRow[];
    },
    async discard() {
      if (!sealed) out.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes what uploads cut off by a killed process left behind: staging
 * folders untouched for longer than `olderThanMs` (a day by default: no upload
 * streams that long, and another server on the machine may be staging one now).
 * Returns how many were removed.
 */
export async function sweepStaleUploads(now: Date, olderThanMs = 86_400_000, root = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX)) continue;
    const path = join(root, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory() || now.getTime() - info.mtimeMs < olderThanMs) continue;
    await rm(path, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
