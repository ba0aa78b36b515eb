// What the thread of a milestone's living message says (SPEC §11): one reply
// per burst of events (runs summarised in one line, not echoed one by one), the
// note in an old card's thread when a worse verdict starts a new card, and the
// one "ready to decide" line. Pure: plain data in, text out.
import { VERDICTS, type Verdict } from '../domain/types.js';
import { clip, LIMITS } from './limits.js';
import { escape, mention, VERDICT_BADGE, VERDICT_LABEL } from './format.js';
import { ownerMentionsLine } from './owners-messages.js';
import { reminderHeadline } from './reminder-message.js';

export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
  blocked: number;
}

/** One event, as the tick read it from the database. */
export type ThreadEvent =
  | ({ kind: 'run.completed'; name: string; environment: string | null } & RunCounts)
  | { kind: 'defect.reported'; title: string; severity: string }
  | { kind: 'defect.resolved'; title: string; status: 'RESOLVED' | 'WAIVED' }
  | { kind: 'signoff'; userId: string; decision: 'APPROVE' | 'REJECT'; comment: string | null }
  | { kind: 'reminder'; name: string; daysLeft: number }
  /**
   * A line worded elsewhere in src/messages, already Slack text: a gate, scope
   * or approvers change (the audit notice), a resolved defect failing again, a
   * Jira failure or a Jira change that turned the verdict.
   */
  | { kind: 'notice'; text: string };

function countsText(c: RunCounts): string {
  const parts = [`${c.passed} passed`, `${c.failed} failed`];
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.blocked) parts.push(`${c.blocked} blocked`);
  return parts.join(', ');
}

function runText(r: Extract<ThreadEvent, { kind: 'run.completed' }>): string {
  return `*${escape(r.name)}*${r.environment ? ` (${escape(r.environment)})` : ''}: ${countsText(r)}`;
}

function eventLine(e: Exclude<ThreadEvent, { kind: 'run.completed' }>): string {
  switch (e.kind) {
    case 'defect.reported':
      return `:beetle: Defect reported (${escape(e.severity.toLowerCase())}): ${escape(e.title)}`;
    case 'defect.resolved':
      return `:white_check_mark: Defect ${e.status === 'RESOLVED' ? 'resolved' : 'waived'}: ${escape(e.title)}`;
    case 'signoff':
      return e.decision === 'APPROVE'
        ? `:thumbsup: ${mention(e.userId)} signed off${e.comment ? `: ${escape(e.comment)}` : ''}`
        : `:no_entry: ${mention(e.userId)} rejected: ${escape(e.comment ?? '')}`;
    case 'reminder':
      return reminderHeadline(escape(e.name), e.daysLeft);
    case 'notice':
      return e.text;
  }
}

/**
 * One reply for every event of a burst, oldest first: all the runs in one line
 * ("3 runs completed: …"), then the rest, then the verdict when it moved, then
 * the owners of the tests newly failing (mentioned; never clipped away, since
 * the caller records them as mentioned once posted).
 */
export function threadReply(
  events: ThreadEvent[],
  verdict: { before: Verdict | null; after: Verdict },
  owners: readonly string[] = [],
): string {
  const runs = events.filter((e): e is Extract<ThreadEvent, { kind: 'run.completed' }> => e.kind === 'run.completed');
  const lines: string[] = [];
  if (runs.length === 1) lines.push(`:checkered_flag: Run completed: ${runText(runs[0]!)}`);
  else if (runs.length > 1) lines.push(`:checkered_flag: ${runs.length} runs completed: ${runs.map(runText).join('; ')}`);
  for (const e of events) if (e.kind !== 'run.completed') lines.push(eventLine(e));
  if (verdict.before && verdict.before !== verdict.after)
    lines.push(
      `Verdict: ${VERDICT_BADGE[verdict.before]} ${VERDICT_LABEL[verdict.before]} → ${VERDICT_BADGE[verdict.after]} ${VERDICT_LABEL[verdict.after]}`,
    );
  const ownersLine = ownerMentionsLine(owners);
  if (!ownersLine) return clip(lines.join('\n'), LIMITS.sectionText);
  return `${clip(lines.join('\n'), LIMITS.sectionText - ownersLine.length - 1)}\n${ownersLine}`;
}

/** Said in the old card's thread when a worse verdict starts a new card. */
export function verdictFellText(before: Verdict, after: Verdict): string {
  return `:arrow_down: The verdict fell from ${VERDICT_BADGE[before]} ${VERDICT_LABEL[before]} to ${VERDICT_BADGE[after]} ${VERDICT_LABEL[after]}: a new card follows in the channel.`;
}

/** Said once a day in the thread when every required environment has completed a run that day. */
export function readyToDecideText(environments: string[]): string {
  return `:checkered_flag: Every required environment (${environments.map(escape).join(', ')}) has completed a run today: the milestone is ready to decide.`;
}

/** Whether `after` is worse than `before` (GO, GO with risks, insufficient evidence, NO-GO, in that order). */
export function isWorse(before: Verdict, after: Verdict): boolean {
  return VERDICTS.indexOf(after) > VERDICTS.indexOf(before);
}
