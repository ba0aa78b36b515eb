// The due-date reminder: one line saying when the milestone is due, then the
// readiness card with its buttons, within Slack's 50-block message limit.
import { escape } from './format.js';
import { clip, LIMITS, mrkdwn, type Block } from './limits.js';
import { readinessCard, type CardData } from './readiness-card.js';

export function reminderHeadline(name: string, daysLeft: number): string {
  if (daysLeft > 1) return `⏰ *${name}* is due in ${daysLeft} days.`;
  if (daysLeft === 1) return `⏰ *${name}* is due tomorrow.`;
  if (daysLeft === 0) return `⏰ *${name}* is due today.`;
  return `🚨 *${name}* is overdue by ${-daysLeft} day${daysLeft === -1 ? '' : 's'}.`;
}

export function reminderMessage(card: CardData, daysLeft: number): { text: string; blocks: Block[] } {
  // The name is cut before it is escaped and marked up, so the cut cannot fall inside an entity or a mark.
  const headline = reminderHeadline(escape(clip(`${card.readiness.milestone.projectKey}/${card.readiness.milestone.name}`, 500)), daysLeft);
  const rendered = readinessCard(card);
  const blocks: Block[] = [{ type: 'section', text: mrkdwn(headline) }, ...rendered.blocks];
  // Keep the last block (the buttons) when trimming to the limit.
  if (blocks.length > LIMITS.messageBlocks) blocks.splice(LIMITS.messageBlocks - 1, blocks.length - LIMITS.messageBlocks);
  return { text: clip(`${headline.replace(/\*/g, '')} ${rendered.text}`, LIMITS.sectionText), blocks };
}
