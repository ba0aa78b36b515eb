// The stale-run nudge: a run has been in progress for too long; its owner (or
// the milestone's channel) can complete it, abort it or snooze the nudge for
// 24 h from the message itself. The buttons carry the run id; the listeners
// live in src/slack/listeners/actions/nudge-buttons.ts.
import { ACTIONS } from './action-ids.js';
import { escape, link, mention, utcMinute } from './format.js';
import { clip, LIMITS, mrkdwn, plainText, type Block } from './limits.js';

export interface NudgeInput {
  runId: string;
  runName: string;
  projectKey: string;
  milestoneName: string | null;
  environment: string | null;
  startedAt: Date;
  now: Date;
  /** Mentioned when the nudge goes to a channel rather than to them directly. */
  ownerUserId: string | null;
  toChannel: boolean;
  url: string | null;
}

export function staleFor(startedAt: Date, now: Date): string {
  const hours = Math.floor((now.getTime() - startedAt.getTime()) / 3_600_000);
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}

export function nudgeMessage(n: NudgeInput): { text: string; blocks: Block[] } {
  const where = [n.milestoneName ? `${n.projectKey}/${n.milestoneName}` : n.projectKey, n.environment].filter(Boolean).join(' on ');
  const name = n.url ? link(n.url, escape(clip(n.runName, 200))) : `*${escape(clip(n.runName, 200))}*`;
  const who = n.toChannel && n.ownerUserId ? `${mention(n.ownerUserId)}, ` : '';
  const age = staleFor(n.startedAt, n.now);
  const text = `${who}test run "${escape(n.runName)}" (${escape(where)}) has been in progress for ${age}. Complete it, abort it, or snooze this reminder.`;
  const button = (action_id: string, label: string, style?: 'primary' | 'danger') => ({
    type: 'button' as const,
    action_id,
    text: plainText(label, LIMITS.buttonText),
    value: n.runId,
    ...(style ? { style } : {}),
  });
  return {
    text: clip(text, LIMITS.sectionText),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:hourglass: ${who}test run ${name} (${escape(where)}) has been *in progress for ${age}* (since ${utcMinute(n.startedAt)}).\nIs it finished? *Complete* keeps its results in the verdict, *Abort* leaves them out; while it stays open the milestone is at best "GO with risks".`,
        ),
      },
      {
        type: 'actions',
        block_id: 'nudge_actions',
        elements: [
          button(ACTIONS.nudgeComplete, 'Complete', 'primary'),
          button(ACTIONS.nudgeAbort, 'Abort', 'danger'),
          button(ACTIONS.nudgeSnooze, 'Snooze 24h'),
        ],
      },
    ],
  };
}
