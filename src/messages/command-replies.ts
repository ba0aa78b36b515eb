// The short confirmations `/milestone` subcommands and modal submissions answer
// with: subscriptions, projects, CI keys, lifecycle, linked runs. Every name in
// them comes from data (a project, a milestone, a run), so each is escaped here;
// the listeners in src/slack only choose which reply to send.
import { badge, escape, mention } from './format.js';
import type { ApiKeyScope } from '../domain/api-key-scopes.js';
import type { Verdict } from '../domain/types.js';
import { clip, LIMITS, mrkdwn, type Block } from './limits.js';

export interface Reply {
  text: string;
  blocks: Block[];
}

/** A reply whose mrkdwn is already built from escaped parts; the fallback is the same text. */
function reply(text: string): Reply {
  return { text: clip(text, LIMITS.sectionText), blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** What Shipgate says when the bot cannot post into a channel it was not invited to (a private one). */
export const INVITE_REQUEST = 'Shipgate is not a member of this private channel: someone in it can type `/invite @Shipgate`';

export interface SubscribedReply {
  created: boolean;
  /** "project PAY" or "PAY/2.4". */
  label: string;
  weekdaysOnly: boolean;
  digestTime: string;
  timeZone: string;
  /** Whether the bot can post the trend picture here (null: not known). */
  membership?: 'member' | 'joined' | 'needs-invite' | 'unknown' | null;
}

export function subscribedReply(s: SubscribedReply): Reply {
  const when = s.weekdaysOnly ? 'on weekdays' : 'every day';
  const other = s.weekdaysOnly ? '`daily`' : '`weekdays`';
  const membership =
    s.membership === 'needs-invite'
      ? `\n:warning: ${INVITE_REQUEST}, or the digest and its trend picture cannot arrive.`
      : s.membership === 'joined'
        ? '\nShipgate joined this channel so it can post the trend picture with the digest.'
        : '';
  return reply(
    `:calendar: ${s.created ? 'Subscribed' : 'Updated'}: this channel gets the go/no-go digest of *${escape(s.label)}* ${when} at *${escape(s.digestTime)} ${escape(s.timeZone)}*. ` +
      `Add ${other} to the command to change the days.${membership}`,
  );
}

export function unsubscribedReply(label: string): Reply {
  return reply(`:no_bell: Unsubscribed: no more digests of *${escape(label)}* in this channel.`);
}

export function subscriptionsReply(
  subs: { label: string; weekdaysOnly: boolean; digestTime: string; timeZone: string; milestoneStatus: string | null }[],
): Reply {
  if (subs.length === 0) {
    return reply(
      'This channel gets no go/no-go digest yet. `/milestone subscribe PAY 09:00 Europe/Berlin` adds one (a project, or a milestone such as `PAY/2.4`).',
    );
  }
  const lines = subs.map((s) => {
    const paused =
      s.milestoneStatus && s.milestoneStatus !== 'ACTIVE' ? ` (paused: the milestone is ${escape(s.milestoneStatus.toLowerCase())})` : '';
    return `• *${escape(s.label)}* ${s.weekdaysOnly ? 'on weekdays' : 'every day'} at ${escape(s.digestTime)} ${escape(s.timeZone)}${paused}`;
  });
  return reply(
    `:calendar: Go/no-go digests in this channel:\n${lines.join('\n')}\n\`/milestone unsubscribe ${escape('<PROJECT or milestone>')}\` stops one.`,
  );
}

export function projectCreatedReply(p: { key: string; name: string; channelDefault: boolean }): Reply {
  const key = escape(p.key);
  return reply(
    `:package: Project *${key}* (${escape(p.name)}) created${p.channelDefault ? " and set as this channel's default" : ''}. ` +
      `Next: \`/milestone create\`, or a CI key with \`/milestone apikey create ${key}\`.`,
  );
}

export function projectJiraReply(p: { key: string; jiraKey: string; requeued: number }): Reply {
  const retried = p.requeued ? ` ${p.requeued} waiting Jira issue${p.requeued === 1 ? '' : 's'} will be retried.` : '';
  return reply(`:link: Defects of *${escape(p.key)}* now create and link issues in Jira project *${escape(p.jiraKey)}*.${retried}`);
}

export function projectUseReply(key: string): Reply {
  return reply(
    `:pushpin: *${escape(key)}* is now this channel's default project: name its milestones without the \`${escape(key)}/\` prefix here.`,
  );
}

export function apiKeyRevokedReply(k: { prefix: string; projectKey: string; alreadyRevoked: boolean }): Reply {
  return reply(
    k.alreadyRevoked
      ? `Key \`${escape(k.prefix)}…\` of ${escape(k.projectKey)} was already revoked.`
      : `:lock: Key \`${escape(k.prefix)}…\` of ${escape(k.projectKey)} revoked: CI requests with it now get 401.`,
  );
}

const SCOPE_SAYS: Record<ApiKeyScope, string> = {
  read: 'read only',
  report: 'report: runs, results and defects; it cannot change a gate',
  admin: 'admin: it can change gates, lifecycle and defect status',
};

export function apiKeyCreatedReply(k: { projectKey: string; id: string; key: string; scope: ApiKeyScope }): Reply {
  return reply(
    `:key: New CI key for *${escape(k.projectKey)}* (id \`${escape(k.id)}\`, ${SCOPE_SAYS[k.scope]}). It is shown *only this once*: store it as a CI secret now.\n` +
      `\`\`\`${escape(k.key)}\`\`\`\nUse it as \`SHIPGATE_API_KEY\` or \`Authorization: Bearer …\`.`,
  );
}

const KEYS_LISTED = 40;

export function apiKeysReply(
  projectKey: string,
  keys: { id: string; prefix: string; scope: string; createdBy: string | null; createdAt: Date; lastUsedAt: Date | null }[],
): Reply {
  const key = escape(projectKey);
  if (keys.length === 0) return reply(`*${key}* has no active CI keys. Create one with \`/milestone apikey create ${key}\`.`);
  const lines = keys
    .slice(0, KEYS_LISTED)
    .map(
      (k) =>
        `• \`${escape(k.id)}\` \`${escape(k.prefix)}…\` ${escape(k.scope)}${k.createdBy ? ` by ${mention(k.createdBy)}` : ''} · created ${k.createdAt.toISOString().slice(0, 10)} · ${k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString().slice(0, 10)}` : 'never used'}`,
    );
  if (keys.length > KEYS_LISTED) lines.push(`…and ${keys.length - KEYS_LISTED} more`);
  return reply(`*CI keys of ${key}* (revoke with \`/milestone apikey revoke ${escape('<id>')}\`)\n${lines.join('\n')}`);
}

export type LifecycleChange = 'complete' | 'reopen' | 'archive';

const DONE: Record<LifecycleChange, string> = {
  complete: ':checkered_flag: completed',
  reopen: ':arrows_counterclockwise: reopened: it is active again',
  archive: ':file_cabinet: archived: it leaves every active view, digest and reminder',
};

/** "PAY/2.4 completed (GO)", "… reopened", "… archived"; the verdict when completing. */
export function lifecycleReply(o: { projectKey: string; name: string; change: LifecycleChange; verdict?: Verdict }): Reply {
  const shown = escape(`${o.projectKey}/${o.name}`);
  if (o.change === 'complete' && o.verdict) return reply(`:checkered_flag: *${shown}* completed (${badge(o.verdict)}).`);
  return reply(`*${shown}* ${DONE[o.change]}.`);
}

export function runLinkedReply(o: { runName: string; projectKey: string; milestoneName: string }): Reply {
  return reply(`:test_tube: Run *${escape(o.runName)}* is now part of *${escape(`${o.projectKey}/${o.milestoneName}`)}*.`);
}
