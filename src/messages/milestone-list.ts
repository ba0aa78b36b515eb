// `/milestone list`: milestones with their verdict badge, pass rate, due date and scope size.
import type { WorkspaceMilestone } from '../services/list-workspace-milestones.js';
import { dueText, escape, passRateText, VERDICT_BADGE, VERDICT_LABEL } from './format.js';
import { blocksWithin, clip, LIMITS, linesWithin, mrkdwn, type Block } from './limits.js';

/** A milestone as listed: what the workspace list use case returns (the id is not shown). */
export type ListedMilestone = Omit<WorkspaceMilestone, 'id'>;

export function milestoneList(items: ListedMilestone[], options: { title: string; total: number }): { text: string; blocks: Block[] } {
  if (items.length === 0) {
    return {
      text: clip(`${escape(options.title)}: none`, LIMITS.sectionText),
      blocks: [{ type: 'section', text: mrkdwn(`*${escape(options.title)}*\nNone yet. Start one with \`/milestone create\`.`) }],
    };
  }
  const lines = items.map(
    (m) =>
      `${VERDICT_BADGE[m.verdict]} *${escape(`${m.projectKey}/${m.name}`)}* ${VERDICT_LABEL[m.verdict]} · ` +
      `${passRateText(m.passed, m.executed)} · due ${dueText(m.dueDate, m.timeZone, m.daysLeft)}` +
      (m.scopeSize !== null ? ` · scope ${m.scopeSize}` : '') +
      (m.status !== 'ACTIVE' ? ` · _${escape(m.status.toLowerCase())}_` : ''),
  );
  if (options.total > items.length) lines.push(`…and ${options.total - items.length} more`);
  // Chunks of lines per section keep each under 3,000 characters.
  const blocks: Block[] = [{ type: 'section', text: mrkdwn(`*${escape(options.title)}*`) }];
  for (let i = 0; i < lines.length; i += 10)
    blocks.push({ type: 'section', text: mrkdwn(linesWithin(lines.slice(i, i + 10), LIMITS.sectionText)) });
  return {
    text: clip(`${escape(options.title)}: ${items.length} milestones`, LIMITS.sectionText),
    blocks: blocksWithin(blocks, LIMITS.messageBlocks, [], 'milestones'),
  };
}
