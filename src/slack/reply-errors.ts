// How a failure reaches the person who caused it: an AppError's message (what
// was wrong, what would work) ephemerally; anything else is logged and the
// person told it was on our side.
import { isDatabaseBusy } from '../db/overload.js';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { problemMessage } from '../messages/help-message.js';
import { NotAnApproverError } from './approval.js';

export function errorMessage(err: unknown, logger: Logger, usage?: string): { text: string; blocks: unknown[] } {
  if (err instanceof NotAnApproverError) return err.refusal;
  if (err instanceof AppError) return problemMessage(err.message, usage);
  if (isDatabaseBusy(err)) {
    logger.warn({ err }, 'slack listener: database busy');
    return problemMessage('Shipgate is very busy right now and did not change anything. Try again in a moment.');
  }
  logger.error({ err }, 'slack listener failed');
  return problemMessage('Something went wrong on the Shipgate server; it has been logged. Try again in a moment.');
}

/** Field errors for `response_action: "errors"` from an AppError, on the field it most likely concerns. */
export function fieldErrorFor(err: unknown, field: string): Record<string, string> | null {
  if (err instanceof AppError && ['VALIDATION_FAILED', 'CONFLICT', 'NOT_FOUND', 'UNPROCESSABLE'].includes(err.code)) {
    return { [field]: err.message.slice(0, 2000) };
  }
  return null;
}
