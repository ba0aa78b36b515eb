// Opens each modal with what it needs loaded, from a command or a card button.
// The trigger id expires in 3 seconds, so modals that need slow data open at
// once and fill in with views.update.
import type { webApi } from '@slack/bolt';
import { AppError } from '../domain/errors.js';
import { getChannelProject } from '../services/get-channel-project.js';
import { getLinkRunChoices } from '../services/get-link-run-choices.js';
import { getReadiness } from '../services/get-readiness.js';
import { getWorkspaceDefect } from '../services/get-workspace-defect.js';
import { listProjects } from '../services/list-projects.js';
import { parseJson } from '../services/milestone-view.js';
import { previewScope } from '../services/preview-scope.js';
import type { SlackDeps } from './slack-deps.js';
import { completeModal } from '../messages/modals/complete-modal.js';
import { createMilestoneModal } from '../messages/modals/create-milestone-modal.js';
import { linkRunModal } from '../messages/modals/link-run-modal.js';
import type { ModalContext } from '../messages/modals/modal-shell.js';
import { reportDefectModal } from '../messages/modals/report-defect-modal.js';
import { scopeModal } from '../messages/modals/scope-modal.js';
import { signOffModal } from '../messages/modals/sign-off-modal.js';
import { waiveDefectModal } from '../messages/modals/waive-defect-modal.js';
import { quarantineTestModal } from '../messages/modals/quarantine-test-modal.js';

type Client = webApi.WebClient;
// A static select holds at most 100 options.
const PICKABLE_PROJECTS = 100;

interface MilestoneRow {
  id: string;
  name: string;
  projectId: string;
  status: string;
  scope: string | null;
  project: { key: string };
}

export async function openCreateMilestone(
  deps: SlackDeps,
  client: Client,
  o: { triggerId: string; workspaceId: string; channelId?: string; name?: string | null },
) {
  const projects = await listProjects(deps, { workspaceId: o.workspaceId, limit: PICKABLE_PROJECTS });
  if (projects.length === 0)
    throw new AppError('NOT_FOUND', 'There is no project yet: create one first with `/milestone project create <KEY> <name>`.');
  const channelDefault = await getChannelProject(deps, { workspaceId: o.workspaceId, channelId: o.channelId });
  await client.views.open({
    trigger_id: o.triggerId,
    view: createMilestoneModal({
      projects,
      defaultProjectId: channelDefault?.id ?? null,
      name: o.name ?? null,
      channelId: o.channelId ?? null,
    }),
  });
}

export async function openLinkRun(deps: SlackDeps, client: Client, triggerId: string, m: MilestoneRow, context: ModalContext) {
  const { runs, environments } = await getLinkRunChoices(deps, { projectId: m.projectId, milestoneId: m.id });
  await client.views.open({
    trigger_id: triggerId,
    view: linkRunModal({ milestone: { projectKey: m.project.key, name: m.name }, runs, environments, context: { ...context, m: m.id } }),
  });
}

export async function openScope(deps: SlackDeps, client: Client, triggerId: string, m: MilestoneRow, context: ModalContext) {
  const patterns = parseJson<string[]>(m.scope, []);
  const ctx = { ...context, m: m.id, p: m.projectId };
  const milestone = { projectKey: m.project.key, name: m.name };
  const opened = await client.views.open({
    trigger_id: triggerId,
    view: scopeModal({ milestone, patterns, preview: { matching: 0, total: 0, sample: [] }, context: ctx }),
  });
  const preview = await previewScope(deps, { projectId: m.projectId, patterns });
  const viewId = (opened as { view?: { id?: string; hash?: string } }).view;
  if (viewId?.id)
    await client.views.update({
      view_id: viewId.id,
      ...(viewId.hash ? { hash: viewId.hash } : {}),
      view: scopeModal({ milestone, patterns, preview, context: ctx }),
    });
}

export async function openReportDefect(deps: SlackDeps, client: Client, triggerId: string, m: MilestoneRow, context: ModalContext) {
  await client.views.open({
    trigger_id: triggerId,
    view: reportDefectModal({
      milestone: { projectKey: m.project.key, name: m.name },
      jiraConfigured: deps.config.jira.enabled,
      context: { ...context, m: m.id },
    }),
  });
}

export async function openSignOff(deps: SlackDeps, client: Client, triggerId: string, m: MilestoneRow, context: ModalContext) {
  if (m.status === 'ARCHIVED')
    throw new AppError('CONFLICT', `${m.project.key}/${m.name} is archived; sign-offs are for active milestones.`);
  const readiness = await getReadiness(deps, m.id);
  await client.views.open({
    trigger_id: triggerId,
    view: signOffModal({
      milestone: { projectKey: m.project.key, name: m.name },
      verdict: readiness.verdict,
      context: { ...context, m: m.id },
    }),
  });
}

export async function openComplete(deps: SlackDeps, client: Client, triggerId: string, m: MilestoneRow, context: ModalContext) {
  if (m.status !== 'ACTIVE')
    throw new AppError('CONFLICT', `${m.project.key}/${m.name} is ${m.status.toLowerCase()}; only an active milestone can be completed.`);
  const readiness = await getReadiness(deps, m.id);
  await client.views.open({
    trigger_id: triggerId,
    view: completeModal({
      milestone: { projectKey: m.project.key, name: m.name },
      verdict: readiness.verdict,
      reasons: readiness.reasons,
      context: { ...context, m: m.id },
    }),
  });
}

export async function openWaive(
  deps: SlackDeps,
  client: Client,
  triggerId: string,
  o: { workspaceId: string; defectId: string; context: ModalContext },
) {
  const defect = await getWorkspaceDefect(deps, { workspaceId: o.workspaceId, defectId: o.defectId });
  await client.views.open({
    trigger_id: triggerId,
    view: waiveDefectModal({ defect, context: { ...o.context, d: defect.id, m: defect.milestoneId ?? undefined } }),
  });
}

/** The card's Quarantine button: the flaky test's modal (reason and end), for a case of the milestone's project. */
export async function openQuarantine(
  deps: SlackDeps,
  client: Client,
  triggerId: string,
  o: { milestone: MilestoneRow; caseId: string; context: ModalContext },
) {
  const testCase = await cardTestCase(deps, o.milestone.projectId, o.caseId);
  await client.views.open({
    trigger_id: triggerId,
    view: quarantineTestModal({
      testCase,
      projectKey: o.milestone.project.key,
      context: { ...o.context, m: o.milestone.id, k: testCase.id },
    }),
  });
}

/** A test case of the project by id (the card's button and the modal carry ids, never keys). */
export async function cardTestCase(deps: SlackDeps, projectId: string, caseId: string) {
  const testCase = await deps.db.prisma.testCase.findFirst({
    where: { id: caseId, projectId },
    select: { id: true, key: true, title: true },
  });
  if (!testCase)
    throw new AppError('NOT_FOUND', 'That test case no longer exists in this project: refresh the card to see the current flaky tests.');
  return testCase;
}
