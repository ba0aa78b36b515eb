// What a Jira issue created from a defect says: summary, an ADF description
// with the milestone, environment, failing test, failure message and a link
// back, the priority mapped from severity, and labels. Pure: data in, data out.
import { cutText, stripControl } from '../messages/text-hygiene.js';
import { codeBlock, doc, heading, link, paragraph, strong, text, type AdfBlock } from './adf.js';
import type { JiraIssueFields } from './jira-client.js';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

export const DEFAULT_PRIORITIES: Record<Severity, string> = {
  CRITICAL: 'Highest',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
};

export const DEFAULT_ISSUE_TYPE = 'Bug';

/** The label that ties an issue to its defect: how a lost create is found again. */
export function defectLabel(defectId: string): string {
  return `shipgate-${defectId}`;
}

export interface DefectIssueInput {
  defectId: string;
  title: string;
  description: string | null;
  severity: Severity;
  projectKey: string;
  milestoneName: string | null;
  environment: string | null;
  test: { key: string; title: string } | null;
  failureMessage: string | null;
  reportedBy: string | null;
  /** Where a reader of the issue gets back to Shipgate (the milestone's Slack channel). */
  linkBack: { label: string; url: string } | null;
  mapping: { jiraProjectKey: string; issueType: string | null; priorities: Partial<Record<Severity, string>>; labels: string[] };
}

const SUMMARY_MAX = 255;
const MESSAGE_MAX = 4000;

export function buildIssueFields(d: DefectIssueInput): JiraIssueFields {
  const priority = d.mapping.priorities[d.severity] ?? DEFAULT_PRIORITIES[d.severity];
  const labels = [...new Set([...d.mapping.labels.map(toLabel).filter(Boolean), defectLabel(d.defectId)])];
  return {
    projectKey: d.mapping.jiraProjectKey,
    issueType: d.mapping.issueType || DEFAULT_ISSUE_TYPE,
    summary: cutText(stripControl(d.title).replace(/\s+/g, ' ').trim(), SUMMARY_MAX),
    description: describe(d),
    priority,
    labels,
  };
}

function describe(d: DefectIssueInput) {
  const blocks: AdfBlock[] = [];
  blocks.push(paragraph(strong('Severity: '), text(d.severity)));
  blocks.push(
    paragraph(strong('Milestone: '), text(d.milestoneName ? `${d.projectKey}/${d.milestoneName}` : `${d.projectKey} (no milestone)`)),
  );
  blocks.push(paragraph(strong('Environment: '), text(d.environment ?? 'not recorded')));
  blocks.push(
    paragraph(
      strong('Failing test: '),
      text(d.test ? `${d.test.key}${d.test.title && d.test.title !== d.test.key ? ` — ${d.test.title}` : ''}` : 'none linked'),
    ),
  );
  if (d.failureMessage) {
    blocks.push(heading(3, 'Failure message'));
    // Test output as a terminal printed it: colour codes and control characters would show as garbage in Jira.
    blocks.push(codeBlock(cutText(stripControl(d.failureMessage), MESSAGE_MAX)));
  }
  if (d.description?.trim()) {
    blocks.push(heading(3, 'Details'));
    blocks.push(paragraph(text(d.description.trim())));
  }
  const origin = [text(`Reported in Shipgate${d.reportedBy ? ` by ${d.reportedBy}` : ''} (defect ${d.defectId}).`)];
  if (d.linkBack) origin.push(text(' '), link(d.linkBack.label, d.linkBack.url));
  blocks.push(paragraph(...origin));
  return doc(...blocks);
}

/** Jira labels cannot hold spaces. */
function toLabel(label: string): string {
  return label.trim().replace(/\s+/g, '-');
}
