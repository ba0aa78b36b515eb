// Maps errors to the API's error shape and status codes, in one place.
import type { NextFunction, Request, Response } from 'express';
import { type z } from 'zod';
import { AppError, type ErrorCode } from '../domain/errors.js';
import { DatabaseBusyError, isDatabaseBusy } from '../db/overload.js';
import type { Logger } from '../logger.js';
import { isDecodingError, notValidEncoding } from './content-encoding.js';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function sendError(res: Response, err: AppError): void {
  res
    .status(STATUS[err.code])
    .json({ error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } });
}

/** Turns a zod failure into a 400 whose message names each bad field. */
export function validationError(error: z.ZodError, where: string): AppError {
  const issues = error.issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : where;
    if (i.code === 'unrecognized_keys')
      return `${path === where ? '' : `${path}: `}unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${path}: ${i.message}`;
  });
  return new AppError('VALIDATION_FAILED', `Invalid ${where}: ${issues.join('; ')}`, {
    issues: error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
  });
}

export function apiErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Answering before the body was read whole (a refused upload) leaves unread
    // bytes on the socket: close it rather than reuse it for the next request.
    if (!req.complete) res.setHeader('Connection', 'close');
    if (err instanceof AppError) return sendError(res, err);
    const e = err as { type?: string; status?: number; message?: string; code?: string };
    if (e.type === 'entity.too.large' || e.status === 413) {
      return sendError(
        res,
        new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than this server accepts (MAX_BODY_BYTES); send smaller batches.'),
      );
    }
    if (e.type === 'entity.parse.failed')
      return sendError(res, new AppError('VALIDATION_FAILED', `The body is not valid JSON: ${e.message}`));
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
      return sendError(res, new AppError('UNSUPPORTED_MEDIA_TYPE', `${e.message}; send UTF-8.`));
    }
    // json() answers a body that does not inflate with a bare zlib error.
    if (e.status === 400 && isDecodingError(err)) {
      return sendError(res, notValidEncoding(String(req.headers['content-encoding']).trim().toLowerCase(), err));
    }
    if (e.code === 'P2025') return sendError(res, new AppError('NOT_FOUND', 'The record was not found.'));
    if (isDatabaseBusy(err)) {
      logger.warn({ err, path: req.path }, 'API busy: answered 503');
      return sendBusy(res, err);
    }
    logger.error({ err }, 'API error');
    return sendError(res, new AppError('INTERNAL', 'Something went wrong on the server; it has been logged.'));
  };
}

/** 503 with Retry-After: the database was too busy to take the request, and nothing was changed. */
export function sendBusy(res: Response, err: unknown): void {
  const seconds = err instanceof DatabaseBusyError ? err.retryAfterSeconds : 5;
  const message =
    err instanceof DatabaseBusyError
      ? err.message
      : 'The database is busy (every connection in use or its lock held); nothing was changed. Try again shortly.';
  res.setHeader('Retry-After', String(seconds));
  sendError(res, new AppError('UNAVAILABLE', message, { retryAfterSeconds: seconds }));
}
