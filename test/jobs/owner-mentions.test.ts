// Owners mentioned in digests (SPEC §11): the owners of the tests newly failing
// since a channel's last digest are mentioned under its changes, once per owner
// per milestone per local day across every digest (two channels on one
// milestone) and the thread's calls; a digest that could not be posted gives
// its mentions back, so the next message makes them; the next day they count again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runDigestsTick } from '../../src/jobs/digests-tick.js';
import { subscribeChannel } from '../../src/services/subscribe-channel.js';
import { setOwnerRules } from '../../src/services/set-owner-rules.js';
import { OWNER_MENTION_CLAIM, takeNewlyFailingOwnerMentions, takeOwnerMentions } from '../../src/services/owner-mentions.js';
import type { ResultStatus } from '../../src/services/ingest-results.js';
import { resultRow, seedMilestone, seedProject, seedRun, TEST_OPERATOR } from '../helpers/factories.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import type { ServiceDeps } from '../../src/services/service-deps.js';

const OWNERS_LINE = 'Owners of the newly failing tests';

describe(`owners mentioned once per owner, milestone and day (${testProvider()})`, () => {
  let t: TestDatabase;
  let deps: ServiceDeps;
  let clock = new Date('2027-03-01T08:00:00Z');
  const logger = createLogger('silent');
  const config = loadConfig({});
  const notifier = new RecordingNotifier();
  let projectId = '';
  let milestoneId = '';

  const at = (iso: string) => (clock = new Date(iso));
  const tick = (iso: string) => {
    at(iso);
    notifier.now = clock;
    return runDigestsTick({ db: t.db, notifier, logger, config }, clock);
  };
  const run = (results: Record<string, ResultStatus>) =>
    seedRun(deps, {
      projectId,
      milestoneId,
      startedAt: clock,
      results: Object.entries(results).map(([key, status]) => resultRow(key, status)),
    });
  const lastPost = (channel: string) => JSON.stringify(notifier.postsTo(channel).at(-1)?.blocks ?? null);
  const mentionClaims = () => t.prisma.claim.findMany({ where: { kind: OWNER_MENTION_CLAIM }, orderBy: { key: 'asc' } });

  beforeAll(async () => {
    t = await createTestDatabase();
    deps = { db: t.db, now: () => clock };
    const seeded = await seedProject(deps, 'PAY');
    projectId = seeded.project.id;
    milestoneId = (await seedMilestone(deps, projectId, '2.4', { timeZone: 'Europe/Berlin' })).id;
    await setOwnerRules(deps, {
      projectId,
      actor: TEST_OPERATOR,
      rules: [
        { pattern: 'checkout*', owners: ['S0PAY'] },
        { pattern: 'checkout::t1', owners: ['U0ANN', 'S0PAY'] },
        { pattern: 'search*', owners: ['U0BOB'] },
      ],
    });
    for (const channel of ['C-ONE', 'C-TWO'])
      await subscribeChannel(deps, {
        workspaceId: seeded.workspace.id,
        channelId: channel,
        target: { milestoneId },
        digestTime: '09:00',
        timeZone: 'UTC',
      });
    await run({ 'checkout::t1': 'PASSED', 'checkout::t2': 'PASSED', 'search::t0': 'PASSED' });
  });
  afterAll(async () => t.cleanup());

  it('a first digest has nothing newly failing to name, so it mentions nobody', async () => {
    await tick('2027-03-01T09:00:00Z');
    expect(notifier.postsTo('C-ONE')).toHaveLength(1);
    expect(lastPost('C-ONE')).not.toContain(OWNERS_LINE);
    expect(await mentionClaims()).toEqual([]);
  });

  it('the next day, the first digest mentions the owners of the newly failing tests; the second channel’s does not again', async () => {
    at('2027-03-01T10:00:00Z');
    await run({ 'checkout::t1': 'FAILED', 'checkout::t2': 'FAILED', 'search::t0': 'PASSED' });
    await tick('2027-03-02T09:00:00Z');
    const one = lastPost('C-ONE');
    expect(one).toContain('2 newly failing');
    expect(one).toContain(`${OWNERS_LINE}: <@U0ANN>, <!subteam^S0PAY>`);
    expect(one).not.toContain('U0BOB');
    const two = lastPost('C-TWO');
    expect(two).toContain('2 newly failing');
    expect(two).not.toContain(OWNERS_LINE);
    expect((await mentionClaims()).map((c) => [c.key, c.sentAt !== null])).toEqual([
      [`${milestoneId}:2027-03-02:S0PAY`, true],
      [`${milestoneId}:2027-03-02:U0ANN`, true],
    ]);
    // The living thread asking the same day gets nobody: they were mentioned.
    const held = await takeNewlyFailingOwnerMentions(deps, { milestoneId, since: new Date('2027-03-01T09:30:00Z') });
    expect(held.owners).toEqual([]);
  });

  it('a digest that could not be posted gives its mentions back: the next message makes them, once', async () => {
    at('2027-03-02T11:00:00Z');
    await run({ 'checkout::t1': 'FAILED', 'checkout::t2': 'FAILED', 'search::t0': 'FAILED' });
    notifier.failNext('post', new Error('Slack answered 500'), (m) => m.channel === 'C-ONE');
    const summary = await tick('2027-03-03T09:00:00Z');
    expect(summary).toMatchObject({ sent: 1, failed: 1 });
    // C-ONE failed and released Bob; C-TWO, right after, mentioned him. Only the newly failing search test's owner:
    // the checkout tests still fail, they are not new.
    expect(lastPost('C-TWO')).toContain(`${OWNER_MENTION_LINE('<@U0BOB>')}`);
    expect(lastPost('C-TWO')).not.toContain('U0ANN');
    // C-ONE's retry, after its claim's lease: the digest arrives, without mentioning Bob again.
    await tick('2027-03-03T09:06:00Z');
    expect(notifier.postsTo('C-ONE').at(-1)!.at).toEqual(new Date('2027-03-03T09:06:00Z'));
    expect(lastPost('C-ONE')).toContain('1 newly failing');
    expect(lastPost('C-ONE')).not.toContain(OWNERS_LINE);
    expect((await mentionClaims()).filter((c) => c.key.includes('2027-03-03'))).toMatchObject([
      { key: `${milestoneId}:2027-03-03:U0BOB`, sentAt: expect.any(Date) },
    ]);
  });

  it('a new local day counts again, in the milestone’s time zone; released mentions are free at once', async () => {
    // 23:30 UTC on 3 March is already 4 March in Berlin.
    at('2027-03-03T23:30:00Z');
    const cases = [{ key: 'search::t0', suite: 'search' }];
    const first = await takeOwnerMentions(deps, { milestoneId, cases });
    expect(first.owners).toEqual(['U0BOB']);
    await first.release();
    const second = await takeOwnerMentions(deps, { milestoneId, cases });
    expect(second.owners).toEqual(['U0BOB']);
    // Held by someone else (another replica posting right now): not offered twice.
    expect((await takeOwnerMentions(deps, { milestoneId, cases })).owners).toEqual([]);
    await second.confirm();
    expect((await takeOwnerMentions(deps, { milestoneId, cases })).owners).toEqual([]);
    expect((await mentionClaims()).map((c) => c.key)).toContain(`${milestoneId}:2027-03-04:U0BOB`);
  });
});

function OWNER_MENTION_LINE(mentions: string): string {
  return `${OWNERS_LINE}: ${mentions}`;
}
