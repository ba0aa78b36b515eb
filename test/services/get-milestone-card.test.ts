// The card's blockers come with where their Jira link stands: a failed link is
// visible on the card and in the digest, with why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestMessage } from '../../src/messages/digest-message.js';
import { readinessCard } from '../../src/messages/readiness-card.js';
import { getMilestoneCard } from '../../src/services/get-milestone-card.js';
import { seedMilestone, seedProject } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

describe(`getMilestoneCard (${testProvider()})`, () => {
  let t: TestDatabase;
  let milestoneId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const { project } = await seedProject(t, 'PAY');
    milestoneId = (await seedMilestone(t, project.id, '2.4')).id;
    await t.prisma.defect.create({
      data: {
        projectId: project.id,
        milestoneId,
        title: 'Refund fails',
        severity: 'CRITICAL',
        jiraKey: 'PAY-404',
        jiraSync: 'FAILED',
        jiraSyncError: 'PAY-404 does not exist in Jira',
      },
    });
  });
  afterAll(async () => t.cleanup());

  it('a blocker whose Jira link failed shows it, with why, on the card and in the digest', async () => {
    const card = await getMilestoneCard(t, milestoneId);
    expect(card.blockers[0]).toMatchObject({ jiraKey: 'PAY-404', jiraSync: 'FAILED', jiraSyncError: 'PAY-404 does not exist in Jira' });
    const line = ':warning: PAY-404 link failed (PAY-404 does not exist in Jira) · Refund fails (CRITICAL)';
    expect(JSON.stringify(readinessCard(card).blocks)).toContain(line);
    expect(JSON.stringify(digestMessage({ subject: 'PAY', day: '2026-12-02', items: [{ card, trend: [] }] }).blocks)).toContain(
      'PAY-404 link failed',
    );
  });
});
