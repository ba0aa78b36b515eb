// When to try Jira again after a failure that may pass: exponential from
// 15 s, capped at 15 min (so an hour-long outage is noticed within a quarter
// of an hour of its end), with jitter so many waiting items and replicas do
// not all return in the same second.
export const BACKOFF_BASE_MS = 15_000;
export const BACKOFF_CAP_MS = 15 * 60_000;

/** `attempt` is 1 after the first failure. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  // "Equal jitter": between half and all of the exponential delay, never zero.
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** A 429's own `Retry-After` wins; without one, back off like any other failure. */
export function rateLimitDelayMs(attempt: number, retryAfterMs: number | undefined, random?: () => number): number {
  return retryAfterMs !== undefined ? Math.max(1000, retryAfterMs) : retryDelayMs(attempt, random);
}
