// Routing table for Events API events (manifest: settings.event_subscriptions.bot_events).
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../slack-deps.js';
import { appHomeOpened } from './app-home-opened.js';

export function registerEvents(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
