// What a stale-run nudge turns into once its owner pressed a button: the
// message is replaced in place by what was done, without buttons.
import { escape, mention, utcMinute } from './format.js';
import { clip, LIMITS, mrkdwn, type Block } from './limits.js';

export type NudgeOutcome = 'completed' | 'aborted' | 'snoozed';

export function nudgeOutcome(o: { outcome: NudgeOutcome; runName: string; userId: string; until?: Date }): {
  text: string;
  blocks: Block[];
} {
  const what = {
    completed: `:white_check_mark: Run *${escape(o.runName)}* marked complete by ${mention(o.userId)}.`,
    aborted: `:no_entry_sign: Run *${escape(o.runName)}* aborted by ${mention(o.userId)}; its results no longer count.`,
    snoozed: `:zzz: Reminder about run *${escape(o.runName)}* snoozed by ${mention(o.userId)} until ${o.until ? utcMinute(o.until) : 'later'}.`,
  }[o.outcome];
  return { text: clip(what, LIMITS.sectionText), blocks: [{ type: 'section', text: mrkdwn(what) }] };
}
