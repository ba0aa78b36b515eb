// The signed token of a readiness page link: which milestone it opens and until
// when, with an HMAC over both made with the project's link secret. Anyone may
// read the milestone id and expiry in it; nobody without the secret can make or
// change one. Pure (a keyed hash is a function of its inputs).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token says, before anyone has checked it. */
export interface LinkClaim {
  milestoneId: string;
  expiresAt: Date;
  signature: string;
}

// Signed with the purpose and a version, so a signature made for anything else
// (or by a later format) never passes for a page link.
const PURPOSE = 'shipgate-readiness-page-v1';
// Milestone ids are cuids; the pattern keeps the separator out of them.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

function sign(secret: string, milestoneId: string, expiresSeconds: number): string {
  return createHmac('sha256', secret).update(`${PURPOSE}\n${milestoneId}\n${expiresSeconds}`).digest('base64url');
}

/** `<milestone id>.<expiry, seconds since 1970 in base 36>.<HMAC-SHA256, base64url>`: URL-safe as it is. */
export function signLinkToken(secret: string, milestoneId: string, expiresAt: Date): string {
  if (!ID.test(milestoneId)) throw new Error(`not a milestone id: ${milestoneId}`);
  const seconds = Math.floor(expiresAt.getTime() / 1000);
  return `${milestoneId}.${seconds.toString(36)}.${sign(secret, milestoneId, seconds)}`;
}

/** What the token claims, or null when it is not a token at all. Says nothing about whether it is genuine. */
export function readLinkToken(token: string): LinkClaim | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [milestoneId, expiry, signature] = parts as [string, string, string];
  // One spelling of each expiry (no leading zeros, lower case), so no two tokens mean the same.
  if (!ID.test(milestoneId) || !/^[1-9a-z][0-9a-z]{0,7}$/.test(expiry) || !SIGNATURE.test(signature)) return null;
  return { milestoneId, expiresAt: new Date(parseInt(expiry, 36) * 1000), signature };
}

/** Whether the claim was signed with this secret (compared in constant time). Expiry is the caller's to judge. */
export function isGenuine(secret: string, claim: LinkClaim): boolean {
  const expected = Buffer.from(sign(secret, claim.milestoneId, Math.floor(claim.expiresAt.getTime() / 1000)));
  const given = Buffer.from(claim.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
