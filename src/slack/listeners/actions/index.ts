// Routing table for buttons and interactive inputs, by action id. Bolt runs
// every registered listener's matcher on every request, so the table is
// registered as one listener that dispatches here (cheaper acks under load).
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../slack-deps.js';
import { ACTIONS, QUARANTINE_BUTTONS, quarantineActionId } from '../../../messages/action-ids.js';
import type { ButtonArgs } from '../action-kit.js';
import {
  completeAction,
  linkRunAction,
  openReportAction,
  quarantineFlakyAction,
  refreshCardAction,
  reportDefectAction,
  signOffAction,
  waiveDefectAction,
} from './card-buttons.js';
import { nudgeAbortAction, nudgeCompleteAction, nudgeSnoozeAction } from './nudge-buttons.js';
import { openCardFromHomeAction } from './open-card-from-home.js';
import { scopePreviewAction } from './scope-preview.js';

type ActionListener = (args: ButtonArgs) => Promise<void>;

export function actionRoutes(deps: SlackDeps): Record<string, ActionListener> {
  const quarantine = quarantineFlakyAction(deps);
  return {
    ...Object.fromEntries(Array.from({ length: QUARANTINE_BUTTONS }, (_, i) => [quarantineActionId(i), quarantine])),
    [ACTIONS.refresh]: refreshCardAction(deps),
    [ACTIONS.signOff]: signOffAction(deps),
    [ACTIONS.reportDefect]: reportDefectAction(deps),
    [ACTIONS.linkRun]: linkRunAction(deps),
    [ACTIONS.complete]: completeAction(deps),
    [ACTIONS.openReport]: openReportAction(),
    [ACTIONS.waiveDefect]: waiveDefectAction(deps),
    [ACTIONS.openCard]: openCardFromHomeAction(deps),
    [ACTIONS.scopePreview]: scopePreviewAction(deps),
    [ACTIONS.nudgeComplete]: nudgeCompleteAction(deps),
    [ACTIONS.nudgeAbort]: nudgeAbortAction(deps),
    [ACTIONS.nudgeSnooze]: nudgeSnoozeAction(deps),
  };
}

export function registerActions(app: App, deps: SlackDeps): void {
  const routes = actionRoutes(deps);
  app.action({ type: 'block_actions', action_id: exactly(Object.keys(routes)) }, async (args) => {
    const id = (args.action as { action_id: string }).action_id;
    await routes[id]!(args);
  });
}

/** A RegExp matching exactly one of the ids. */
export function exactly(ids: string[]): RegExp {
  return new RegExp(`^(?:${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
}
