// A local stand-in for Slack's Web API (behind SLACK_API_URL) and for the
// response_url and file-upload endpoints: answers like Slack does and records
// every call, so tests can assert what the app sent and wait for slow work.
// Like Slack, it knows which channels the bot is a member of: a file shared to a
// channel it has not joined is `not_in_channel`, a private channel it was not
// invited to is `channel_not_found` (to post, to read, to join), and public
// channels can be joined with conversations.join. Updating a deleted message is
// `message_not_found`. Errors are HTTP 200 with
// `ok: false`; a 429 carries Retry-After (see rateLimitNext).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asyncHandler } from './async-handler.js';

export interface RecordedCall {
  method: string;
  token: string | null;
  body: Record<string, unknown>;
}

type Responder = (call: RecordedCall) => { status?: number; headers?: Record<string, string>; body: unknown } | undefined;

export interface SlackApiStandIn {
  url: string;
  apiUrl: string;
  calls: RecordedCall[];
  responseUrl(id?: string): string;
  /** Overrides the answer for one method (return undefined to fall back to the default). */
  respond(method: string, responder: Responder): void;
  /** The next `times` calls of `method` are answered 429 with Retry-After: `seconds`. */
  rateLimitNext(method: string, seconds: number, times?: number): void;
  /** Channels the bot is a member of (joined, or invited to). */
  members: Set<string>;
  /** Private channels (ids starting with G are private too). */
  privateChannels: Set<string>;
  /** Deletes a message as a person would in Slack: updating it then answers message_not_found. */
  deleteMessage(ts: string): void;
  waitFor(method: string, match?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  callsTo(method: string): RecordedCall[];
  reset(): void;
  close(): Promise<void>;
}

export async function startSlackApiStandIn(): Promise<SlackApiStandIn> {
  const calls: RecordedCall[] = [];
  const responders = new Map<string, Responder>();
  const waiters: { method: string; match: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }[] = [];
  let ts = 1_700_000_000;
  let base = '';
  const members = new Set<string>();
  const privateChannels = new Set<string>();
  /** Messages deleted (by ts): chat.update answers message_not_found, as Slack does. */
  const deleted = new Set<string>();
  const rateLimits = new Map<string, { seconds: number; times: number }>();
  const isPrivate = (channel: unknown) => typeof channel === 'string' && (privateChannels.has(channel) || channel.startsWith('G'));
  // Users and DMs are always reachable; a channel is reachable to post to when public or joined.
  const isConversation = (channel: unknown) => typeof channel === 'string' && /^[CG]/.test(channel);
  const hidden = (channel: unknown) => isConversation(channel) && isPrivate(channel) && !members.has(channel as string);
  const fail = (error: string) => ({ ok: false, error });

  const defaults: Record<string, (c: RecordedCall) => unknown> = {
    'chat.postMessage': (c) =>
      hidden(c.body.channel)
        ? fail('channel_not_found')
        : { ok: true, channel: c.body.channel, ts: `${ts++}.000100`, message: { text: c.body.text } },
    'chat.update': (c) =>
      hidden(c.body.channel)
        ? fail('channel_not_found')
        : deleted.has(String(c.body.ts))
          ? fail('message_not_found')
          : { ok: true, channel: c.body.channel, ts: c.body.ts },
    'chat.delete': (c) => {
      deleted.add(String(c.body.ts));
      return { ok: true, channel: c.body.channel, ts: c.body.ts };
    },
    'chat.postEphemeral': () => ({ ok: true, message_ts: `${ts++}.000200` }),
    'views.open': () => ({ ok: true, view: { id: `V${ts++}`, hash: `hash.${ts}` } }),
    'views.update': (c) => ({ ok: true, view: { id: c.body.view_id, hash: `hash.${ts++}` } }),
    'views.publish': () => ({ ok: true, view: { id: `V${ts++}` } }),
    'auth.test': () => ({ ok: true, team_id: 'T0AAAAAAA', user_id: 'U0BOT', bot_id: 'B0BOT' }),
    'files.getUploadURLExternal': () => ({ ok: true, upload_url: `${base}/upload/F${ts}`, file_id: `F${ts++}` }),
    'files.completeUploadExternal': (c) => {
      const channel = c.body.channel_id;
      if (typeof channel === 'string' && !members.has(channel)) return fail(hidden(channel) ? 'channel_not_found' : 'not_in_channel');
      return { ok: true, files: Array.isArray(c.body.files) ? c.body.files : [] };
    },
    'conversations.info': (c) => {
      const channel = c.body.channel;
      if (!isConversation(channel) || hidden(channel)) return fail('channel_not_found');
      return {
        ok: true,
        channel: { id: channel, is_channel: true, is_private: isPrivate(channel), is_member: members.has(channel as string) },
      };
    },
    'conversations.join': (c) => {
      const channel = c.body.channel;
      if (!isConversation(channel) || hidden(channel)) return fail('channel_not_found');
      if (isPrivate(channel)) return fail('method_not_supported_for_channel_type');
      members.add(channel as string);
      return { ok: true, channel: { id: channel, is_private: false, is_member: true } };
    },
    'oauth.v2.access': () => ({ ok: true }),
  };

  function record(call: RecordedCall) {
    calls.push(call);
    for (const w of [...waiters]) {
      if (w.method === call.method && w.match(call)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
  }

  const server: Server = createServer(
    asyncHandler(async (req, res) => {
      const raw = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? null;
      let method: string;
      if (path.startsWith('/api/')) method = path.slice(5);
      else if (path.startsWith('/response/')) method = 'response_url';
      else if (path.startsWith('/upload/')) method = 'upload';
      else method = path;
      const body = parseBody(raw, String(req.headers['content-type'] ?? ''));
      if (method === 'response_url') body.__responseId = path.slice('/response/'.length);
      const call: RecordedCall = { method, token: token ?? (typeof body.token === 'string' ? body.token : null), body };
      const limited = rateLimits.get(method);
      if (limited && limited.times > 0) {
        limited.times--;
        record(call);
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limited.seconds) });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      const custom = responders.get(method)?.(call);
      record(call);
      if (custom) {
        res.writeHead(custom.status ?? 200, { 'content-type': 'application/json', ...custom.headers });
        res.end(JSON.stringify(custom.body));
        return;
      }
      if (method === 'response_url' || method === 'upload') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      let answer: unknown;
      try {
        answer = defaults[method]?.(call) ?? { ok: true };
      } catch (err) {
        answer = { ok: false, error: `stand-in: ${(err as Error).message}` };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    }),
  );
  // As Slack's own servers do, keep idle connections longer than the client does,
  // so a request never goes out on a socket the server is closing.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    apiUrl: `${base}/api/`,
    calls,
    responseUrl: (id = Math.random().toString(36).slice(2)) => `${base}/response/${id}`,
    respond: (method, responder) => void responders.set(method, responder),
    rateLimitNext: (method, seconds, times = 1) => void rateLimits.set(method, { seconds, times }),
    members,
    privateChannels,
    deleteMessage: (ts) => void deleted.add(ts),
    waitFor(method, match = () => true, timeoutMs = 5_000) {
      const done = calls.find((c) => c.method === method && match(c));
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const waiter = { method, match, resolve: (c: RecordedCall) => (clearTimeout(timer), resolve(c)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no ${method} call within ${timeoutMs} ms; calls so far: ${calls.map((c) => c.method).join(', ') || 'none'}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    reset() {
      calls.length = 0;
      responders.clear();
      rateLimits.clear();
      members.clear();
      privateChannels.clear();
      deleted.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { raw };
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      // The Web API client JSON-encodes nested arguments (blocks, view) in form posts.
      out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
    }
    return out;
  }
  return { raw: raw.slice(0, 1000), bytes: raw.length };
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
