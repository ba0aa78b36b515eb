// What every Slack listener closes over: the server's dependencies (without the
// notifier, which the Slack app itself provides) plus the workspace lookup and
// the queue for work that follows an ack.
import type { AppDeps } from '../app-deps.js';
import type { AfterAckQueue } from './after-ack.js';
import type { WorkspaceRegistry } from './workspace-registry.js';

export type SlackDeps = Omit<AppDeps, 'notifier'> & { workspaces: WorkspaceRegistry; afterAck: AfterAckQueue };
