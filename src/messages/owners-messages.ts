// What people read about owners: the reply to `/milestone owners` (the rules
// in order, the owners as mentions built from stored ids), and the line a
// digest or thread reply adds to mention the owners of newly failing tests.
// Patterns come from people: escaped, and shown as code so * and _ stay literal.
import { escape, groupMention, mention } from './format.js';
import { clip, LIMITS, mrkdwn, type Block } from './limits.js';
import type { OwnerRule } from '../domain/owners.js';

type Reply = { text: string; blocks: Block[] };

/** Rules listed in a reply; `shipgate project owners KEY` and the API list them all. */
const RULES_SHOWN = 30;
const OWNERS_SHOWN = 10;

/** A Slack user or group id as its mention; only checked ids become mentions (format.ts). */
export function ownerMention(id: string): string {
  return id.startsWith('S') ? groupMention(id) : mention(id);
}

function ownerList(ids: readonly string[], shown = OWNERS_SHOWN): string {
  if (!ids.length) return '_no owners_';
  const named = ids.slice(0, shown).map(ownerMention);
  const more = ids.length - named.length;
  return `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** A pattern as inline code: backticks cannot be escaped inside one, so they become ˋ (they never end the code early). */
export function patternCode(pattern: string): string {
  return `\`${escape(clip(pattern, 200)).replace(/`/g, 'ˋ')}\``;
}

export function ownersReply(r: {
  projectKey: string;
  rules: readonly OwnerRule[];
  change: 'shown' | 'set' | 'removed' | 'cleared';
  /** The pattern set or removed. */
  pattern?: string | null;
}): Reply {
  const key = `*${escape(r.projectKey)}*`;
  const head = {
    shown: `Owners of ${key}`,
    set: `:busts_in_silhouette: Owners of ${patternCode(r.pattern ?? '')} in ${key} set`,
    removed: `:wastebasket: Owner rule ${patternCode(r.pattern ?? '')} of ${key} removed`,
    cleared: `:wastebasket: Every owner rule of ${key} removed`,
  }[r.change];
  if (!r.rules.length) {
    const how = `Add one with \`/milestone owners ${escape(r.projectKey)} checkout::* @person @group\`.`;
    return reply(`${head}. ${key} has no owner rules: nobody is mentioned when tests fail. ${how}`);
  }
  const lines = r.rules.slice(0, RULES_SHOWN).map((rule, i) => `${i + 1}. ${patternCode(rule.pattern)} → ${ownerList(rule.owners)}`);
  const more = r.rules.length - lines.length;
  if (more > 0) lines.push(`…and ${more} more rules: \`shipgate project owners ${escape(r.projectKey)}\` lists them all.`);
  const text = `${head}. The last rule that matches a test's key or suite names its owners (as in CODEOWNERS):\n${lines.join('\n')}`;
  return reply(text);
}

function reply(text: string): Reply {
  const cut = clip(text, LIMITS.sectionText);
  return { text: cut, blocks: [{ type: 'section', text: mrkdwn(cut) }] };
}

/** "Owners of the newly failing tests: <@U…>, <!subteam^S…>" — mrkdwn; null when there is nobody to mention. */
export function ownerMentionsLine(owners: readonly string[]): string | null {
  if (!owners.length) return null;
  return `:bust_in_silhouette: Owners of the newly failing tests: ${ownerList(owners, 30)}`;
}
