// Quarantine's rules (SPEC §10), pure: what a quarantine needs (a reason and an
// end in the future), that a critical case can never be quarantined, and when
// one is in force. The verdict's side is in readiness.ts (quarantined failures
// leave the pass rate); the database finds them (db/quarantined-failures.ts).
import { AppError } from './errors.js';
import { INPUT_LIMITS } from './input-limits.js';
import { localDate, parseDueDate } from './time.js';

export interface QuarantineTerms {
  reason: string;
  until: Date;
}

/**
 * The reason trimmed and the end as an instant: `YYYY-MM-DD` is the end of that day in the
 * project's zone (as a due date), or an ISO-8601 instant with an offset. Like a waiver, a
 * quarantine must end, and in the future.
 */
export function checkQuarantineTerms(input: { reason: string; until: string }, tz: string, now: Date): QuarantineTerms {
  const reason = input.reason.trim();
  if (!reason)
    throw new AppError('VALIDATION_FAILED', 'A quarantine needs a reason that says why this test’s failures may be left out for now.');
  if (reason.length > INPUT_LIMITS.quarantineReason)
    throw new AppError('VALIDATION_FAILED', `The reason must be at most ${INPUT_LIMITS.quarantineReason} characters.`);
  let until: Date;
  try {
    until = parseDueDate(input.until, tz);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    throw new AppError('VALIDATION_FAILED', `until: ${e.message.replace('a due date I can read', 'a date I can read')}`);
  }
  if (until <= now)
    throw new AppError(
      'VALIDATION_FAILED',
      `until (${localDate(until, tz)}) is not in the future: a quarantine must end later than now, e.g. ${localDate(new Date(now.getTime() + 14 * 86_400_000), tz)}.`,
    );
  return { reason, until };
}

/** A critical case's failures always count: it can never be quarantined. */
export function refuseCriticalCase(testCase: { key: string; critical: boolean }): void {
  if (!testCase.critical) return;
  throw new AppError(
    'CONFLICT',
    `${testCase.key} is a critical test case, and a critical case can never be quarantined: its failures always hold the release. ` +
      'Fix the test, or report a defect for its failure.',
  );
}

/** In force until its end; a quarantine whose end has passed counts for nothing (its failures count again). */
export function isQuarantineInForce(q: { until: Date }, now: Date): boolean {
  return q.until.getTime() > now.getTime();
}
