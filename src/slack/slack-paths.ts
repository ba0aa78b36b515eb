// What the app registers with Slack, in one place: manifest.yml must agree with
// it (test/slack/manifest.test.ts checks), so the two cannot drift apart.

/** Slash command, interactivity and events all arrive here over HTTP. */
export const EVENTS_PATH = '/slack/events';
/** OAuth install (many workspaces): the "Add to Slack" page and Slack's redirect back. */
export const INSTALL_PATH = '/slack/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

export const COMMAND = '/milestone';

/**
 * Bot scopes asked for at install; the manifest comments say why each is needed, and
 * test/slack/manifest-scopes.test.ts derives them from the Web API methods the code calls.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'files:write',
  'channels:read',
  'groups:read',
  'channels:join',
  'usergroups:read',
] as const;

/** Events the app listens to (manifest `settings.event_subscriptions.bot_events`). */
export const BOT_EVENTS = ['app_home_opened'] as const;
