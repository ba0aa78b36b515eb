// A key's lastUsedAt is recorded on use, at most once a minute: a request within
// the minute writes nothing (on SQLite a write per request would take the one
// writer and empty the readers' page cache), one after it records the new time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, LAST_USED_EVERY_MS } from '../../src/api/authenticate.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.cleanup());

describe(`an API key's last use (${testProvider()})`, () => {
  it('is recorded on first use, not again within a minute, and again after it', async () => {
    const { apiKey, apiKeyId } = await seedProjectWithApiKey(t, 'USED', { teamId: 'TUSED' });
    const lastUsed = async () => (await t.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const t0 = new Date('2030-05-01T10:00:00.000Z');
    await authenticate(t.prisma, `Bearer ${apiKey}`, 'USED', t0);
    expect(await lastUsed()).toEqual(t0);
    await authenticate(t.prisma, `Bearer ${apiKey}`, 'USED', new Date(t0.getTime() + LAST_USED_EVERY_MS - 1));
    expect(await lastUsed()).toEqual(t0);
    const later = new Date(t0.getTime() + LAST_USED_EVERY_MS);
    await authenticate(t.prisma, `Bearer ${apiKey}`, 'USED', later);
    expect(await lastUsed()).toEqual(later);
  });
});
