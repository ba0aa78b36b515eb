// The due-date reminder: one line saying when the milestone is due, then the
// readiness card with its buttons, within Slack's 50-block message limit.
import { escape } from './format.js';
import { LIMITS, type Block } from './limits.js';
import { readinessCard, type CardData } from './readiness-card.js';

export function reminderHeadline(name: string, daysLeft: number): string {
  if (daysLeft > 1) return `⏰ *${name}* is due in ${daysLeft} days.`;
  if (daysLeft === 1) return `⏰ *${name}* is due tomorrow.`;
  if (daysLeft === 0) return `⏰ *${name}* is due today.`;
  return `🚨 *${name}* is overdue by ${-daysLeft} day${daysLeft === -1 ? '' : 's'}.`;
}

export function reminderMessage(card: CardData, daysLeft: number): { text: string; blocks: Block[] } {
  const headline = reminderHeadline(escape(`${card.readiness.milestone.projectKey}/${card.readiness.milestone.name}`), daysLeft);
  const rendered = readinessCard(card);
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: headline } }, ...rendered.blocks];
  // Keep the last block (the buttons) when trimming to the limit.
  if (blocks.length > LIMITS.messageBlocks) blocks.splice(LIMITS.messageBlocks - 1, blocks.length - LIMITS.messageBlocks);
  return { text: `${headline.replace(/\*/g, '')} ${rendered.text}`, blocks };
}
