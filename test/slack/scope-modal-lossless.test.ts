// The scope modal never loses patterns: its input carries max_length (Slack's
// 3,000, the most a modal input can hold) and starts with the whole scope; a
// scope longer than that is shown as a count with its first patterns and a note
// to edit it through the API, and saving that modal leaves the scope as it is.
// Through the real Bolt app over signed requests, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/messages/action-ids.js';
import { SCOPE_FIELDS } from '../../src/messages/modals/scope-modal.js';
import { updateMilestone } from '../../src/services/update-milestone.js';
import { seedMilestone, seedProject, TEST_OPERATOR } from '../helpers/factories.js';
import { TEAM_A, viewSubmission } from '../helpers/slack-payloads.js';
import { testProvider } from '../helpers/test-database.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;
let milestoneId: string;

beforeAll(async () => {
  h = await startSlackHarness();
  const { project } = await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId });
  milestoneId = (await seedMilestone(h.db, project.id, '2.4')).id;
});
afterAll(async () => h?.stop());

type Input = { block_id?: string; element?: { max_length?: number; initial_value?: string } };

async function openedScopeModal() {
  h.slack.reset();
  const r = await h.command(TEAM_A, 'scope PAY/2.4');
  expect(r.ack.status).toBe(200);
  await h.idle();
  const last = h.slack.callsTo('views.update').at(-1) ?? (await h.slack.waitFor('views.open'));
  return last.body.view as { blocks: Input[] };
}

const storedScope = async () =>
  JSON.parse((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: milestoneId } })).scope ?? 'null') as string[] | null;

describe(`scope modal (${testProvider()})`, () => {
  it('a scope that fits: the input holds all of it and carries max_length', async () => {
    const patterns = Array.from({ length: 100 }, (_, i) => `checkout::case-${i}`);
    await updateMilestone(h.db, { milestoneId, patch: { scope: { include: patterns } }, actor: TEST_OPERATOR });
    const view = await openedScopeModal();
    const input = view.blocks.find((b) => b.block_id === SCOPE_FIELDS.patterns)!;
    expect(input.element?.max_length).toBe(3000);
    expect(input.element?.initial_value).toBe(patterns.join('\n'));
  });

  it('a scope too long for a modal is shown as a count and first patterns; saving keeps every pattern', async () => {
    const patterns = Array.from({ length: 400 }, (_, i) => `checkout › payments › card › case-number-${i}`);
    await updateMilestone(h.db, { milestoneId, patch: { scope: { include: patterns } }, actor: TEST_OPERATOR });
    const view = await openedScopeModal();
    expect(view.blocks.find((b) => b.block_id === SCOPE_FIELDS.patterns)).toBeUndefined();
    const shown = textOf(view.blocks);
    expect(shown).toContain('400 keys and patterns');
    expect(shown).toContain('checkout › payments › card › case-number-0');
    expect(shown).toContain(`/api/milestones/${milestoneId}`);
    // Press Save on that modal: no patterns field comes back, and nothing is dropped.
    const res = await h.send(viewSubmission(TEAM_A, VIEWS.scope, {}, JSON.stringify({ m: milestoneId })));
    expect(res.status).toBe(200);
    await h.idle();
    expect(await storedScope()).toEqual(patterns);
  });
});
