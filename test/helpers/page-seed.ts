// A milestone with everything the readiness page shows, made through the use
// cases: runs in two environments where some tests passed first and then
// failed (so "failing since" names a later run), a defect linked to Jira, a
// waived one, and a rejecting sign-off with a comment; with `owned`, owner
// rules for the failing tests' suites and a quarantine of one failing test. `words` names the
// texts, so a test can put hostile strings in every field people or CI control.
// The page tests, the browser test and bench/page.ts share it.
import type { ServiceDeps } from '../../src/services/service-deps.js';
import { reportDefect } from '../../src/services/report-defect.js';
import { signOff } from '../../src/services/sign-off.js';
import { updateDefect } from '../../src/services/update-defect.js';
import { setOwnerRules } from '../../src/services/set-owner-rules.js';
import { quarantineTest } from '../../src/services/quarantine-test.js';
import { resultRow, seedMilestone, seedProject, seedRun } from './factories.js';

export interface PageSeedWords {
  milestone: string;
  /** Each failing test's title; its key is `<suite>::<title>-<i>`. */
  testTitle: string;
  message: string;
  defect: string;
  comment: string;
  environment: string;
  runName: string;
}

export const PLAIN_WORDS: PageSeedWords = {
  milestone: '2.4',
  testTitle: 'checkout total',
  message: 'Expected total 42.00 but was 41.99\n  at checkout.spec.ts:12',
  defect: 'Checkout rounds totals down',
  comment: 'Totals are wrong in staging; fix the rounding first.',
  environment: 'staging',
  runName: 'nightly',
};

export interface PageSeedOptions {
  projectKey?: string;
  teamId?: string;
  /** Failing (case, environment) pairs in all: half in each environment. */
  failing?: number;
  /** Passing ones besides. */
  passing?: number;
  words?: Partial<PageSeedWords>;
  /**
   * Owner rules (suite0::* to @U0ALICE and the group @S0PAYMENTS, every other suite to @U0BOB) and a
   * quarantine of `suite1::<testTitle>-1` (a reason from `words.comment`, 14 days): off by default,
   * as they change the pass rate.
   */
  owned?: boolean;
}

export async function seedPageMilestone(deps: ServiceDeps, o: PageSeedOptions = {}) {
  const w = { ...PLAIN_WORDS, ...o.words };
  const key = o.projectKey ?? 'PAY';
  const { workspace, project } = await seedProject(deps, key, { teamId: o.teamId });
  const milestone = await seedMilestone(deps, project.id, w.milestone, { gate: { requiredSignoffs: 1 } });
  const failing = o.failing ?? 3;
  const passing = o.passing ?? 5;
  const perEnv = Math.ceil(failing / 2);
  const envs = [w.environment, 'production'];
  const start = Date.now() - 3 * 3_600_000;
  for (const [e, environment] of envs.entries()) {
    const n = e === 0 ? perEnv : failing - perEnv;
    const failKeys = Array.from({ length: n }, (_, i) => `suite${i % 7}::${w.testTitle}-${i}`);
    const passKeys = Array.from({ length: passing }, (_, i) => `suite${i % 7}::passes-${i}`);
    // First every test passes, then the failing ones fail: failing since the second run.
    await seedRun(deps, {
      projectId: project.id,
      milestoneId: milestone.id,
      environment,
      name: `${w.runName} ${environment} 1`,
      startedAt: new Date(start + e * 60_000),
      results: [...failKeys, ...passKeys].map((k) => resultRow(k, 'PASSED', { title: titleOf(k) })),
    });
    await seedRun(deps, {
      projectId: project.id,
      milestoneId: milestone.id,
      environment,
      name: `${w.runName} ${environment} 2`,
      startedAt: new Date(start + 3_600_000 + e * 60_000),
      results: [
        ...failKeys.map((k, i) => resultRow(k, 'FAILED', { title: titleOf(k), message: `${w.message} #${i}`, critical: i === 0 })),
        ...passKeys.map((k) => resultRow(k, 'PASSED', { title: titleOf(k) })),
      ],
    });
  }
  const linked = await reportDefect(deps, { projectId: project.id, milestoneId: milestone.id, title: w.defect, severity: 'HIGH' });
  // As the Jira outbox leaves a confirmed link (Jira itself is not part of these tests).
  await deps.db.prisma.defect.update({
    where: { id: linked.id },
    data: { jiraKey: 'PAY-7', jiraUrl: 'https://jira.example/browse/PAY-7', jiraStatus: 'In Progress', jiraSync: 'LINKED' },
  });
  const waived = await reportDefect(deps, {
    projectId: project.id,
    milestoneId: milestone.id,
    title: `${w.defect} (minor)`,
    severity: 'LOW',
  });
  const until = new Date(deps.now().getTime() + 30 * 86_400_000).toISOString();
  await updateDefect(deps, {
    projectId: project.id,
    defectId: waived.id,
    patch: { waiver: { reason: w.comment, until } },
    actor: { type: 'slack', userId: 'U0LEAD', teamId: null },
  });
  await signOff(deps, {
    milestoneId: milestone.id,
    actor: { type: 'slack', userId: 'U0QA', teamId: null },
    decision: 'REJECT',
    comment: w.comment,
  });
  const lead = { type: 'slack' as const, userId: 'U0LEAD', teamId: null };
  const quarantinedKey = `suite1::${w.testTitle}-1`;
  if (o.owned) {
    await setOwnerRules(deps, {
      projectId: project.id,
      rules: [
        { pattern: 'suite*', owners: ['U0BOB'] },
        { pattern: 'suite0::*', owners: ['U0ALICE', 'S0PAYMENTS'] },
      ],
      actor: lead,
    });
    const until = new Date(deps.now().getTime() + 14 * 86_400_000).toISOString();
    await quarantineTest(deps, { projectId: project.id, caseKey: quarantinedKey, reason: w.comment, until, actor: lead });
  }
  return { workspace, project, milestone, words: w, firstFailingTitle: `${w.testTitle}-0`, quarantinedKey };
}

function titleOf(key: string): string {
  return key.slice(key.indexOf('::') + 2);
}
