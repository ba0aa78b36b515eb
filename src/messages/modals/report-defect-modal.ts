// Report a defect: title, severity, failing test, and Jira (create an issue or
// link an existing key).
import { INPUT_LIMITS as L } from '../../domain/input-limits.js';
import { SEVERITIES } from '../../domain/types.js';
import { VIEWS } from '../action-ids.js';
import { escape } from '../format.js';
import { modal, note, radioInput, selectInput, textInput, type ModalContext, type ModalView } from './modal-shell.js';

export const DEFECT_FIELDS = {
  title: 'title',
  severity: 'severity',
  testKey: 'test_key',
  jira: 'jira',
  jiraKey: 'jira_key',
  description: 'description',
} as const;

export interface ReportDefectModalInput {
  milestone: { projectKey: string; name: string };
  jiraConfigured: boolean;
  context: ModalContext;
}

export function reportDefectModal(input: ReportDefectModalInput): ModalView {
  const f = DEFECT_FIELDS;
  const blocks = [
    note(`Report a defect against *${escape(`${input.milestone.projectKey}/${input.milestone.name}`)}*.`),
    textInput(f.title, 'Title', { placeholder: 'What is broken', maxLength: L.defectTitle }),
    selectInput(
      f.severity,
      'Severity',
      SEVERITIES.map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() })),
      { initial: 'HIGH' },
    ),
    textInput(f.testKey, 'Failing test (case key)', { optional: true, placeholder: 'checkout::pays-by-card', maxLength: L.caseKey }),
    textInput(f.description, 'Description', { optional: true, multiline: true, maxLength: L.defectDescription }),
    radioInput(
      f.jira,
      'Jira',
      [
        { value: 'none', label: 'No Jira issue' },
        { value: 'create', label: 'Create a Jira issue' },
        { value: 'link', label: 'Link an existing Jira issue' },
      ],
      { initial: 'none' },
    ),
    textInput(f.jiraKey, 'Existing Jira issue key', { optional: true, placeholder: 'PAY-123', maxLength: L.jiraKey }),
  ];
  if (!input.jiraConfigured) blocks.push(note('Jira is not connected on this server: a "create" request waits in the outbox until it is.'));
  return modal(VIEWS.reportDefect, 'Report a defect', blocks, input.context, 'Report');
}
