// Slack's Block Kit size limits, and the helpers that keep big milestones within
// them by truncating with "and N more" instead of having Slack reject the message.
import type { types } from '@slack/bolt';
import { cutText } from './text-hygiene.js';

export type Block = types.KnownBlock;

export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100, // modal or Home tab
  sectionText: 3000,
  textInput: 3000, // a plain_text_input's max_length cannot be higher
  headerText: 150,
  modalTitle: 24,
  buttonText: 75,
  buttonUrl: 3000,
  optionText: 75,
  fieldText: 2000,
  fields: 10,
  contextElements: 10,
  privateMetadata: 3000,
} as const;

/** Cuts text to `max` characters at a grapheme boundary (never half an emoji), ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return cutText(text, max);
}

/**
 * Joins lines until the next would exceed `max` characters (or `maxLines`
 * lines), then ends with "…and N more" so the reader knows what was left out;
 * `notListed` counts items the caller never passed in (a sample of a larger set).
 */
export function linesWithin(lines: string[], max: number, maxLines = Infinity, notListed = 0): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = clip(lines[i]!, max - 40);
    const remaining = lines.length - i - 1 + notListed;
    const tail = remaining > 0 ? `\n…and ${remaining} more` : '';
    if (out.length >= maxLines || length + line.length + 1 + tail.length > max) {
      out.push(`…and ${lines.length - i + notListed} more`);
      return out.join('\n');
    }
    out.push(line);
    length += line.length + 1;
  }
  if (notListed > 0) out.push(`…and ${notListed} more`);
  return out.join('\n');
}

/**
 * Keeps at most `max` blocks: the head of `blocks` (minus room for the "more"
 * note and the `tail`, e.g. the action buttons), then the note, then the tail.
 */
export function blocksWithin(blocks: Block[], max: number, tail: Block[] = [], noun = 'items'): Block[] {
  if (blocks.length + tail.length <= max) return [...blocks, ...tail];
  const room = max - tail.length - 1;
  const kept = blocks.slice(0, room);
  const note: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${blocks.length - room} more ${noun}` }] };
  return [...kept, note, ...tail];
}

export function plainText(text: string, max: number = LIMITS.sectionText) {
  return { type: 'plain_text' as const, text: clip(text, max), emoji: true };
}

export function mrkdwn(text: string, max: number = LIMITS.sectionText) {
  return { type: 'mrkdwn' as const, text: clip(text, max) };
}
