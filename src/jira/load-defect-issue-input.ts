// Gathers what the issue for a defect says from the database: the defect, its
// project's Jira mapping, its milestone, and the latest failure of its test.
import type { Prisma } from '../db/open-database.js';
import { parseJson } from '../services/milestone-view.js';
import type { DefectIssueInput, Severity } from './issue-fields.js';

export async function loadDefectIssueInput(prisma: Prisma, defectId: string): Promise<DefectIssueInput | null> {
  const defect = await prisma.defect.findUnique({
    where: { id: defectId },
    include: { project: { include: { workspace: true } }, milestone: true, testCase: true },
  });
  if (!defect) return null;
  const failure = defect.testCaseId
    ? await prisma.testResult.findFirst({
        where: {
          caseId: defect.testCaseId,
          status: 'FAILED',
          ...(defect.milestoneId ? { run: { milestoneId: defect.milestoneId } } : {}),
        },
        orderBy: { recordedAt: 'desc' },
        include: { run: { include: { environment: true } } },
      })
    : null;
  const channel = defect.milestone?.slackChannelId ?? defect.project.slackChannelId;
  const team = defect.project.workspace.slackTeamId;
  return {
    defectId: defect.id,
    title: defect.title,
    description: defect.description,
    severity: defect.severity,
    projectKey: defect.project.key,
    milestoneName: defect.milestone?.name ?? null,
    environment: failure?.run.environment?.name ?? null,
    test: defect.testCase ? { key: defect.testCase.key, title: defect.testCase.title } : null,
    failureMessage: failure?.message ?? null,
    reportedBy: defect.reportedBy,
    linkBack: channel
      ? {
          label: 'Open the milestone’s Slack channel',
          url: `https://slack.com/app_redirect?team=${encodeURIComponent(team)}&channel=${encodeURIComponent(channel)}`,
        }
      : null,
    mapping: {
      jiraProjectKey: defect.project.jiraProjectKey ?? '',
      issueType: defect.project.jiraIssueType,
      priorities: parseJson<Partial<Record<Severity, string>>>(defect.project.jiraPriorityMap, {}),
      labels: parseJson<unknown[]>(defect.project.jiraLabels, []).filter((l): l is string => typeof l === 'string'),
    },
  };
}
