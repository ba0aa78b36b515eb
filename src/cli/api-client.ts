// A small client for Shipgate's REST API, used by `report`, `check` and `digest`.
// Every failure becomes an ApiError carrying the server's own message, so the
// commands print what the server said rather than a stack trace.
import { createReadStream } from 'node:fs';

export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    public readonly status: number,
    public readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** SHIPGATE_URL or SHIPGATE_API_KEY missing or unusable (see api-settings.ts): the CLI exits 2. */
export class CliSetupError extends Error {}

export interface ApiClient {
  readonly baseUrl: string;
  request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T>;
  /** As request(), with the HTTP status of the answer (e.g. 201 created or 200 found). */
  requestWithStatus<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Streams a file as the request body; onBytes reports progress as it is read. */
  uploadFile<T>(path: string, file: string, contentType: string, onBytes?: (sent: number) => void): Promise<T>;
}

/** How the client answers a busy server (503 with Retry-After): waits and sends the request again. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  attempts: number;
  /** The longest wait between attempts, whatever Retry-After says (default 60 s). */
  maxWaitMs: number;
  sleep(ms: number): Promise<void>;
}

const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  maxWaitMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function createApiClient(
  baseUrl: string,
  apiKey: string,
  fetchImpl: typeof fetch = fetch,
  retry: RetryPolicy = DEFAULT_RETRY,
): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };

  // A 503 means the server was too busy to take the request and changed nothing, so sending it again is safe
  // (a body is built anew for each attempt). Other failures are answered at once.
  async function send<T>(method: string, path: string, init: () => RequestInit & { duplex?: 'half' }): Promise<T> {
    return (await sendWithStatus<T>(method, path, init)).body;
  }

  async function sendWithStatus<T>(
    method: string,
    path: string,
    init: () => RequestInit & { duplex?: 'half' },
  ): Promise<{ status: number; body: T }> {
    for (let attempt = 1; ; attempt++) {
      const res = await attemptOnce(method, path, init());
      if (res.status !== 503 || attempt >= retry.attempts) return { status: res.status, body: await answer<T>(res) };
      await res.text();
      const seconds = Number(res.headers.get('retry-after'));
      await retry.sleep(Math.min(retry.maxWaitMs, Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 5_000));
    }
  }

  async function attemptOnce(method: string, path: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    try {
      return await fetchImpl(root + path, { method, ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(
        `cannot reach the Shipgate server at ${root} (${cause?.code ?? cause?.message ?? (err as Error).message}); check SHIPGATE_URL`,
        0,
      );
    }
  }

  async function answer<T>(res: Response): Promise<T> {
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's error page, say): fall through to the status line.
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      const message = error?.message ?? `${res.status} ${res.statusText}${text && !json ? `: ${text.slice(0, 200)}` : ''}`;
      throw new ApiError(`the server answered ${res.status}: ${message}`, res.status, error?.code ?? null);
    }
    return json as T;
  }

  return {
    baseUrl: root,
    request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) {
      return send<T>(method, path, () => jsonBody(body));
    },
    requestWithStatus<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) {
      return sendWithStatus<T>(method, path, () => jsonBody(body));
    },
    uploadFile<T>(path: string, file: string, contentType: string, onBytes?: (sent: number) => void) {
      return send<T>('POST', path, () => ({
        body: countBytes(createReadStream(file, { highWaterMark: 256 * 1024 }), onBytes),
        headers: { 'content-type': contentType },
        // Node's fetch needs half duplex to send a streamed body.
        duplex: 'half',
      }));
    },
  };
}

function jsonBody(body: unknown): RequestInit {
  return body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

async function* countBytes(source: AsyncIterable<Buffer>, onBytes?: (sent: number) => void): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const chunk of source) {
    sent += chunk.length;
    onBytes?.(sent);
    yield chunk;
  }
}

/** A path segment for a project key, milestone name or id (names may contain spaces and slashes). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
