// Routing table for modal submissions, by callback id; registered as one Bolt
// listener (see actions/index.ts for why).
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../slack-deps.js';
import { VIEWS } from '../../../messages/action-ids.js';
import { exactly } from '../actions/index.js';
import type { ViewArgs } from '../view-kit.js';
import { completeSubmission } from './complete-submission.js';
import { createMilestoneSubmission } from './create-milestone-submission.js';
import { linkRunSubmission } from './link-run-submission.js';
import { quarantineTestSubmission } from './quarantine-test-submission.js';
import { reportDefectSubmission } from './report-defect-submission.js';
import { scopeSubmission } from './scope-submission.js';
import { signOffSubmission } from './sign-off-submission.js';
import { waiveDefectSubmission } from './waive-defect-submission.js';

type ViewListener = (args: ViewArgs) => Promise<void>;

export function viewRoutes(deps: SlackDeps): Record<string, ViewListener> {
  return {
    [VIEWS.createMilestone]: createMilestoneSubmission(deps),
    [VIEWS.linkRun]: linkRunSubmission(deps),
    [VIEWS.scope]: scopeSubmission(deps),
    [VIEWS.reportDefect]: reportDefectSubmission(deps),
    [VIEWS.signOff]: signOffSubmission(deps),
    [VIEWS.complete]: completeSubmission(deps),
    [VIEWS.waiveDefect]: waiveDefectSubmission(deps),
    [VIEWS.quarantineTest]: quarantineTestSubmission(deps),
  };
}

export function registerViews(app: App, deps: SlackDeps): void {
  const routes = viewRoutes(deps);
  app.view({ type: 'view_submission', callback_id: exactly(Object.keys(routes)) }, async (args) => {
    await routes[args.view.callback_id]!(args as ViewArgs);
  });
}
