// Exactly-once claims on a real database, including two connections racing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/open-database.js';
import { claim, sendOnce } from '../../src/db/claims.js';
import { RateLimitedError } from '../../src/notify/notifier.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

describe(`claims (${testProvider()})`, () => {
  let t: TestDatabase;
  let second: Database;
  const t0 = new Date('2026-11-23T09:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  beforeAll(async () => {
    t = await createTestDatabase();
    second = openDatabase(t.target);
  });
  afterAll(async () => {
    await second.close();
    await t.cleanup();
  });

  it('sends once; a second attempt is skipped', async () => {
    const sent: string[] = [];
    const r = { kind: 'reminder', key: 'm1:3d:2026-11-23', owner: 'a', now: t0 };
    expect(await sendOnce(t.prisma, r, async () => void sent.push('a'))).toBe('sent');
    expect(await sendOnce(t.prisma, { ...r, owner: 'b', now: at(60) }, async () => void sent.push('b'))).toBe('skipped');
    expect(sent).toEqual(['a']);
  });

  it('of two connections racing for the same claim, exactly one sends', async () => {
    for (let i = 0; i < 20; i++) {
      const key = `digest:race-${i}`;
      const sent: string[] = [];
      const results = await Promise.all([
        sendOnce(t.prisma, { kind: 'digest', key, owner: 'a', now: t0 }, async () => void sent.push('a')),
        sendOnce(second.prisma, { kind: 'digest', key, owner: 'b', now: t0 }, async () => void sent.push('b')),
      ]);
      expect(results.sort()).toEqual(['sent', 'skipped']);
      expect(sent).toHaveLength(1);
    }
  });

  it('a failed send is retried after the lease, not before, and then only once', async () => {
    const r = { kind: 'nudge', key: 'run-1', owner: 'a', now: t0, leaseMs: 60_000 };
    let calls = 0;
    expect(
      await sendOnce(t.prisma, r, async () => {
        calls++;
        throw new Error('Slack answered 500');
      }),
    ).toBe('failed');
    expect(await sendOnce(t.prisma, { ...r, now: at(0.5) }, async () => void calls++)).toBe('skipped');
    const row = await t.prisma.claim.findUniqueOrThrow({ where: { kind_key: { kind: 'nudge', key: 'run-1' } } });
    expect(row).toMatchObject({ sentAt: null, lastError: 'Slack answered 500', attempts: 1 });
    const retried = await Promise.all([
      sendOnce(t.prisma, { ...r, owner: 'b', now: at(2) }, async () => void calls++),
      sendOnce(second.prisma, { ...r, owner: 'c', now: at(2) }, async () => void calls++),
    ]);
    expect(retried.sort()).toEqual(['sent', 'skipped']);
    expect(calls).toBe(2);
    expect(await sendOnce(t.prisma, { ...r, now: at(10) }, async () => void calls++)).toBe('skipped');
  });

  it('a 429 is retried when the receiver asked, not earlier', async () => {
    const r = { kind: 'digest', key: 'rate-limited', owner: 'a', now: t0, leaseMs: 3600_000 };
    expect(
      await sendOnce(t.prisma, r, async () => {
        throw new RateLimitedError(30_000);
      }),
    ).toBe('failed');
    expect(await sendOnce(t.prisma, { ...r, now: at(0.4) }, async () => undefined)).toBe('skipped');
    expect(await sendOnce(t.prisma, { ...r, now: at(0.6) }, async () => undefined)).toBe('sent');
  });

  it('gives up after the maximum number of attempts', async () => {
    const r = { kind: 'digest', key: 'hopeless', owner: 'a', leaseMs: 1000, maxAttempts: 2 };
    expect(
      await sendOnce(t.prisma, { ...r, now: at(0) }, async () => {
        throw new Error('no');
      }),
    ).toBe('failed');
    expect(
      await sendOnce(t.prisma, { ...r, now: at(1) }, async () => {
        throw new Error('no');
      }),
    ).toBe('failed');
    expect(await claim(t.prisma, { ...r, now: at(2) })).toBeNull();
  });
});
