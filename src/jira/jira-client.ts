// The one door to Jira: jira.js's Version3Client behind a small interface, so
// the rest of Shipgate never sees jira.js or axios. Every failure comes out as
// a JiraCallError that says whether to wait (429), retry (5xx, timeouts,
// network) or stop and tell someone (other 4xx).
import type { Version3Client } from 'jira.js';
import type { AdfDoc } from './adf.js';

export interface JiraSettings {
  host: string;
  email: string;
  apiToken: string;
}

export interface JiraIssueFields {
  projectKey: string;
  issueType: string;
  summary: string;
  description: AdfDoc;
  priority?: string;
  labels: string[];
}

/** What Shipgate keeps of an issue: enough to decide a defect's status. */
export interface JiraIssueSnapshot {
  key: string;
  status: string | null;
  /** Jira's status category key: `new`, `indeterminate` or `done`. */
  statusCategory: string | null;
  updated: Date | null;
}

export interface JiraGateway {
  readonly host: string;
  issueUrl(key: string): string;
  createIssue(fields: JiraIssueFields): Promise<{ key: string }>;
  getIssue(key: string): Promise<JiraIssueSnapshot>;
  /** Every issue the JQL finds, through the enhanced search (POST /rest/api/3/search/jql), page by page. */
  searchIssues(jql: string): Promise<JiraIssueSnapshot[]>;
}

export type JiraFailureKind = 'rate-limited' | 'transient' | 'permanent';

export class JiraCallError extends Error {
  constructor(
    message: string,
    public readonly kind: JiraFailureKind,
    public readonly status?: number,
    public readonly retryAfterMs?: number,
    /** Jira's own words (errorMessages and field errors), for the person who must fix it. */
    public readonly jiraMessages: string[] = [],
  ) {
    super(message);
    this.name = 'JiraCallError';
  }
}

export interface JiraClientOptions {
  /** Per request; a request still unanswered then counts as a timeout (maybe done, maybe not). */
  timeoutMs?: number;
}

const ISSUE_FIELDS = ['status', 'updated'];
const PAGE_SIZE = 100;

export function createJiraGateway(settings: JiraSettings, options: JiraClientOptions = {}): JiraGateway {
  const host = settings.host.replace(/\/+$/, '');
  // jira.js (with axios) weighs tens of MB: loaded on the first call to Jira,
  // so a server that never calls it does not carry it.
  let built: Promise<Version3Client> | undefined;
  const jira = () =>
    (built ??= import('jira.js').then(
      (m) =>
        new m.Version3Client({
          host,
          authentication: { basic: { email: settings.email, apiToken: settings.apiToken } },
          baseRequestConfig: { timeout: options.timeoutMs ?? 15_000 },
        }),
    ));
  return {
    host,
    issueUrl: (key) => `${host}/browse/${encodeURIComponent(key)}`,
    async createIssue(f) {
      const client = await jira();
      const created = await call(() =>
        client.issues.createIssue({
          fields: {
            project: { key: f.projectKey },
            issuetype: { name: f.issueType },
            summary: f.summary,
            description: f.description,
            ...(f.priority ? { priority: { name: f.priority } } : {}),
            labels: f.labels,
          },
        }),
      );
      return { key: created.key };
    },
    async getIssue(key) {
      const client = await jira();
      const issue = await call(() => client.issues.getIssue({ issueIdOrKey: key, fields: ISSUE_FIELDS }));
      return snapshot(issue);
    },
    async searchIssues(jql) {
      const client = await jira();
      const out: JiraIssueSnapshot[] = [];
      let nextPageToken: string | undefined;
      // Bounded, so a misbehaving server cannot keep us paging forever.
      for (let page = 0; page < 1000; page++) {
        const res = await call(() =>
          client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql, fields: ISSUE_FIELDS, maxResults: PAGE_SIZE, nextPageToken }),
        );
        for (const issue of res.issues ?? []) out.push(snapshot(issue));
        nextPageToken = res.nextPageToken ?? undefined;
        if (!nextPageToken) break;
      }
      return out;
    },
  };
}

interface RawIssue {
  key?: string;
  fields?: { status?: { name?: string; statusCategory?: { key?: string } }; updated?: string };
}

export function snapshot(issue: unknown): JiraIssueSnapshot {
  const i = (issue ?? {}) as RawIssue;
  return {
    key: String(i.key ?? ''),
    status: i.fields?.status?.name ?? null,
    statusCategory: i.fields?.status?.statusCategory?.key ?? null,
    updated: parseJiraDate(i.fields?.updated),
  };
}

/** Jira writes `2026-11-23T10:00:00.000+0000`; Date accepts that form, and ISO. */
export function parseJiraDate(value: unknown): Date | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toJiraCallError(err);
  }
}

interface ErrorShape {
  message?: string;
  code?: string;
  status?: number;
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
  cause?: { response?: { status?: number; headers?: Record<string, unknown>; data?: unknown } };
}

/** Sorts whatever jira.js (or axios under it) threw into wait / retry / stop. */
export function toJiraCallError(err: unknown): JiraCallError {
  if (err instanceof JiraCallError) return err;
  const e = (err ?? {}) as ErrorShape;
  const response = e.cause?.response ?? (typeof e.response?.status === 'number' ? e.response : undefined);
  const status = response?.status ?? (typeof e.status === 'number' && e.status !== 500 ? e.status : undefined);
  if (status === undefined) {
    // No response at all: a timeout or a network failure. The request may have reached Jira.
    const code = e.code ?? 'NETWORK';
    const what = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'Jira did not answer in time' : `Jira could not be reached (${code})`;
    return new JiraCallError(`${what}: ${e.message ?? 'no response'}`, 'transient');
  }
  const messages = jiraMessages(response?.data ?? e.response?.data);
  const detail = messages.length ? `: ${messages.join('; ')}` : '';
  if (status === 429) {
    return new JiraCallError(
      `Jira is rate-limiting (429)${detail}`,
      'rate-limited',
      status,
      retryAfterMs(response?.headers?.['retry-after']),
    );
  }
  if (status >= 500 || status === 408)
    return new JiraCallError(`Jira answered ${status}${detail}`, 'transient', status, undefined, messages);
  return new JiraCallError(`Jira refused the request (${status})${detail}`, 'permanent', status, undefined, messages);
}

function jiraMessages(data: unknown): string[] {
  if (!data || typeof data !== 'object') return typeof data === 'string' && data.trim() ? [data.trim().slice(0, 300)] : [];
  const d = data as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const out: string[] = [];
  if (Array.isArray(d.errorMessages)) out.push(...d.errorMessages.map(String));
  if (d.errors && typeof d.errors === 'object') {
    for (const [field, text] of Object.entries(d.errors as Record<string, unknown>)) out.push(`${field}: ${String(text)}`);
  }
  if (!out.length && typeof d.message === 'string') out.push(d.message);
  return out;
}

/** `Retry-After` as seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
  const value: unknown = Array.isArray(header) ? (header as unknown[])[0] : header;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
