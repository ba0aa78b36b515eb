// Structured JSON logs (pino). One logger is built at start and passed in.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { service: 'shipgate' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * A request path as it may be logged: the signature of a readiness page link
 * (/m/<milestone id>.<expiry>.<signature>) is a secret, so it is left out.
 */
export function loggedPath(path: string): string {
  return path.replace(/^\/m\/([^/.]*)\.[^/]*/, '/m/$1.…');
}
