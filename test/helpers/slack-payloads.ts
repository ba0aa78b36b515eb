// Builders for what Slack sends (slash commands, block_actions, view_submission,
// app_home_opened) and the signing Slack does on every request: HMAC-SHA256 of
// `v0:{timestamp}:{raw body}` with the signing secret.
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret';

export interface Team {
  teamId: string;
  userId: string;
  channelId: string;
}

export const TEAM_A: Team = { teamId: 'T0AAAAAAA', userId: 'U0AAAAAAA', channelId: 'C0AAAAAAA' };
export const TEAM_B: Team = { teamId: 'T0BBBBBBB', userId: 'U0BBBBBBB', channelId: 'C0BBBBBBB' };

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackRequest {
  body: string;
  contentType: string;
}

export function slashCommand(team: Team, text: string, responseUrl: string, extra: Record<string, string> = {}): SlackRequest {
  const form = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: team.teamId,
    team_domain: 'test',
    channel_id: team.channelId,
    channel_name: 'releases',
    user_id: team.userId,
    user_name: 'tester',
    command: '/milestone',
    text,
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    ...extra,
  });
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

function interactive(payload: unknown): SlackRequest {
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
}

export function blockAction(
  team: Team,
  action: { actionId: string; value?: string; blockId?: string },
  where: {
    channel?: string;
    messageTs?: string;
    responseUrl?: string;
    view?: { id: string; hash: string; privateMetadata: string; callbackId: string };
  } = {},
): SlackRequest {
  return interactive({
    type: 'block_actions',
    team: { id: team.teamId, domain: 'test' },
    user: { id: team.userId, username: 'tester', team_id: team.teamId },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    ...(where.messageTs
      ? {
          container: { type: 'message', message_ts: where.messageTs, channel_id: where.channel, is_ephemeral: false },
          channel: { id: where.channel, name: 'releases' },
          message: { type: 'message', ts: where.messageTs, text: 'card', blocks: [] },
        }
      : where.view
        ? { container: { type: 'view', view_id: where.view.id } }
        : {}),
    ...(where.view
      ? {
          view: {
            id: where.view.id,
            hash: where.view.hash,
            type: 'modal',
            callback_id: where.view.callbackId,
            private_metadata: where.view.privateMetadata,
            state: { values: {} },
          },
        }
      : {}),
    ...(where.responseUrl ? { response_url: where.responseUrl } : {}),
    actions: [
      {
        type: 'button',
        action_id: action.actionId,
        block_id: action.blockId ?? 'card_actions',
        value: action.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
}

/** An input's state as Slack reports it in view.state.values. */
export type InputState =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'static_select' | 'radio_buttons'; selected_option: { value: string } | null }
  | { type: 'datepicker'; selected_date: string | null }
  | { type: 'conversations_select'; selected_conversation: string | null };

export const text = (value: string | null): InputState => ({ type: 'plain_text_input', value });
export const select = (value: string | null): InputState => ({ type: 'static_select', selected_option: value === null ? null : { value } });
export const radio = (value: string | null): InputState => ({ type: 'radio_buttons', selected_option: value === null ? null : { value } });
export const date = (value: string | null): InputState => ({ type: 'datepicker', selected_date: value });
export const conversation = (value: string | null): InputState => ({ type: 'conversations_select', selected_conversation: value });

export function viewSubmission(team: Team, callbackId: string, values: Record<string, InputState>, privateMetadata = '{}'): SlackRequest {
  const state: Record<string, Record<string, InputState>> = {};
  for (const [blockId, value] of Object.entries(values)) state[blockId] = { value };
  return interactive({
    type: 'view_submission',
    team: { id: team.teamId, domain: 'test' },
    user: { id: team.userId, username: 'tester', team_id: team.teamId },
    api_app_id: 'A0TEST',
    token: 'deprecated-verification-token',
    trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    view: {
      id: 'V0TEST',
      team_id: team.teamId,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      hash: 'hash.1',
      state: { values: state },
      blocks: [],
    },
    response_urls: [],
  });
}

export function appHomeOpened(team: Team, eventId: string): SlackRequest {
  return {
    contentType: 'application/json',
    body: JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: team.teamId,
      api_app_id: 'A0TEST',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: team.teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      event: { type: 'app_home_opened', user: team.userId, channel: 'D0HOME', tab: 'home', event_ts: `${Date.now() / 1000}` },
    }),
  };
}

/** Sends a request to the app as Slack would, signed unless told otherwise. */
export async function sendToSlackApp(
  baseUrl: string,
  request: SlackRequest,
  options: { secret?: string; timestamp?: number; unsigned?: boolean; headers?: Record<string, string>; path?: string } = {},
): Promise<{ status: number; body: string; json: unknown; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': request.contentType, ...options.headers };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = sign(request.body, timestamp, options.secret);
  }
  const started = performance.now();
  const res = await fetch(`${baseUrl}${options.path ?? '/slack/events'}`, { method: 'POST', headers, body: request.body });
  const body = await res.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : null;
  } catch {
    json = null;
  }
  return { status: res.status, body, json, ms };
}
