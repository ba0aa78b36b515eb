// Owner rules over the real HTTP server: GET and PUT /owners (PUT needs an
// admin key), bad rules refused with a 400 naming the rule and changing
// nothing, each change on the audit trail with the calling key; and the tests
// listing showing each test's owners by the last matching rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/create-api-key.js';
import { MilestoneTestsPage } from '../../src/api/schemas.js';
import { auditEntries, changes } from '../helpers/audit.js';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { resultRow, seedMilestone, seedProjectWithApiKey, seedRun } from '../helpers/factories.js';
import { testProvider } from '../helpers/test-database.js';

const base = '/api/projects/PAY';

describe(`owners over the API (${testProvider()})`, () => {
  let h: ApiHarness;
  let admin: ReturnType<typeof client>;
  let report: ReturnType<typeof client>;
  let projectId: string;
  let adminKeyId: string;

  beforeAll(async () => {
    h = await startApi();
    const seeded = await seedProjectWithApiKey(h.t, 'PAY');
    admin = client(h.url, seeded.apiKey);
    adminKeyId = seeded.apiKeyId;
    projectId = seeded.project.id;
    report = client(h.url, (await createApiKey(h.t, { workspaceId: seeded.workspace.id, projectKey: 'PAY', scope: 'report' })).key);
  });
  afterAll(async () => h.close());

  const stored = async () => (await admin('GET', `${base}/owners`)).body;

  it('starts with no rules; PUT replaces the list in order and GET gives it back; the change is audited with the key', async () => {
    expect(await stored()).toEqual({ rules: [] });
    const rules = [
      { pattern: 'checkout*', owners: ['S0PAYMENTS'] },
      { pattern: 'checkout::pays-by-card', owners: ['U0ANN', 'U0ANN', 'W0BOB'] },
      { pattern: 'checkout::legacy-*', owners: [] },
    ];
    const res = await admin('PUT', `${base}/owners`, { rules });
    expect(res.status).toBe(200);
    const expected = [rules[0], { pattern: 'checkout::pays-by-card', owners: ['U0ANN', 'W0BOB'] }, rules[2]];
    expect(res.body).toEqual({ rules: expected });
    expect(await stored()).toEqual({ rules: expected });

    const trail = (await auditEntries(h.t.prisma, { projectId })).filter((e) => e.kind === 'project.owners');
    expect(changes(trail)).toEqual([{ kind: 'project.owners', before: { rules: [] }, after: { rules: expected } }]);
    expect(trail[0]).toMatchObject({ actorType: 'api-key', actorId: adminKeyId });
    // The same list again changes nothing, and writes no entry.
    expect((await admin('PUT', `${base}/owners`, { rules: expected })).status).toBe(200);
    expect((await auditEntries(h.t.prisma, { projectId })).filter((e) => e.kind === 'project.owners')).toHaveLength(1);
  });

  it.each([
    [{ rules: [{ pattern: '', owners: ['U01'] }] }, 'rules.0.pattern: must not be empty'],
    [{ rules: [{ pattern: 'a', owners: ['ann'] }] }, 'rules.0.owners.0: must be a Slack user id (U… or W…) or user group id (S…)'],
    [{ rules: [{ pattern: 'a', owners: ['<@U01>'] }] }, 'rules.0.owners.0: must be a Slack user id'],
    [{ rules: [{ pattern: ' a', owners: [] }] }, 'rules.0.pattern: must not start or end with a space'],
    [{ rules: [{ pattern: 'a\nb', owners: [] }] }, 'rules.0.pattern: must not hold a control character'],
    [{ rules: [{ pattern: 'x'.repeat(501), owners: [] }] }, 'rules.0.pattern: must be at most 500 characters'],
    [{ rules: [{ pattern: 'a', owners: ['U01'], team: 'x' }] }, 'team'],
    [{ rules: [{ pattern: 'a' }] }, 'rules.0.owners'],
    [{ patterns: [] }, 'patterns'],
    [
      {
        rules: [
          { pattern: 'a*', owners: ['U01'] },
          { pattern: 'a*', owners: ['U02'] },
        ],
      },
      'rule 2 repeats the pattern "a*" of rule 1',
    ],
  ])('refuses %j with a 400 saying what was wrong, changing nothing', async (body, message) => {
    const before = await stored();
    const res = await admin('PUT', `${base}/owners`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(message);
    expect(await stored()).toEqual(before);
  });

  it('a report key may read the rules but not change them', async () => {
    expect((await report('GET', `${base}/owners`)).status).toBe(200);
    const res = await report('PUT', `${base}/owners`, { rules: [] });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('admin');
  });

  it('the tests listing shows each test’s owners: the last matching rule, by key or suite; [] when none', async () => {
    expect(
      (
        await admin('PUT', `${base}/owners`, {
          rules: [
            { pattern: 'checkout*', owners: ['S0PAYMENTS'] },
            { pattern: 'checkout::pays-by-card', owners: ['U0ANN'] },
          ],
        })
      ).status,
    ).toBe(200);
    const m = await seedMilestone(h.t, projectId, 'owned');
    await seedRun(h.t, {
      projectId,
      milestoneId: m.id,
      results: [
        resultRow('checkout::pays-by-card', 'FAILED'),
        resultRow('checkout::refunds', 'FAILED'),
        resultRow('search::finds', 'FAILED'),
        resultRow('checkout::lists', 'PASSED'),
      ],
    });
    const res = await admin('GET', `${base}/milestones/owned/tests?limit=50`);
    expect(res.status).toBe(200);
    expect(MilestoneTestsPage.safeParse(res.body).success).toBe(true);
    const owners = Object.fromEntries((res.body.tests as { key: string; owners: string[] }[]).map((t) => [t.key, t.owners]));
    expect(owners).toEqual({
      'checkout::pays-by-card': ['U0ANN'],
      'checkout::refunds': ['S0PAYMENTS'],
      'search::finds': [],
      'checkout::lists': ['S0PAYMENTS'],
    });
  });
});
