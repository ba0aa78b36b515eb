// Shared set-up for the Jira tests: a project mapped to Jira project PAYJ, a
// milestone with passing evidence (so its verdict is GO until a blocking
// defect opens), a recording notifier and deps pointing at the fake Jira.
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import type { Notifier, OutgoingMessage } from '../../../src/notify/notifier.js';
import { createMilestone } from '../../../src/services/create-milestone.js';
import { reportDefect, type ReportDefectOptions } from '../../../src/services/report-defect.js';
import { updateProject } from '../../../src/services/update-project.js';
import { createJiraGateway } from '../../../src/jira/jira-client.js';
import type { JiraDeps } from '../../../src/jira/jira-deps.js';
import { seedProject } from '../../helpers/api-server.js';
import type { TestDatabase } from '../../helpers/test-database.js';
import { JIRA_EMAIL, JIRA_HOST, JIRA_TOKEN } from './fake-jira.js';

export const WEBHOOK_SECRET = 'webhook-secret';

export class RecordingNotifier implements Notifier {
  readonly enabled = true;
  posts: OutgoingMessage[] = [];
  async post(message: OutgoingMessage) {
    this.posts.push(message);
    return { channel: message.channel, ts: String(this.posts.length) };
  }
  async update() {}
  async upload() {}
}

export function jiraConfig(extra: Record<string, string> = {}) {
  return loadConfig({ JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN: JIRA_TOKEN, JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET, ...extra });
}

/** Fresh deps, as a newly started replica would build them. */
export function jiraDeps(
  t: TestDatabase,
  notifier: Notifier = new RecordingNotifier(),
  timeoutMs = 2_000,
): JiraDeps & { notifier: Notifier } {
  return {
    db: t.db,
    logger: createLogger('silent'),
    notifier,
    config: jiraConfig(),
    jira: createJiraGateway({ host: JIRA_HOST, email: JIRA_EMAIL, apiToken: JIRA_TOKEN }, { timeoutMs }),
  };
}

export async function seedJiraProject(t: TestDatabase, key = 'PAY', teamId = 'T1') {
  const { workspace, project } = await seedProject(t, key, teamId);
  await updateProject(t, {
    projectId: project.id,
    patch: { slackChannelId: 'C-PROJECT', jira: { projectKey: `${key}J`, issueType: 'Bug', labels: ['shipgate', 'qa team'] } },
  });
  const milestone = await createMilestone(t, { projectId: project.id, name: '2.4', slackChannelId: 'C-MILESTONE' });
  const env = await t.prisma.environment.create({ data: { projectId: project.id, name: 'staging' } });
  const run = await t.prisma.testRun.create({
    data: { projectId: project.id, milestoneId: milestone.id, environmentId: env.id, name: 'nightly', status: 'COMPLETED' },
  });
  const checkout = await t.prisma.testCase.create({ data: { projectId: project.id, key: 'checkout::pays', title: 'pays with a card' } });
  const refund = await t.prisma.testCase.create({ data: { projectId: project.id, key: 'checkout::refunds', title: 'refunds a payment' } });
  await t.prisma.testResult.create({ data: { runId: run.id, caseId: checkout.id, status: 'PASSED' } });
  // An earlier run's failure of the refund test: the defect's issue quotes it.
  const older = await t.prisma.testRun.create({
    data: { projectId: project.id, milestoneId: milestone.id, environmentId: env.id, name: 'older', status: 'ABORTED' },
  });
  await t.prisma.testResult.create({
    data: { runId: older.id, caseId: refund.id, status: 'FAILED', message: 'expected 200, got 502 from /refunds' },
  });
  return { workspace, project, milestone };
}

export async function defect(t: TestDatabase, projectId: string, o: Partial<ReportDefectOptions> = {}) {
  return reportDefect(t, { projectId, title: 'Refund returns 502', severity: 'CRITICAL', milestone: '2.4', jira: { create: true }, ...o });
}
