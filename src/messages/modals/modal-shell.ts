// The common frame of every Shipgate modal, and the small input builders the
// modals share. Titles are cut to Slack's 24 characters; blocks to 100.
import type { types } from '@slack/bolt';
import { blocksWithin, clip, LIMITS, plainText, type Block } from '../limits.js';

export type ModalView = types.ModalView;

/** Context a modal carries through Slack and back (private_metadata, kept short). */
export interface ModalContext {
  /** Milestone id. */
  m?: string;
  /** Channel and ts of the readiness card to update in place. */
  c?: string;
  t?: string;
  /** Defect id (waive). */
  d?: string;
  /** Project id (scope preview). */
  p?: string;
  /** Test case id (quarantine). */
  k?: string;
}

export function modal(callbackId: string, title: string, blocks: Block[], context: ModalContext, submit = 'Save'): ModalView {
  const metadata = JSON.stringify(context);
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plainText(clip(title, LIMITS.modalTitle), LIMITS.modalTitle),
    submit: plainText(submit, 24),
    close: plainText('Cancel', 24),
    private_metadata: metadata.length <= LIMITS.privateMetadata ? metadata : '{}',
    blocks: blocksWithin(blocks, LIMITS.surfaceBlocks),
  };
}

export function readContext(privateMetadata: string | undefined): ModalContext {
  try {
    const parsed = JSON.parse(privateMetadata || '{}') as unknown;
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * A text input. `maxLength` is what the same field accepts through the API
 * (domain/input-limits.ts), capped at what Slack's input can hold; the
 * initial value is never longer than the input allows.
 */
export function textInput(
  blockId: string,
  label: string,
  options: {
    maxLength: number;
    initial?: string | null;
    multiline?: boolean;
    optional?: boolean;
    placeholder?: string;
    hint?: string;
    dispatch?: string;
  },
): Block {
  const maxLength = Math.min(options.maxLength, LIMITS.textInput);
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label, 2000),
    optional: options.optional ?? false,
    ...(options.hint ? { hint: plainText(options.hint, 2000) } : {}),
    ...(options.dispatch ? { dispatch_action: true } : {}),
    element: {
      type: 'plain_text_input',
      action_id: options.dispatch ?? 'value',
      multiline: options.multiline ?? false,
      ...(options.initial ? { initial_value: clip(options.initial, maxLength) } : {}),
      ...(options.placeholder ? { placeholder: plainText(options.placeholder, 150) } : {}),
      max_length: maxLength,
      ...(options.dispatch ? { dispatch_action_config: { trigger_actions_on: ['on_character_entered'] } } : {}),
    },
  };
}

export interface Choice {
  value: string;
  label: string;
}

export function selectInput(
  blockId: string,
  label: string,
  choices: Choice[],
  options: { initial?: string | null; optional?: boolean; placeholder?: string } = {},
): Block {
  const opts = choices.slice(0, 100).map((c) => ({ text: plainText(c.label, LIMITS.optionText), value: c.value }));
  const initial = opts.find((o) => o.value === options.initial);
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label, 2000),
    optional: options.optional ?? false,
    element: {
      type: 'static_select',
      action_id: 'value',
      options: opts,
      placeholder: plainText(options.placeholder ?? 'Choose…', 150),
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

export function radioInput(
  blockId: string,
  label: string,
  choices: Choice[],
  options: { initial?: string | null; optional?: boolean } = {},
): Block {
  const opts = choices.map((c) => ({ text: plainText(c.label, LIMITS.optionText), value: c.value }));
  const initial = opts.find((o) => o.value === options.initial);
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label, 2000),
    optional: options.optional ?? false,
    element: { type: 'radio_buttons', action_id: 'value', options: opts, ...(initial ? { initial_option: initial } : {}) },
  };
}

export function dateInput(blockId: string, label: string, options: { initial?: string | null; optional?: boolean } = {}): Block {
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label, 2000),
    optional: options.optional ?? false,
    element: { type: 'datepicker', action_id: 'value', ...(options.initial ? { initial_date: options.initial } : {}) },
  };
}

export function channelInput(blockId: string, label: string, options: { initial?: string | null; optional?: boolean } = {}): Block {
  return {
    type: 'input',
    block_id: blockId,
    label: plainText(label, 2000),
    optional: options.optional ?? true,
    element: {
      type: 'conversations_select',
      action_id: 'value',
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      ...(options.initial ? { initial_conversation: options.initial } : { default_to_current_conversation: true }),
    },
  };
}

export function note(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, 3000) }] };
}
