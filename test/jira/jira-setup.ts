// Shared set-up for the Jira tests: a project mapped to Jira project PAYJ, a
// milestone with passing evidence (so its verdict is GO until a blocking
// defect opens), and deps pointing at the fake Jira with a recording notifier.
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Notifier } from '../../src/notify/notifier.js';
import { reportDefect, type ReportDefectOptions } from '../../src/services/report-defect.js';
import { setChannelThreads } from '../../src/services/set-channel-threads.js';
import { updateProject } from '../../src/services/update-project.js';
import { createJiraGateway } from '../../src/jira/jira-client.js';
import type { JiraDeps } from '../../src/jira/jira-deps.js';
import { resultRow, seedMilestone, seedProject, seedRun, TEST_OPERATOR } from '../helpers/factories.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import type { TestDatabase } from '../helpers/test-database.js';
import { JIRA_EMAIL, JIRA_HOST, JIRA_TOKEN } from './fake-jira.js';
import { checkWith } from '../../src/jira/jira-issue-checker.js';

export const WEBHOOK_SECRET = 'webhook-secret';

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

/**
 * A project mapped to Jira with a milestone in C-MILESTONE. Both channels have
 * threads off unless `threads` is true, so Jira's lines are messages of their
 * own there (threads on, they are replies in the living message's thread).
 */
export async function seedJiraProject(t: TestDatabase, key = 'PAY', teamId = 'T1', o: { threads?: boolean } = {}) {
  const { workspace, project } = await seedProject(t, key, { teamId });
  for (const channelId of ['C-PROJECT', 'C-MILESTONE'])
    await setChannelThreads(t, { workspaceId: workspace.id, channelId, threads: o.threads ?? false });
  await updateProject(t, {
    projectId: project.id,
    patch: { slackChannelId: 'C-PROJECT', jira: { projectKey: `${key}J`, issueType: 'Bug', labels: ['shipgate', 'qa team'] } },
    actor: TEST_OPERATOR,
  });
  const milestone = await seedMilestone(t, project.id, '2.4', { slackChannelId: 'C-MILESTONE' });
  const run = { projectId: project.id, milestoneId: milestone.id, environment: 'staging' };
  await seedRun(t, { ...run, name: 'nightly', results: [resultRow('checkout::pays', 'PASSED', { title: 'pays with a card' })] });
  // An earlier run's failure of the refund test, aborted so it does not count:
  // the defect's issue still quotes it.
  await seedRun(t, {
    ...run,
    name: 'older',
    status: 'ABORTED',
    results: [resultRow('checkout::refunds', 'FAILED', { title: 'refunds a payment', message: 'expected 200, got 502 from /refunds' })],
  });
  return { workspace, project, milestone };
}

/** The check a server with Jira configured does before linking a key (against the fake Jira). */
export function jiraCheck(timeoutMs = 2_000) {
  return checkWith(createJiraGateway({ host: JIRA_HOST, email: JIRA_EMAIL, apiToken: JIRA_TOKEN }, { timeoutMs }));
}

/** Reports a defect as a server with Jira configured does. */
export async function defect(t: TestDatabase, projectId: string, o: Partial<ReportDefectOptions> = {}) {
  return reportDefect(
    { db: t.db, now: t.now, jiraCheck: jiraCheck() },
    { projectId, title: 'Refund returns 502', severity: 'CRITICAL', milestone: '2.4', jira: { create: true }, ...o },
  );
}
