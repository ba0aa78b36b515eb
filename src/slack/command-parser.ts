// Parses the text of `/milestone SUBCOMMAND [ARGS]` into a typed
// command, or says what was wrong and shows the right form. Pure: resolving
// names against the database happens later (services/resolve-milestone.ts).
import { DEFAULT_API_KEY_SCOPE, isApiKeyScope, type ApiKeyScope } from '../domain/api-key-scopes.js';
import { JIRA_PROJECT_KEY_PATTERN } from '../domain/jira-keys.js';
import { PROJECT_KEY_PATTERN } from '../domain/project-key.js';
import { isValidTimeZone } from '../domain/time.js';
import type { MilestoneRef } from '../services/resolve-milestone.js';
import { USAGE } from '../messages/command-usage.js';
import { cutText, decodeSlackEntities, unescapeSlackMarkup } from '../messages/text-hygiene.js';

export const MILESTONE_SUBCOMMANDS = ['status', 'link', 'scope', 'defect', 'signoff', 'complete', 'reopen', 'archive'] as const;
export type MilestoneSubcommand = (typeof MILESTONE_SUBCOMMANDS)[number];

export type Command =
  | { kind: 'help' }
  | { kind: 'create'; name: string | null }
  | { kind: 'list'; project: string | null; all: boolean }
  // One member per subcommand, so each can be picked out by its kind (CommandOf).
  | { [K in MilestoneSubcommand]: { kind: K; ref: MilestoneRef } }[MilestoneSubcommand]
  | { kind: 'subscribe'; target: string; time: string | null; timeZone: string | null; days: 'daily' | 'weekdays' | null }
  | { kind: 'subscriptions' }
  | { kind: 'unsubscribe'; target: string }
  | { kind: 'project-create'; key: string; name: string }
  | { kind: 'project-jira'; key: string; jiraKey: string }
  | { kind: 'project-use'; key: string }
  | { kind: 'apikey-create'; key: string; scope: ApiKeyScope }
  | { kind: 'apikey-list'; key: string }
  | { kind: 'apikey-revoke'; id: string }
  // Who alone may approve in a project: shown, set to these Slack user and group ids, or cleared.
  | { kind: 'approvers'; key: string; action: 'show' | 'set' | 'clear'; ids: string[] }
  // Who owns which tests: the rules shown, one pattern's owners set, one pattern's rule removed, or every rule cleared.
  | { kind: 'owners'; key: string; action: 'show' | 'set' | 'remove' | 'clear'; pattern: string | null; ids: string[] }
  // A project's quarantined tests (SPEC §10): listed, or one case quarantined until a date, or released.
  | { kind: 'quarantine'; key: string; quarantine: { caseKey: string; until: string; reason: string } | null }
  | { kind: 'unquarantine'; key: string; caseKey: string }
  // This channel's living message: threads on (the default) or off, or shown.
  | { kind: 'threads'; setting: 'on' | 'off' | 'show' };

/** The command of one kind (or of several), e.g. CommandOf<'status'>. */
export type CommandOf<K extends Command['kind']> = Extract<Command, { kind: K }>;

export type ParseResult = { ok: true; command: Command } | { ok: false; problem: string; usage: string };

const TIME_LIKE = /^\d{1,2}:\d{1,2}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Said when text holds U+0000, which PostgreSQL cannot store and no name needs. */
export const NUL_REFUSED = 'must not contain the NUL character (U+0000); remove it and try again';

export function parseCommand(text: string): ParseResult {
  if (text.includes('\u0000')) return fail(`The command ${NUL_REFUSED}.`, USAGE.help);
  // Mentions are read from Slack's markup before anything else turns it back into typed text.
  const [first, afterFirst] = splitFirst(text.replace(/[\s\u00a0]+/g, ' ').trim());
  if (first.toLowerCase() === 'approvers') return parseApprovers(afterFirst);
  if (first.toLowerCase() === 'owners') return parseOwners(afterFirst);
  const trimmed = normalize(text);
  if (!trimmed) return ok({ kind: 'help' });
  const [head, rest] = splitFirst(trimmed);
  const sub = head.toLowerCase();
  switch (sub) {
    case 'help':
      return ok({ kind: 'help' });
    case 'create':
      return ok({ kind: 'create', name: rest || null });
    case 'list':
      return parseList(rest);
    case 'status':
    case 'link':
    case 'scope':
    case 'defect':
    case 'signoff':
    case 'complete':
    case 'reopen':
    case 'archive':
      if (!rest) return fail(`\`${sub}\` needs a milestone, such as PAY/2.4 or just 2.4 when the name is unique.`, USAGE[sub]);
      return ok({ kind: sub, ref: parseMilestoneRef(rest) });
    case 'subscribe':
      return parseSubscribe(rest);
    case 'threads': {
      const setting = rest.toLowerCase();
      if (setting === '') return ok({ kind: 'threads', setting: 'show' });
      if (setting === 'on' || setting === 'off') return ok({ kind: 'threads', setting });
      return fail('`threads` takes `on` or `off`.', USAGE.threads);
    }
    case 'unsubscribe':
      if (!rest) return fail('`unsubscribe` needs the project key or milestone this channel is subscribed to.', USAGE.unsubscribe);
      return ok({ kind: 'unsubscribe', target: rest });
    case 'project':
      return parseProject(rest);
    case 'apikey':
      return parseApiKey(rest);
    case 'quarantine':
      return parseQuarantine(rest);
    case 'unquarantine': {
      const [key, caseKey] = splitFirst(rest);
      if (!key || !caseKey) return fail('`unquarantine` needs a project key and the test case key.', USAGE.unquarantine);
      return ok({ kind: 'unquarantine', key: key.toUpperCase(), caseKey });
    }
    default:
      return fail(`I don't know the subcommand \`${clip(head, 40)}\`.`, '/milestone help (lists every subcommand)');
  }
}

export function parseMilestoneRef(text: string): MilestoneRef {
  // Not normalize(): the command's text is already read (a name may hold a "<" typed as &lt;), and the CLI has no markup.
  const raw = collapseSpaces(decodeSlackEntities(text));
  const slash = raw.indexOf('/');
  if (slash > 0) {
    const project = raw.slice(0, slash).trim();
    const name = raw.slice(slash + 1).trim();
    if (PROJECT_KEY_PATTERN.test(project.toUpperCase()) && name) return { project: project.toUpperCase(), name, raw };
  }
  return { project: null, name: raw, raw };
}

function parseList(rest: string): ParseResult {
  const words = rest ? rest.split(' ') : [];
  let all = false;
  let project: string | null = null;
  for (const w of words) {
    if (w.toLowerCase() === 'all') all = true;
    else if (!project && PROJECT_KEY_PATTERN.test(w.toUpperCase())) project = w.toUpperCase();
    else return fail(`\`${clip(w, 40)}\` is not a project key or \`all\`.`, USAGE.list);
  }
  return ok({ kind: 'list', project, all });
}

function parseSubscribe(rest: string): ParseResult {
  // Alone, it shows what this channel is subscribed to.
  if (!rest) return ok({ kind: 'subscriptions' });
  const words = rest.split(' ');
  let time: string | null = null;
  let timeZone: string | null = null;
  let days: 'daily' | 'weekdays' | null = null;
  // Read from the end: [daily|weekdays], [time zone], then [HH:MM]; what is left names the target.
  const last = words.at(-1)!.toLowerCase();
  if (words.length > 1 && (last === 'daily' || last === 'weekdays')) {
    days = last;
    words.pop();
  }
  const timeAt = findLastIndex(words, (w) => TIME_LIKE.test(w));
  if (timeAt >= 0) {
    if (!HHMM.test(words[timeAt]!.padStart(5, '0'))) {
      return fail(`\`${words[timeAt]}\` is not a time of day: use HH:MM on a 24-hour clock, e.g. 09:00 or 17:30.`, USAGE.subscribe);
    }
    time = words[timeAt]!.padStart(5, '0');
    const after = words.slice(timeAt + 1).join(' ');
    if (after) {
      if (!isValidTimeZone(after))
        return fail(
          `\`${clip(after, 60)}\` is not a time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC.`,
          USAGE.subscribe,
        );
      timeZone = after;
    }
    words.splice(timeAt);
  } else if (words.length > 1 && looksLikeTimeZone(words.at(-1)!)) {
    const candidate = words.at(-1)!;
    if (!isValidTimeZone(candidate))
      return fail(`\`${clip(candidate, 60)}\` is not a time zone: use an IANA name such as Europe/Berlin or UTC.`, USAGE.subscribe);
    timeZone = candidate;
    words.pop();
  }
  const target = words.join(' ').trim();
  if (!target) return fail('`subscribe` needs a project key or a milestone before the time.', USAGE.subscribe);
  return ok({ kind: 'subscribe', target, time, timeZone, days });
}

// A zone without a time must look like one (Area/City or UTC), or a milestone
// named "PAY/2.4" would be mistaken for a zone.
function looksLikeTimeZone(word: string): boolean {
  return /^(UTC|GMT|Etc\/.+|[A-Z][a-z]+\/[A-Za-z_\-/]+)$/.test(word);
}

function parseProject(rest: string): ParseResult {
  const [action, args] = splitFirst(rest);
  switch (action.toLowerCase()) {
    case 'create': {
      const [key, name] = splitFirst(args);
      if (!key || !name) return fail('`project create` needs a key and a name.', USAGE['project create']);
      return ok({ kind: 'project-create', key: key.toUpperCase(), name });
    }
    case 'jira': {
      const words = args ? args.split(' ') : [];
      if (words.length !== 2) return fail('`project jira` needs the Shipgate project key and the Jira project key.', USAGE['project jira']);
      const jiraKey = words[1]!.toUpperCase();
      if (!JIRA_PROJECT_KEY_PATTERN.test(jiraKey))
        return fail(`\`${clip(words[1]!, 40)}\` is not a Jira project key (letters and digits, e.g. PAY).`, USAGE['project jira']);
      return ok({ kind: 'project-jira', key: words[0]!.toUpperCase(), jiraKey });
    }
    case 'use': {
      const words = args ? args.split(' ') : [];
      if (words.length !== 1) return fail('`project use` needs exactly one project key.', USAGE['project use']);
      return ok({ kind: 'project-use', key: words[0]!.toUpperCase() });
    }
    default:
      return fail(
        action ? `I don't know \`project ${clip(action, 40)}\`.` : '`project` needs an action: create, jira or use.',
        [USAGE['project create'], USAGE['project jira'], USAGE['project use']].join('\n'),
      );
  }
}

// A case key may hold spaces (JUnit names do): the first word that is a date ends it, and the reason follows.
const UNTIL_WORD = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i;

function parseQuarantine(rest: string): ParseResult {
  const usage = USAGE.quarantine;
  const [key, args] = splitFirst(rest);
  if (!key) return fail('`quarantine` needs a project key; add a test case key, an end date and a reason to quarantine one.', usage);
  if (!args) return ok({ kind: 'quarantine', key: key.toUpperCase(), quarantine: null });
  const words = args.split(' ');
  const at = words.findIndex((w, i) => i > 0 && UNTIL_WORD.test(w));
  if (at === -1)
    return fail('`quarantine` needs the test case key, then when it ends as a date (YYYY-MM-DD, the end of that day), then why.', usage);
  const reason = words.slice(at + 1).join(' ');
  if (!reason) return fail('A quarantine needs a reason after the date: why may this test’s failures be left out for now?', usage);
  return ok({
    kind: 'quarantine',
    key: key.toUpperCase(),
    quarantine: { caseKey: words.slice(0, at).join(' '), until: words[at]!, reason },
  });
}

function parseApiKey(rest: string): ParseResult {
  const [action, args] = splitFirst(rest);
  const words = args ? args.split(' ') : [];
  const act = action.toLowerCase();
  if (act === 'create') {
    const usage = USAGE['apikey create'];
    if (words.length < 1 || words.length > 2) return fail('`apikey create` needs a project key and, if you like, a scope.', usage);
    const scope = (words[1] ?? DEFAULT_API_KEY_SCOPE).toLowerCase();
    if (!isApiKeyScope(scope)) {
      return fail(
        `\`${clip(words[1]!, 40)}\` is not a key scope: use report (CI: runs, results, defects; the default), read (read only) or admin (gates, lifecycle, defect status and waivers).`,
        usage,
      );
    }
    return ok({ kind: 'apikey-create', key: words[0]!.toUpperCase(), scope });
  }
  if (act === 'list') {
    if (words.length !== 1) return fail('`apikey list` needs exactly one project key.', USAGE['apikey list']);
    return ok({ kind: 'apikey-list', key: words[0]!.toUpperCase() });
  }
  if (act === 'revoke') {
    if (words.length !== 1) return fail('`apikey revoke` needs the id of the key (see `apikey list`).', USAGE['apikey revoke']);
    return ok({ kind: 'apikey-revoke', id: words[0]! });
  }
  return fail(
    action ? `I don't know \`apikey ${clip(action, 40)}\`.` : '`apikey` needs an action: create, list or revoke.',
    [USAGE['apikey create'], USAGE['apikey list'], USAGE['apikey revoke']].join('\n'),
  );
}

/**
 * Slack's mention and link markup back to the typed text, then the typed &, < and >
 * (which Slack sends encoded) decoded once, then whitespace collapsed (Slack clients add
 * non-breaking spaces) and trimmed.
 */
function normalize(text: string): string {
  return collapseSpaces(decodeSlackEntities(unescapeSlackMarkup(text)));
}

function collapseSpaces(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

// A person or group as Slack's markup sends them (<@U…|name>, <!subteam^S…|@handle>), or a bare id.
const APPROVER_TOKEN = /<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>|<!subteam\^(S[A-Z0-9]+)(?:\|[^<>]*)?>|(?<=^|\s)([UWS][A-Z0-9]{2,30})(?=\s|$)/g;

function parseApprovers(rest: string): ParseResult {
  const usage = USAGE.approvers;
  const [key, args] = splitFirst(rest);
  if (!key) return fail('`approvers` needs a project key, e.g. `/milestone approvers PAY`.', usage);
  const projectKey = key.toUpperCase();
  if (!PROJECT_KEY_PATTERN.test(projectKey)) return fail(`\`${clip(decodeSlackEntities(key), 40)}\` is not a project key.`, usage);
  if (!args) return ok({ kind: 'approvers', key: projectKey, action: 'show', ids: [] });
  if (args.toLowerCase() === 'clear') return ok({ kind: 'approvers', key: projectKey, action: 'clear', ids: [] });
  const ids: string[] = [];
  const left = args.replace(APPROVER_TOKEN, (_m, user?: string, group?: string, bare?: string) => {
    ids.push((user ?? group ?? bare)!);
    return ' ';
  });
  const stray = left.trim();
  if (stray) {
    const shown = clip(decodeSlackEntities(unescapeSlackMarkup(stray.split(' ')[0]!)), 40);
    return fail(
      `\`${shown}\` is not a person or user group Shipgate can read: pick each from Slack's autocomplete so it becomes a mention, or give their id (U… for a person, S… for a group).`,
      usage,
    );
  }
  return ok({ kind: 'approvers', key: projectKey, action: 'set', ids });
}

// One owner as Slack's markup sends it, or a bare id (a whole word).
const OWNER_WORD = /^(?:<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>|<!subteam\^(S[A-Z0-9]+)(?:\|[^<>]*)?>|([UWS][A-Z0-9]{2,30}))$/;
const MARKUP_MENTION = /<@|<!subteam\^/;

/**
 * `owners KEY [clear | remove <pattern> | <pattern> @person @group …]`. The owners
 * are the mentions (or bare ids) that end the text; the pattern is everything
 * before them, spaces included (suites such as "billing › refunds" have them).
 */
function parseOwners(rest: string): ParseResult {
  const usage = USAGE.owners;
  const [key, args] = splitFirst(rest);
  if (!key) return fail('`owners` needs a project key, e.g. `/milestone owners PAY`.', usage);
  const projectKey = key.toUpperCase();
  if (!PROJECT_KEY_PATTERN.test(projectKey)) return fail(`\`${clip(decodeSlackEntities(key), 40)}\` is not a project key.`, usage);
  const none = { kind: 'owners' as const, key: projectKey, pattern: null, ids: [] as string[] };
  if (!args) return ok({ ...none, action: 'show' });
  if (args.toLowerCase() === 'clear') return ok({ ...none, action: 'clear' });
  const [verb, afterVerb] = splitFirst(args);
  if (verb.toLowerCase() === 'remove') {
    if (!afterVerb) return fail('`owners KEY remove` needs the pattern of the rule to remove, as `/milestone owners KEY` lists it.', usage);
    return ok({ ...none, action: 'remove', pattern: ownerPattern(afterVerb) });
  }
  const words = args.split(' ');
  // The owners: the run of mentions at the end; at least the first word is the pattern.
  let start = words.length;
  while (start > 1 && OWNER_WORD.test(words[start - 1]!)) start--;
  const patternText = words.slice(0, start).join(' ');
  const ids = words.slice(start).map((w) => {
    const m = OWNER_WORD.exec(w)!;
    return (m[1] ?? m[2] ?? m[3])!;
  });
  if (MARKUP_MENTION.test(patternText)) {
    // A mention followed by something that is not one: say which word Shipgate could not read.
    const stray = words.slice(words.findIndex((w) => MARKUP_MENTION.test(w))).find((w) => !OWNER_WORD.test(w)) ?? patternText;
    return fail(
      `\`${clip(decodeSlackEntities(unescapeSlackMarkup(stray)), 40)}\` is not a person or user group Shipgate can read: put the pattern first, then only the owners, each picked from Slack's autocomplete so it becomes a mention (or their id: U… for a person, S… for a group).`,
      usage,
    );
  }
  if (ids.length === 0) {
    return fail(
      `Name the owners of \`${clip(ownerPattern(patternText), 60)}\` after it, as mentions (@person, @group from Slack's autocomplete); to remove its rule: \`/milestone owners ${projectKey} remove <pattern>\`.`,
      usage,
    );
  }
  return ok({ kind: 'owners', key: projectKey, action: 'set', pattern: ownerPattern(patternText), ids });
}

/** A pattern as typed: Slack's &amp;, &lt; and &gt; decoded (spaces are already collapsed). */
function ownerPattern(text: string): string {
  return decodeSlackEntities(text).trim();
}

function splitFirst(text: string): [string, string] {
  const i = text.indexOf(' ');
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1).trim()];
}

function findLastIndex<T>(items: T[], pred: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i]!)) return i;
  return -1;
}

function clip(text: string, max: number): string {
  return cutText(text, max);
}

function ok(command: Command): ParseResult {
  return { ok: true, command };
}

function fail(problem: string, usage: string): ParseResult {
  return { ok: false, problem, usage };
}
