// Every text input of every modal carries a max_length, equal to what the same
// field accepts through the REST API (capped at the 3,000 characters a Slack
// input can hold), and the modal's submission accepts a value that long: a
// person can neither type more than Shipgate stores nor be refused for what
// the form let them type.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DefectInput as ApiDefect, DefectPatch, MilestoneInput, MilestonePatch, QuarantineInput, RunInput } from '../../src/api/schemas.js';
import { INPUT_LIMITS } from '../../src/domain/input-limits.js';
import { NAME_MAX_BYTES } from '../../src/junit/index.js';
import { LIMITS } from '../../src/messages/limits.js';
import { COMPLETE_FIELDS, completeModal } from '../../src/messages/modals/complete-modal.js';
import { CREATE_FIELDS, createMilestoneModal } from '../../src/messages/modals/create-milestone-modal.js';
import { LINK_FIELDS, linkRunModal } from '../../src/messages/modals/link-run-modal.js';
import { DEFECT_FIELDS, reportDefectModal } from '../../src/messages/modals/report-defect-modal.js';
import { scopeModal } from '../../src/messages/modals/scope-modal.js';
import { SIGNOFF_FIELDS, signOffModal } from '../../src/messages/modals/sign-off-modal.js';
import { WAIVE_FIELDS, waiveDefectModal } from '../../src/messages/modals/waive-defect-modal.js';
import { QUARANTINE_FIELDS, quarantineTestModal } from '../../src/messages/modals/quarantine-test-modal.js';
import { QuarantineInput as SlackQuarantine } from '../../src/slack/listeners/views/quarantine-test-submission.js';
import { CompleteInput } from '../../src/slack/listeners/views/complete-submission.js';
import { MilestoneModalInput } from '../../src/slack/listeners/views/create-milestone-submission.js';
import { LinkRunInput } from '../../src/slack/listeners/views/link-run-submission.js';
import { DefectInput as SlackDefect } from '../../src/slack/listeners/views/report-defect-submission.js';
import { SignOffInput } from '../../src/slack/listeners/views/sign-off-submission.js';
import { WaiveInput } from '../../src/slack/listeners/views/waive-defect-submission.js';

const milestone = { projectKey: 'PAY', name: '2.4' };
const context = { m: 'm1' };

const modals = [
  completeModal({ milestone, verdict: 'NO_GO', reasons: [], context }),
  createMilestoneModal({ projects: [{ id: 'p1', key: 'PAY', name: 'Payments' }], name: '2.4', channelId: 'C1' }),
  linkRunModal({ milestone, runs: [], environments: [], context }),
  reportDefectModal({ milestone, jiraConfigured: true, context }),
  scopeModal({ milestone, patterns: ['checkout::*'], preview: { matching: 1, total: 2, sample: [] }, context }),
  signOffModal({ milestone, verdict: 'GO', context }),
  waiveDefectModal({ defect: { title: 'Crash', severity: 'HIGH', jiraKey: null }, context }),
  quarantineTestModal({ testCase: { key: 'checkout::a', title: 'a' }, projectKey: 'PAY', context }),
];

interface TextInput {
  view: string;
  blockId: string;
  maxLength: number | undefined;
}

function textInputs(): TextInput[] {
  return modals.flatMap((view) =>
    view.blocks.flatMap((block) => {
      const element = (block as { element?: { type: string; max_length?: number } }).element;
      if (block.type !== 'input' || element?.type !== 'plain_text_input') return [];
      return [{ view: view.callback_id ?? '?', blockId: block.block_id ?? '?', maxLength: element.max_length }];
    }),
  );
}

/** The max of a (possibly optional, nullable) zod string schema. */
function maxOf(schema: z.ZodType): number {
  let s = schema as z.ZodType & { unwrap?: () => z.ZodType; maxLength?: number | null };
  while (typeof s.unwrap === 'function') s = s.unwrap();
  if (typeof s.maxLength !== 'number') throw new Error('not a string schema with a max');
  return s.maxLength;
}

function inputOf(view: string, blockId: string): number {
  const found = textInputs().find((i) => i.view === view && i.blockId === blockId);
  if (!found?.maxLength) throw new Error(`${view}/${blockId} has no text input with max_length`);
  return found.maxLength;
}

const slackCap = (n: number) => Math.min(n, LIMITS.textInput);

describe('modal text inputs', () => {
  it('every one has a max_length within what Slack allows', () => {
    const inputs = textInputs();
    expect(inputs.length).toBeGreaterThanOrEqual(12);
    for (const input of inputs) {
      expect(input.maxLength, `${input.view}/${input.blockId}`).toBeGreaterThan(0);
      expect(input.maxLength, `${input.view}/${input.blockId}`).toBeLessThanOrEqual(LIMITS.textInput);
    }
  });

  it.each([
    ['create_milestone', CREATE_FIELDS.name, maxOf(MilestoneInput.shape.name)],
    ['create_milestone', CREATE_FIELDS.description, maxOf(MilestoneInput.shape.description)],
    ['complete_milestone', COMPLETE_FIELDS.reason, maxOf(MilestonePatch.shape.overrideReason)],
    ['link_run', LINK_FIELDS.name, maxOf(RunInput.shape.name)],
    ['link_run', LINK_FIELDS.environment, maxOf(RunInput.shape.environment)],
    ['report_defect', DEFECT_FIELDS.title, maxOf(ApiDefect.shape.title)],
    ['report_defect', DEFECT_FIELDS.description, maxOf(ApiDefect.shape.description)],
    ['report_defect', DEFECT_FIELDS.testKey, maxOf(ApiDefect.shape.testKey)],
    ['report_defect', DEFECT_FIELDS.jiraKey, INPUT_LIMITS.jiraKey],
    ['waive_defect', WAIVE_FIELDS.reason, maxOf(DefectPatch.shape.waiver.unwrap().shape.reason)],
    ['quarantine_test', QUARANTINE_FIELDS.reason, maxOf(QuarantineInput.shape.reason)],
  ])('%s/%s holds what the API accepts (%i, capped at 3,000)', (view, blockId, apiMax) => {
    expect(inputOf(view, blockId)).toBe(slackCap(apiMax));
  });

  it.each([
    ['create_milestone', CREATE_FIELDS.name, MilestoneModalInput.shape[CREATE_FIELDS.name]],
    ['create_milestone', CREATE_FIELDS.description, MilestoneModalInput.shape[CREATE_FIELDS.description]],
    ['complete_milestone', COMPLETE_FIELDS.reason, CompleteInput.shape[COMPLETE_FIELDS.reason]],
    ['link_run', LINK_FIELDS.name, LinkRunInput.shape[LINK_FIELDS.name]],
    ['link_run', LINK_FIELDS.environment, LinkRunInput.shape[LINK_FIELDS.environment]],
    ['report_defect', DEFECT_FIELDS.title, SlackDefect.shape[DEFECT_FIELDS.title]],
    ['report_defect', DEFECT_FIELDS.description, SlackDefect.shape[DEFECT_FIELDS.description]],
    ['report_defect', DEFECT_FIELDS.testKey, SlackDefect.shape[DEFECT_FIELDS.testKey]],
    ['sign_off', SIGNOFF_FIELDS.comment, SignOffInput.shape[SIGNOFF_FIELDS.comment]],
    ['waive_defect', WAIVE_FIELDS.reason, WaiveInput.shape[WAIVE_FIELDS.reason]],
    ['quarantine_test', QUARANTINE_FIELDS.reason, SlackQuarantine.shape[QUARANTINE_FIELDS.reason]],
  ])('%s/%s: the submission accepts a value as long as the input allows', (view, blockId, schema) => {
    const max = inputOf(view, blockId);
    expect((schema as z.ZodType).safeParse('x'.repeat(max)).success).toBe(true);
  });

  it('the case key limit in characters is the byte limit case keys are stored under', () => {
    expect(INPUT_LIMITS.caseKey).toBe(NAME_MAX_BYTES);
  });
});
