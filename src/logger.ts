// Structured JSON logs (pino). One logger is built at start and passed in.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { service: 'shipgate' }, timestamp: pino.stdTimeFunctions.isoTime });
}
