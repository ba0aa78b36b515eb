// The readiness page link's token: what it claims can be read by anyone, and is
// genuine only with the secret it was signed with, unchanged in every part.
import { describe, expect, it } from 'vitest';
import { isGenuine, readLinkToken, signLinkToken } from '../../src/domain/link-token.js';

const SECRET = 'a'.repeat(43);
const ID = 'cmilestone0000000000000001';
const EXPIRES = new Date('2026-12-09T13:00:00.000Z');

describe('signLinkToken / readLinkToken / isGenuine', () => {
  const token = signLinkToken(SECRET, ID, EXPIRES);

  it('is URL-safe as it is, and says which milestone and until when (to the second)', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
    const claim = readLinkToken(token)!;
    expect(claim.milestoneId).toBe(ID);
    expect(claim.expiresAt.toISOString()).toBe(EXPIRES.toISOString());
    expect(isGenuine(SECRET, claim)).toBe(true);
  });

  it('is the same for the same inputs, and differs with the secret, the milestone or the expiry', () => {
    expect(signLinkToken(SECRET, ID, EXPIRES)).toBe(token);
    const sig = (t: string) => t.split('.')[2];
    expect(sig(signLinkToken(`${SECRET}b`, ID, EXPIRES))).not.toBe(sig(token));
    expect(sig(signLinkToken(SECRET, `${ID}2`, EXPIRES))).not.toBe(sig(token));
    expect(sig(signLinkToken(SECRET, ID, new Date(EXPIRES.getTime() + 1000)))).not.toBe(sig(token));
  });

  it('is not genuine with another secret, or with any part changed', () => {
    expect(isGenuine(`${SECRET}x`, readLinkToken(token)!)).toBe(false);
    const [id, expiry, signature] = token.split('.') as [string, string, string];
    const changed = [
      `${id.slice(0, -1)}2.${expiry}.${signature}`,
      `${id}.${(parseInt(expiry, 36) + 1).toString(36)}.${signature}`,
      `${id}.${expiry}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
    ];
    for (const t of changed) {
      const claim = readLinkToken(t);
      expect(claim === null || !isGenuine(SECRET, claim), t).toBe(true);
    }
  });

  it('reads nothing from what is not a token: missing parts, another spelling of the expiry, odd characters', () => {
    const [id, expiry, signature] = token.split('.') as [string, string, string];
    for (const t of [
      '',
      id,
      `${id}.${expiry}`,
      `${id}.${expiry}.${signature}.x`,
      `${id}.0${expiry}.${signature}`,
      `${id}.${expiry.toUpperCase()}.${signature}`,
      `${id}.${expiry}.${signature}=`,
      `${id}.${expiry}.${signature.slice(1)}`,
      `../${id}.${expiry}.${signature}`,
      `${id}.zzzzzzzzz.${signature}`,
    ]) {
      expect(readLinkToken(t), t).toBeNull();
    }
  });

  it('refuses to sign an id that could carry the separator', () => {
    expect(() => signLinkToken(SECRET, 'a.b', EXPIRES)).toThrow(/not a milestone id/);
  });
});
