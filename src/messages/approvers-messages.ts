// What people read about approvers: the ephemeral refusal when someone who is
// not one tries what only approvers may do (naming who may, as mentions built
// from stored ids only), and the reply to `/milestone approvers`.
import { escape, groupMention, mention } from './format.js';
import { clip, LIMITS, mrkdwn, type Block } from './limits.js';

type Reply = { text: string; blocks: Block[] };

const SHOWN = 20;

function who(approvers: readonly string[]): string {
  const named = approvers.slice(0, SHOWN).map((id) => (id.startsWith('S') ? groupMention(id) : mention(id)));
  const more = approvers.length - named.length;
  return `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function reply(text: string): Reply {
  return { text: clip(text, LIMITS.sectionText), blocks: [{ type: 'section', text: mrkdwn(clip(text, LIMITS.sectionText)) }] };
}

/** The refusal: what was refused, and who may do it (the project's approvers, people and groups). */
export function approverRefusal(r: { projectKey: string; doing: string; approvers: readonly string[] }): Reply {
  return reply(
    `:no_entry: Only the approvers of *${escape(r.projectKey)}* may ${escape(r.doing)}: ${who(r.approvers)}. Nothing was changed; ask one of them.`,
  );
}

/** The plain-text line a modal shows on its field when the refusal itself goes by direct message. */
export function approverRefusalField(r: { projectKey: string; doing: string }): string {
  return `Only the approvers of ${r.projectKey} may ${r.doing}; Shipgate sent you a message naming them. Nothing was changed.`;
}

export function approversReply(r: { projectKey: string; approvers: readonly string[]; change: 'shown' | 'set' | 'cleared' }): Reply {
  const key = `*${escape(r.projectKey)}*`;
  if (!r.approvers.length) {
    return reply(
      r.change === 'cleared'
        ? `:unlock: ${key} has no approvers now: anyone in the workspace may change its gate, waive, complete against the gate and sign off.`
        : `${key} has no approvers: anyone in the workspace may change its gate, waive, complete against the gate and sign off. Set them with \`/milestone approvers ${escape(r.projectKey)} @person @group\`.`,
    );
  }
  const head = r.change === 'set' ? `:lock: Approvers of ${key} set` : `Approvers of ${key}`;
  return reply(
    `${head}: ${who(r.approvers)}. Only they may change its gate or scope, waive, complete against the gate and sign off in Slack (\`/milestone approvers ${escape(r.projectKey)} clear\` lets anyone again).`,
  );
}
