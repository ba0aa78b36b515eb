// Reports a defect against a project (and usually a milestone). Jira work is
// enqueued in the same transaction, so it is never lost and never done twice.
// A key to link is checked first when Jira answers (a key it refuses is not
// stored); while Jira is down the link is queued and stays PENDING until the
// outbox has checked it. Without Jira configured, nothing Jira is accepted.
import { AppError } from '../domain/errors.js';
import { jiraIssueKey } from '../domain/jira-keys.js';
import type { Severity } from '../domain/types.js';
import { enqueue, OUTBOX } from '../db/outbox.js';
import { checkJiraLink } from './check-jira-link.js';
import type { JiraCheckDeps } from './jira-issue-check.js';
import { findMilestone } from './resolve-milestone.js';
import type { ServiceDeps } from './service-deps.js';

export interface ReportDefectOptions {
  projectId: string;
  title: string;
  severity: Severity;
  description?: string | null;
  milestoneId?: string;
  milestone?: string;
  testKey?: string;
  jira?: { create: true } | { key: string };
  reportedBy?: string | null;
}

export async function reportDefect(deps: ServiceDeps & JiraCheckDeps, o: ReportDefectOptions) {
  const prisma = deps.db.prisma;
  const title = o.title.trim();
  if (!title) throw new AppError('VALIDATION_FAILED', 'A defect needs a title that says what is broken.');
  const ref = o.milestoneId ?? o.milestone;
  const milestone = ref ? await findMilestone(deps, { projectId: o.projectId, idOrName: ref }) : null;
  let testCaseId: string | null = null;
  if (o.testKey) {
    const testCase = await prisma.testCase.findUnique({ where: { projectId_key: { projectId: o.projectId, key: o.testKey } } });
    if (!testCase)
      throw new AppError('NOT_FOUND', `No test case with key "${o.testKey}" in this project; post its results first or leave testKey out.`);
    testCaseId = testCase.id;
  }
  const jiraKey = o.jira && 'key' in o.jira ? jiraIssueKey(o.jira.key) : null;
  // After the local checks: Jira is asked only about a defect that can otherwise be stored.
  const link = o.jira ? await checkJiraLink(deps, jiraKey ? { key: jiraKey } : { create: true }) : null;
  return prisma.$transaction(async (tx) => {
    const defect = await tx.defect.create({
      data: {
        projectId: o.projectId,
        milestoneId: milestone?.id ?? null,
        testCaseId,
        title,
        description: o.description ?? null,
        severity: o.severity,
        jiraKey,
        ...link?.fields,
        reportedBy: o.reportedBy ?? null,
      },
    });
    if (o.jira && 'create' in o.jira) await enqueue(tx, OUTBOX.jiraCreateIssue(defect.id));
    if (jiraKey) await enqueue(tx, OUTBOX.jiraLinkIssue(defect.id, jiraKey));
    if (defect.milestoneId)
      await enqueue(
        tx,
        OUTBOX.livingEvent({ kind: 'defect.reported', milestoneId: defect.milestoneId, defectId: defect.id }, defect.id, deps.now()),
      );
    return defect;
  });
}
