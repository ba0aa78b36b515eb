// What a stale-run nudge turns into once its owner pressed a button: the
// message is replaced in place by what was done, without buttons.
import { escape, mrkdwn, type Block } from './limits.js';

export type NudgeOutcome = 'completed' | 'aborted' | 'snoozed';

export function nudgeOutcome(o: { outcome: NudgeOutcome; runName: string; userId: string; until?: Date }): {
  text: string;
  blocks: Block[];
} {
  const what = {
    completed: `:white_check_mark: Run *${escape(o.runName)}* marked complete by <@${o.userId}>.`,
    aborted: `:no_entry_sign: Run *${escape(o.runName)}* aborted by <@${o.userId}>; its results no longer count.`,
    snoozed: `:zzz: Reminder about run *${escape(o.runName)}* snoozed by <@${o.userId}> until ${o.until?.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  }[o.outcome];
  return { text: what, blocks: [{ type: 'section', text: mrkdwn(what) }] };
}
