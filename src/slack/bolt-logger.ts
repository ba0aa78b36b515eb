// Bolt logs through its own Logger interface; this one forwards to our pino
// logger so Slack's messages land in the same structured log.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  const text = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  // Bolt logs at debug on every request, often whole payloads: format only when
  // the level is on, or the formatting alone costs a noticeable share of each ack.
  const debug = (msg: unknown[]) => {
    if (child.isLevelEnabled('debug')) child.debug(text(msg));
  };
  return {
    debug: (...msg) => debug(msg),
    info: (...msg) => debug(msg), // Bolt's info is chatty (socket reconnects, etc.)
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}
