// The one milestone resolver, as both edges use it: Slack's workspace-scoped
// refs (`PROJECT/name`, a name alone) and the API's project-scoped id or name,
// with the same name-key rule and suggestions, never crossing workspaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { createMilestone } from '../../src/services/create-milestone.js';
import { createProject } from '../../src/services/create-project.js';
import type { LookupHints } from '../../src/services/lookup-hints.js';
import { findMilestone, milestoneInWorkspace, resolveMilestone, type MilestoneRef } from '../../src/services/resolve-milestone.js';
import { resolveProject } from '../../src/services/resolve-project.js';
import { setChannelProject } from '../../src/services/set-channel-project.js';
import { seedWorkspace, TEST_OPERATOR } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const HINTS: LookupHints = {
  listMilestones: 'LIST-HINT.',
  createProject: (key) => `CREATE-HINT ${key}.`,
  pickProject: 'PICK-HINT.',
};

let t: TestDatabase;
let teamA: string;
let teamB: string;
let pay: { id: string; key: string };
let mob: { id: string; key: string };
let payRelease: { id: string };
let payShared: { id: string };
let mobShared: { id: string };

/** What someone typed, split the way the Slack parser splits it. */
function ref(text: string): MilestoneRef {
  const slash = text.indexOf('/');
  const project = slash > 0 ? text.slice(0, slash).toUpperCase() : null;
  return project && /^[A-Z][A-Z0-9]{1,9}$/.test(project)
    ? { project, name: text.slice(slash + 1), raw: text }
    : { project: null, name: text, raw: text };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  t = await createTestDatabase();
  teamA = (await seedWorkspace(t, 'TA')).id;
  teamB = (await seedWorkspace(t, 'TB')).id;
  pay = await createProject(t, { workspaceId: teamA, key: 'PAY', name: 'Payments' });
  mob = await createProject(t, { workspaceId: teamA, key: 'MOB', name: 'Mobile' });
  payRelease = await createMilestone(t, { projectId: pay.id, name: 'Spring Release', actor: TEST_OPERATOR });
  payShared = await createMilestone(t, { projectId: pay.id, name: '2.4', actor: TEST_OPERATOR });
  mobShared = await createMilestone(t, { projectId: mob.id, name: '2.4', actor: TEST_OPERATOR });
  // A namesake in the other project that is archived, and one in another workspace.
  await createMilestone(t, { projectId: mob.id, name: 'Spring Release', status: 'ARCHIVED', actor: TEST_OPERATOR });
  const other = await createProject(t, { workspaceId: teamB, key: 'OPS', name: 'Operations' });
  await createMilestone(t, { projectId: other.id, name: 'Secret launch', actor: TEST_OPERATOR });
});
afterAll(async () => t?.cleanup());

describe('resolveMilestone (workspace-scoped, what someone typed)', () => {
  it('PROJECT/name, in any case, and PROJECT/id', async () => {
    expect((await resolveMilestone(t, { workspaceId: teamA, ref: ref('pay/spring release') })).id).toBe(payRelease.id);
    expect((await resolveMilestone(t, { workspaceId: teamA, ref: ref('MOB/2.4') })).id).toBe(mobShared.id);
    const byId = await resolveMilestone(t, { workspaceId: teamA, ref: ref(`PAY/${payShared.id}`) });
    expect(byId).toMatchObject({ id: payShared.id, project: { key: 'PAY' } });
  });

  it('a name alone is looked up in the channel default project first', async () => {
    await setChannelProject(t, { workspaceId: teamA, channelId: 'C-MOB', projectId: mob.id });
    expect((await resolveMilestone(t, { workspaceId: teamA, channelId: 'C-MOB', ref: ref('2.4') })).id).toBe(mobShared.id);
    await setChannelProject(t, { workspaceId: teamA, channelId: 'C-PAY', projectId: pay.id });
    expect((await resolveMilestone(t, { workspaceId: teamA, channelId: 'C-PAY', ref: ref('2.4') })).id).toBe(payShared.id);
  });

  it('a name that several projects have is ambiguous without a channel default, and the error names them', async () => {
    const err = await failure(resolveMilestone(t, { workspaceId: teamA, channelId: 'C-NONE', ref: ref('2.4'), hints: HINTS }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toContain('several projects');
    expect(err.message).toContain('`PAY/2.4`');
    expect(err.message).toContain('`MOB/2.4`');
    expect(err.message).toMatch(/PICK-HINT\.$/);
  });

  it('an archived namesake does not make a live milestone ambiguous; alone, it is still found', async () => {
    expect((await resolveMilestone(t, { workspaceId: teamA, ref: ref('spring release') })).id).toBe(payRelease.id);
    const archivedOnly = await createMilestone(t, { projectId: mob.id, name: 'Old one', status: 'ARCHIVED', actor: TEST_OPERATOR });
    expect((await resolveMilestone(t, { workspaceId: teamA, ref: ref('old one') })).id).toBe(archivedOnly.id);
  });

  it('a slash that is part of a name still finds the milestone', async () => {
    const hotfix = await createMilestone(t, { projectId: pay.id, name: 'v2/hotfix', actor: TEST_OPERATOR });
    expect((await resolveMilestone(t, { workspaceId: teamA, ref: ref('v2/hotfix') })).id).toBe(hotfix.id);
  });

  it('an unknown name gets live suggestions from the workspace, then the hint', async () => {
    const err = await failure(resolveMilestone(t, { workspaceId: teamA, ref: ref('Spring Relaese'), hints: HINTS }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe('No milestone named "Spring Relaese" in this workspace. Did you mean `PAY/Spring Release`? LIST-HINT.');
    expect(err.details).toEqual({ suggestions: [{ id: payRelease.id, projectKey: 'PAY', name: 'Spring Release' }] });
    const none = await failure(resolveMilestone(t, { workspaceId: teamA, ref: ref('zzz'), hints: HINTS }));
    expect(none.message).toBe('No milestone named "zzz" in this workspace. LIST-HINT.');
    expect(none.details).toBeUndefined();
  });

  it('an unknown milestone of a known project gets suggestions from that project only', async () => {
    const err = await failure(resolveMilestone(t, { workspaceId: teamA, ref: ref('MOB/2.4.1'), hints: HINTS }));
    expect(err.message).toBe('MOB has no milestone "2.4.1". Did you mean `MOB/2.4`? LIST-HINT.');
  });

  it('an unknown project names the projects there are', async () => {
    const err = await failure(resolveMilestone(t, { workspaceId: teamA, ref: ref('NOPE/1.0'), hints: HINTS }));
    expect(err.message).toBe('There is no project NOPE in this workspace. Projects: MOB, PAY.');
  });

  it("another workspace's milestone is not found, by PROJECT/name, by name or by id, and is never suggested", async () => {
    const byRef = await failure(resolveMilestone(t, { workspaceId: teamA, ref: ref('OPS/Secret launch') }));
    expect(byRef.message).toContain('There is no project OPS');
    const byName = await failure(resolveMilestone(t, { workspaceId: teamA, ref: ref('Secret launch') }));
    expect(byName.message).toBe('No milestone named "Secret launch" in this workspace.');
    const theirs = await resolveMilestone(t, { workspaceId: teamB, ref: ref('Secret launch') });
    const byId = await failure(milestoneInWorkspace(t, { workspaceId: teamA, milestoneId: theirs.id, hints: HINTS }));
    expect(byId.message).toBe('That milestone no longer exists in this workspace. LIST-HINT.');
    // And team B does not see team A's.
    const back = await failure(resolveMilestone(t, { workspaceId: teamB, ref: ref('2.4') }));
    expect(back.message).toBe('No milestone named "2.4" in this workspace.');
  });

  it('a channel default cannot lead outside the workspace, even if a row pointed there', async () => {
    await t.prisma.channelDefault.create({ data: { workspaceId: teamB, channelId: 'C-BAD', projectId: pay.id } });
    const err = await failure(resolveMilestone(t, { workspaceId: teamB, channelId: 'C-BAD', ref: ref('2.4') }));
    expect(err.code).toBe('NOT_FOUND');
  });
});

describe('milestoneInWorkspace (ids from buttons and modals)', () => {
  it('finds a milestone of the workspace with its project; a missing id is NOT_FOUND', async () => {
    expect(await milestoneInWorkspace(t, { workspaceId: teamA, milestoneId: payShared.id })).toMatchObject({ project: { key: 'PAY' } });
    expect((await failure(milestoneInWorkspace(t, { workspaceId: teamA, milestoneId: undefined }))).code).toBe('NOT_FOUND');
  });
});

describe('findMilestone (project-scoped, the API)', () => {
  it('by id or by name in any case, only within the project', async () => {
    expect((await findMilestone(t, { projectId: pay.id, idOrName: payShared.id })).id).toBe(payShared.id);
    expect((await findMilestone(t, { projectId: pay.id, idOrName: ' SPRING release ' })).id).toBe(payRelease.id);
    expect((await findMilestone(t, { projectId: mob.id, idOrName: '2.4' })).id).toBe(mobShared.id);
    // PAY's milestone by id is not MOB's.
    expect((await failure(findMilestone(t, { projectId: mob.id, idOrName: payShared.id }))).code).toBe('NOT_FOUND');
  });

  it("an unknown one gets the same suggestions and message as Slack's, with the caller's hint", async () => {
    const err = await failure(findMilestone(t, { projectId: pay.id, idOrName: '2.4.1', hints: HINTS }));
    expect(err.message).toBe('PAY has no milestone "2.4.1". Did you mean `PAY/2.4`? LIST-HINT.');
    expect(err.details).toEqual({ suggestions: [{ id: payShared.id, projectKey: 'PAY', name: '2.4' }] });
  });
});

describe('resolveProject', () => {
  it('by key in any case; an unknown key lists the projects, or says how to create one when there are none', async () => {
    expect((await resolveProject(t, { workspaceId: teamA, key: 'pay' })).id).toBe(pay.id);
    expect((await failure(resolveProject(t, { workspaceId: teamA, key: 'ops', hints: HINTS }))).message).toBe(
      'There is no project OPS in this workspace. Projects: MOB, PAY.',
    );
    const empty = (await seedWorkspace(t, 'TC')).id;
    expect((await failure(resolveProject(t, { workspaceId: empty, key: 'new', hints: HINTS }))).message).toBe(
      'There is no project NEW in this workspace. CREATE-HINT NEW.',
    );
  });
});
