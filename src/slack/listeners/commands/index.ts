// Routing table for slash commands.
import type { App } from '@slack/bolt';
import { COMMAND } from '../../slack-paths.js';
import type { SlackDeps } from '../../slack-deps.js';
import { milestoneCommand } from './milestone-command.js';

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command(COMMAND, milestoneCommand(deps));
}
