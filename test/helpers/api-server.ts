// The real HTTP app (health, REST API, pages and badges) on a loopback port over a test database.
import type { AddressInfo, Socket } from 'node:net';
import { isDatabaseBusy } from '../../src/db/overload.js';
import type { Server } from 'node:http';
import { loadConfig } from '../../src/config.js';
import { createHttpApp, finishHttpApp } from '../../src/http/create-http-app.js';
import { mountApi } from '../../src/api/mount-api.js';
import { mountPages } from '../../src/pages/mount-pages.js';
import { pino } from 'pino';
import { LogNotifier } from '../../src/notify/notifier.js';
import { jiraIssueChecker } from '../../src/jira/jira-issue-checker.js';
import type { AppDeps } from '../../src/app-deps.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface ApiHarness {
  t: TestDatabase;
  deps: AppDeps;
  url: string;
  /** What the server logged at error level or above, one JSON line each. */
  errorLogs: string[];
  /** Sets the clock the server sees. */
  setNow(date: Date): void;
  /** The server's open connections: how many bytes each has read shows how far a streamed body got. */
  sockets(): Socket[];
  close(): Promise<void>;
}

export async function startApi(env: Record<string, string> = {}, options: { jiraCheckTimeoutMs?: number } = {}): Promise<ApiHarness> {
  const config = loadConfig(env);
  const t = await createTestDatabase(config.databaseOptions);
  const errorLogs: string[] = [];
  // Only errors are kept: a test can assert that bad input never reaches the error log.
  const logger = pino({ level: 'error' }, { write: (line: string) => void errorLogs.push(line) });
  let now = new Date();
  const deps: AppDeps = {
    config,
    logger,
    db: t.db,
    notifier: new LogNotifier(logger),
    now: () => now,
    // As main.ts builds it: null unless JIRA_* are in env.
    jiraCheck: jiraIssueChecker(config, { timeoutMs: options.jiraCheckTimeoutMs }),
  };
  const app = createHttpApp({ logger, checkDatabase: () => t.db.ping(), isBusy: isDatabaseBusy });
  mountApi(app, deps);
  mountPages(app, deps);
  finishHttpApp(app, logger);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const { port } = server.address() as AddressInfo;
  return {
    t,
    deps,
    url: `http://127.0.0.1:${port}`,
    errorLogs,
    setNow: (d) => (now = d),
    sockets: () => [...sockets],
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.cleanup();
    },
  };
}

/** fetch with a key and JSON. */
export function client(base: string, key: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: parseOrText(text) };
  };
}

/** The body as JSON, or as the text itself when it is not JSON. Typed loosely: tests probe its shape. */
function parseOrText(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
