// The due-date reminder: one line saying when the milestone is due, then the
// readiness card with its buttons, within Slack's 50-block message limit.
import { escape } from './limits.js';
import { readinessCard, type CardData } from './readiness-card.js';

const MAX_BLOCKS = 50;

export function reminderHeadline(name: string, daysLeft: number): string {
  if (daysLeft > 1) return `⏰ *${name}* is due in ${daysLeft} days.`;
  if (daysLeft === 1) return `⏰ *${name}* is due tomorrow.`;
  if (daysLeft === 0) return `⏰ *${name}* is due today.`;
  return `🚨 *${name}* is overdue by ${-daysLeft} day${daysLeft === -1 ? '' : 's'}.`;
}

export function reminderMessage(card: CardData, daysLeft: number): { text: string; blocks: unknown[] } {
  const headline = reminderHeadline(escape(`${card.readiness.milestone.projectKey}/${card.readiness.milestone.name}`), daysLeft);
  const rendered = readinessCard(card);
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: headline } }, ...rendered.blocks];
  // Keep the last block (the buttons) when trimming to the limit.
  if (blocks.length > MAX_BLOCKS) blocks.splice(MAX_BLOCKS - 1, blocks.length - MAX_BLOCKS);
  return { text: `${headline.replace(/\*/g, '')} ${rendered.text}`, blocks };
}
