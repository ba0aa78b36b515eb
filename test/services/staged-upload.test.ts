// Staged uploads on disk: batches come back as written, discard removes them,
// and what a killed server left behind is swept at the next start once stale.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageUpload, sweepStaleUploads } from '../../src/services/staged-upload.js';
import { resultRow } from '../helpers/factories.js';

describe('staged uploads', () => {
  it('gives the batches back in order and leaves nothing after discard', async () => {
    const root = mkdtempSync(join(tmpdir(), 'staging-root-'));
    const staged = await stageUpload(root);
    await staged.write([resultRow('a::1'), resultRow('a::2', 'FAILED')]);
    await staged.write([]);
    await staged.write([resultRow('b::1', 'SKIPPED')]);
    await staged.seal();
    const back = [];
    for await (const batch of staged.batches()) back.push(batch.map((r) => `${r.key} ${r.status}`));
    expect(back).toEqual([['a::1 PASSED', 'a::2 FAILED'], ['b::1 SKIPPED']]);
    await staged.discard();
    expect(readdirSync(root)).toEqual([]);
  });

  it('sweeps staging folders older than a day and keeps recent ones and anything else', async () => {
    const root = mkdtempSync(join(tmpdir(), 'staging-root-'));
    const now = new Date();
    const old = join(root, 'shipgate-upload-old');
    const recent = join(root, 'shipgate-upload-recent');
    const other = join(root, 'someone-else');
    for (const dir of [old, recent, other]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'batches.ndjson'), '[]\n');
    }
    const twoDaysAgo = new Date(now.getTime() - 2 * 86_400_000);
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    utimesSync(other, twoDaysAgo, twoDaysAgo);

    expect(await sweepStaleUploads(now, 86_400_000, root)).toBe(1);
    expect([existsSync(old), existsSync(recent), existsSync(other)]).toEqual([false, true, true]);
  });
});
