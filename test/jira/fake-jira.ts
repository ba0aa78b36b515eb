// A stateful Jira Cloud stand-in served through nock (jira.js uses axios,
// which nock intercepts): issues are created, read and searched for real, and
// every request is recorded. `fault` injects failures (429, 503, 401, …) and
// `onCreate` can hold a created issue's answer back (a timeout after success).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { asyncHandler } from '../helpers/async-handler.js';

export const JIRA_HOST = 'https://jira.test';
export const JIRA_EMAIL = 'bot@example.com';
export const JIRA_TOKEN = 'jira-token';

export interface FakeIssue {
  key: string;
  fields: Record<string, any>;
  status: { name: string; category: 'new' | 'indeterminate' | 'done' };
  updated: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
  authorization: string | undefined;
}

export type Fault = (req: RecordedRequest) => [number, unknown, Record<string, string>?] | undefined;

export class FakeJira {
  issues = new Map<string, FakeIssue>();
  requests: RecordedRequest[] = [];
  fault: Fault | undefined;
  /** Milliseconds to sit on an answer (after the work is done), to make the client time out. */
  hold: ((req: RecordedRequest) => number | undefined) | undefined;
  private next = 1;
  private scope: nock.Scope | undefined;
  private server: Server | undefined;

  start(): this {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    const record = (method: string) =>
      async function (this: any, uri: string, body: any) {
        const req = {
          method,
          path: uri,
          body: typeof body === 'string' && body ? JSON.parse(body) : body,
          authorization: this.req.headers.authorization,
        };
        const answer = handle(req);
        const ms = hold(req);
        // A real delay on purpose: an answer that arrives too late is what the client's timeout is tested against.
        if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
        return answer;
      };
    const handle = (req: RecordedRequest) => this.handle(req);
    const hold = (req: RecordedRequest) => this.hold?.(req);
    this.scope = nock(JIRA_HOST).persist().post(/.*/).reply(record('POST')).get(/.*/).reply(record('GET'));
    return this;
  }

  /** Serves the same fake over real HTTP on 127.0.0.1, for a server running as a process; resolves with its URL. */
  async listen(): Promise<string> {
    this.server = createServer(
      asyncHandler(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const text = Buffer.concat(chunks).toString();
        const recorded = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          body: text ? JSON.parse(text) : undefined,
          authorization: req.headers.authorization,
        };
        const [status, body, headers] = this.handle(recorded);
        const ms = this.hold?.(recorded);
        // As above: the held answer is the thing under test.
        if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      }),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  stop(): void {
    this.scope?.persist(false);
    nock.cleanAll();
    nock.enableNetConnect();
  }

  /** Issues Jira holds that carry `label`. */
  withLabel(label: string): FakeIssue[] {
    return [...this.issues.values()].filter((i) => (i.fields.labels ?? []).includes(label));
  }

  creates(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/rest/api/3/issue'));
  }

  searches(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/rest/api/3/search/jql'));
  }

  addIssue(key: string, status: FakeIssue['status'], updated: string, fields: Record<string, any> = {}): FakeIssue {
    const issue = { key, fields, status, updated };
    this.issues.set(key, issue);
    return issue;
  }

  /** Moves an issue to a status, as someone in Jira would. */
  transition(key: string, status: FakeIssue['status'], updated: string): void {
    const issue = this.issues.get(key)!;
    issue.status = status;
    issue.updated = updated;
  }

  view(issue: FakeIssue) {
    return {
      id: String(10000 + Number(issue.key.split('-')[1])),
      key: issue.key,
      self: `${JIRA_HOST}/rest/api/3/issue/${issue.key}`,
      fields: {
        status: { name: issue.status.name, statusCategory: { key: issue.status.category } },
        updated: issue.updated,
      },
    };
  }

  createIssue(body: any): FakeIssue {
    const key = `${body.fields.project.key}-${this.next++}`;
    return this.addIssue(key, { name: 'To Do', category: 'new' }, '2026-11-20T10:00:00.000+0000', body.fields);
  }

  handle(req: RecordedRequest): [number, unknown, Record<string, string>?] {
    this.requests.push(req);
    const injected = this.fault?.(req);
    if (injected) return injected;
    const path = req.path.split('?')[0]!;
    if (req.method === 'POST' && path === '/rest/api/3/issue') {
      const issue = this.createIssue(req.body);
      return [201, { id: this.view(issue).id, key: issue.key, self: this.view(issue).self }];
    }
    const get = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && get) {
      const issue = this.issues.get(decodeURIComponent(get[1]!));
      return issue
        ? [200, this.view(issue)]
        : [404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} }];
    }
    if (req.method === 'POST' && path === '/rest/api/3/search/jql') {
      // Like Jira: naming a key that does not exist in `key in (…)` fails the whole search.
      const unknown = this.unknownKeys(String(req.body.jql));
      if (unknown.length)
        return [400, { errorMessages: [`An issue with key '${unknown[0]}' does not exist for field 'key'.`], errors: {} }];
      return [200, { issues: this.search(String(req.body.jql)).map((i) => this.view(i)) }];
    }
    if (path === '/rest/api/3/search') return [410, { errorMessages: ['The requested API has been removed.'] }];
    return [404, { errorMessages: [`No fake for ${req.method} ${path}`] }];
  }

  private unknownKeys(jql: string): string[] {
    const keys = /key in \(([^)]*)\)/.exec(jql);
    return keys
      ? keys[1]!
          .split(',')
          .map((k) => k.trim().replace(/^"|"$/g, ''))
          .filter((k) => !this.issues.has(k))
      : [];
  }

  private search(jql: string): FakeIssue[] {
    const label = /labels\s*=\s*"([^"]+)"/.exec(jql);
    if (label) return this.withLabel(label[1]!);
    const keys = /key in \(([^)]*)\)/.exec(jql);
    if (keys) {
      const wanted = keys[1]!.split(',').map((k) => k.trim().replace(/^"|"$/g, ''));
      return wanted.map((k) => this.issues.get(k)).filter((i): i is FakeIssue => Boolean(i));
    }
    return [];
  }
}
