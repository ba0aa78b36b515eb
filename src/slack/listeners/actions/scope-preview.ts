// Typing in the scope modal re-counts the matching test cases and updates the preview.
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import { previewScope } from '../../../services/preview-scope.js';
import type { SlackDeps } from '../../slack-deps.js';
import { readContext } from '../../../messages/modals/modal-shell.js';
import { scopeModal } from '../../../messages/modals/scope-modal.js';
import { splitPatterns } from '../../split-patterns.js';
import { workspaceIdOf } from '../../workspace-middleware.js';

export const scopePreviewAction = (deps: SlackDeps) => async (args: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs) => {
  await args.ack();
  const view = args.body.view;
  if (!view) return;
  deps.afterAck.run(async () => {
    try {
      const context = readContext(view.private_metadata);
      const m = await milestoneInWorkspace(deps, { workspaceId: workspaceIdOf(args.context), milestoneId: context.m, hints: SLACK_HINTS });
      const patterns = splitPatterns((args.action as { value?: string }).value);
      const preview = await previewScope(deps, { projectId: m.projectId, patterns });
      // The hash makes Slack drop this update if a newer one already landed.
      await args.client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: scopeModal({ milestone: { projectKey: m.project.key, name: m.name }, patterns, preview, context }),
      });
    } catch (err) {
      deps.logger.warn({ err }, 'scope preview not updated');
    }
  });
};
