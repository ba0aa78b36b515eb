// `/milestone list`: milestones with their verdict badge, pass rate, due date and scope size.
import type { Verdict } from '../domain/types.js';
import { dueText, escape, passRateText, VERDICT_BADGE, VERDICT_LABEL } from './format.js';
import { blocksWithin, LIMITS, linesWithin, mrkdwn, type Block } from './limits.js';

export interface ListedMilestone {
  projectKey: string;
  name: string;
  status: string;
  verdict: Verdict;
  passed: number;
  executed: number;
  /** passed/executed as a fraction; the text is built from the counts, which are exact. */
  passRate: number | null;
  dueDate: string | null;
  timeZone: string;
  daysLeft: number | null;
  scopeSize: number | null;
}

export function milestoneList(items: ListedMilestone[], options: { title: string; total: number }): { text: string; blocks: Block[] } {
  if (items.length === 0) {
    return {
      text: `${options.title}: none`,
      blocks: [{ type: 'section', text: mrkdwn(`*${escape(options.title)}*\nNone yet. Start one with \`/milestone create\`.`) }],
    };
  }
  const lines = items.map(
    (m) =>
      `${VERDICT_BADGE[m.verdict]} *${escape(`${m.projectKey}/${m.name}`)}* ${VERDICT_LABEL[m.verdict]} · ` +
      `${passRateText(m.passed, m.executed)} · due ${dueText(m.dueDate, m.timeZone, m.daysLeft)}` +
      (m.scopeSize !== null ? ` · scope ${m.scopeSize}` : '') +
      (m.status !== 'ACTIVE' ? ` · _${m.status.toLowerCase()}_` : ''),
  );
  if (options.total > items.length) lines.push(`…and ${options.total - items.length} more`);
  // Chunks of lines per section keep each under 3,000 characters.
  const blocks: Block[] = [{ type: 'section', text: mrkdwn(`*${escape(options.title)}*`) }];
  for (let i = 0; i < lines.length; i += 10)
    blocks.push({ type: 'section', text: mrkdwn(linesWithin(lines.slice(i, i + 10), LIMITS.sectionText)) });
  return { text: `${options.title}: ${items.length} milestones`, blocks: blocksWithin(blocks, LIMITS.messageBlocks, [], 'milestones') };
}
