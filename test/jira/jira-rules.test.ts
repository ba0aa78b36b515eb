// The pure Jira rules: status transitions, backoff, Retry-After, error sorting, signatures.
import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, rateLimitDelayMs, retryDelayMs } from '../../src/jira/backoff.js';
import { statusFromJira } from '../../src/jira/defect-status-from-jira.js';
import { retryAfterMs, toJiraCallError } from '../../src/jira/jira-client.js';
import { isValidSignature, signBody } from '../../src/jira/webhook-signature.js';

const now = new Date('2026-11-23T12:00:00Z');

describe('statusFromJira', () => {
  it('resolves on entering Done and reopens on leaving it', () => {
    expect(statusFromJira({ status: 'OPEN', jiraStatusCategory: 'indeterminate', waiverUntil: null }, 'done', now)).toEqual({
      status: 'RESOLVED',
      clearWaiver: true,
    });
    expect(statusFromJira({ status: 'OPEN', jiraStatusCategory: null, waiverUntil: null }, 'done', now)).toEqual({
      status: 'RESOLVED',
      clearWaiver: true,
    });
    expect(statusFromJira({ status: 'RESOLVED', jiraStatusCategory: 'done', waiverUntil: null }, 'new', now)).toEqual({
      status: 'OPEN',
      clearWaiver: true,
    });
  });
  it('leaves a status alone when the category did not cross Done', () => {
    expect(statusFromJira({ status: 'RESOLVED', jiraStatusCategory: 'new', waiverUntil: null }, 'indeterminate', now)).toBeNull();
    expect(statusFromJira({ status: 'OPEN', jiraStatusCategory: 'done', waiverUntil: null }, 'done', now)).toBeNull();
    expect(statusFromJira({ status: 'OPEN', jiraStatusCategory: 'new', waiverUntil: null }, null, now)).toBeNull();
  });
  it('keeps a live waiver when the issue leaves Done, drops an expired one', () => {
    expect(
      statusFromJira({ status: 'WAIVED', jiraStatusCategory: 'done', waiverUntil: new Date('2026-12-01T00:00:00Z') }, 'new', now),
    ).toBeNull();
    expect(
      statusFromJira({ status: 'WAIVED', jiraStatusCategory: 'done', waiverUntil: new Date('2026-11-01T00:00:00Z') }, 'new', now),
    ).toEqual({ status: 'OPEN', clearWaiver: true });
    expect(
      statusFromJira({ status: 'WAIVED', jiraStatusCategory: 'new', waiverUntil: new Date('2026-12-01T00:00:00Z') }, 'done', now),
    ).toEqual({ status: 'RESOLVED', clearWaiver: true });
  });
});

describe('backoff', () => {
  it('doubles from the base up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, () => 1))).toEqual([1, 2, 4, 8].map((f) => BACKOFF_BASE_MS * f));
    expect(retryDelayMs(50, () => 1)).toBe(BACKOFF_CAP_MS);
    expect(retryDelayMs(3, () => 0)).toBe(2 * BACKOFF_BASE_MS);
    for (let i = 0; i < 100; i++) {
      const d = retryDelayMs(5);
      expect(d).toBeGreaterThanOrEqual(8 * BACKOFF_BASE_MS);
      expect(d).toBeLessThanOrEqual(16 * BACKOFF_BASE_MS);
    }
  });
  it('honours Retry-After for 429s, as seconds or an HTTP date', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(['7'])).toBe(7_000);
    expect(retryAfterMs('Mon, 23 Nov 2026 12:01:00 GMT', Date.parse('2026-11-23T12:00:00Z'))).toBe(60_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(rateLimitDelayMs(1, 120_000)).toBe(120_000);
    expect(rateLimitDelayMs(2, undefined, () => 1)).toBe(2 * BACKOFF_BASE_MS);
  });
});

describe('toJiraCallError', () => {
  const http = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
    status,
    message: 'x',
    cause: { response: { status, data, headers } },
  });
  it('sorts responses into wait, retry and stop', () => {
    expect(toJiraCallError(http(429, {}, { 'retry-after': '9' }))).toMatchObject({ kind: 'rate-limited', retryAfterMs: 9000 });
    expect(toJiraCallError(http(503, 'down'))).toMatchObject({ kind: 'transient', status: 503 });
    for (const s of [400, 401, 403, 404]) expect(toJiraCallError(http(s, {})).kind).toBe('permanent');
    expect(toJiraCallError(http(400, { errorMessages: ['bad jql'], errors: { priority: 'wrong' } })).jiraMessages).toEqual([
      'bad jql',
      'priority: wrong',
    ]);
  });
  it('treats no answer at all as retryable', () => {
    expect(toJiraCallError({ code: 'ECONNABORTED', message: 'timeout of 300ms exceeded', isAxiosError: true })).toMatchObject({
      kind: 'transient',
    });
    expect(toJiraCallError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).message).toContain('could not be reached');
  });
});

describe('webhook signature', () => {
  it('accepts exactly the body signed with the secret', () => {
    const body = Buffer.from('{"a":1}');
    expect(isValidSignature('s3cret', body, signBody('s3cret', body))).toBe(true);
    expect(isValidSignature('s3cret', body, signBody('other', body))).toBe(false);
    expect(isValidSignature('s3cret', Buffer.from('{"a":2}'), signBody('s3cret', body))).toBe(false);
    expect(isValidSignature('s3cret', body, undefined)).toBe(false);
    expect(isValidSignature('s3cret', body, 'sha256=short')).toBe(false);
  });
});
