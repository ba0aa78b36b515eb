// Many workspaces: the OAuth install at /slack/install and /slack/oauth_redirect,
// installations kept in the database, each team served with its own token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_A, TEAM_B } from '../helpers/slack-payloads.js';
import { BOT_SCOPES } from '../../src/slack/slack-paths.js';
import { seedWorkspace } from '../helpers/factories.js';
import { startOAuthHarness, textOf, type OAuthHarness } from './slack-harness.js';

let h: OAuthHarness;

beforeAll(async () => {
  h = await startOAuthHarness();
});
afterAll(async () => h?.stop());

describe('OAuth install', () => {
  it('/slack/install sends the person to Slack with the bot scopes of the manifest', async () => {
    const { location } = await h.install(TEAM_A);
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe('123.456');
    expect(location.searchParams.get('scope')!.split(',')).toEqual([...BOT_SCOPES]);
  });

  it('the redirect stores the installation in the database, one per workspace', async () => {
    const { done } = await h.install(TEAM_B);
    expect(done.status).toBe(200);
    const row = await h.db.prisma.slackInstallation.findFirstOrThrow({ where: { workspace: { slackTeamId: TEAM_B.teamId } } });
    expect(row.botToken).toBe(`xoxb-oauth-${TEAM_B.teamId}`);
    expect(JSON.parse(row.installation)).toMatchObject({ team: { id: TEAM_B.teamId }, bot: { token: `xoxb-oauth-${TEAM_B.teamId}` } });
    // Installing again updates, it does not duplicate.
    await h.install(TEAM_B);
    expect(await h.db.prisma.slackInstallation.count({ where: { workspace: { slackTeamId: TEAM_B.teamId } } })).toBe(1);
  });

  it("each team's requests and notifications use that team's own token", async () => {
    await h.command(TEAM_A, 'project create AAA Alpha').then((r) => r.reply());
    await h.command(TEAM_B, 'project create BBB Beta').then((r) => r.reply());
    h.slack.reset();
    await h.command(TEAM_B, 'create 1.0');
    expect((await h.slack.waitFor('views.open')).token).toBe(`xoxb-oauth-${TEAM_B.teamId}`);
    h.slack.reset();
    await h.command(TEAM_A, 'create 1.0');
    const open = await h.slack.waitFor('views.open');
    expect(open.token).toBe(`xoxb-oauth-${TEAM_A.teamId}`);
    expect(textOf(open.body.view)).toContain('AAA');
    expect(textOf(open.body.view)).not.toContain('BBB');

    const wsB = await h.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: TEAM_B.teamId } });
    h.slack.reset();
    await h.notifier.post({ workspaceId: wsB.id, channel: 'C1', text: 'hello B' });
    expect(h.slack.callsTo('chat.postMessage')[0]!.token).toBe(`xoxb-oauth-${TEAM_B.teamId}`);
  });

  it('a workspace without an installation cannot be posted to', async () => {
    const ws = await seedWorkspace(h.db, 'T0NOTINST');
    await expect(h.notifier.post({ workspaceId: ws.id, channel: 'C1', text: 'x' })).rejects.toThrow(/not installed/);
  });
});
