// Many workspaces: the OAuth install at /slack/install and /slack/oauth_redirect,
// installations kept in the database, each team served with its own token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_A, TEAM_B } from '../helpers/slack-payloads.js';
import { BOT_SCOPES } from '../../src/slack/slack-paths.js';
import { seedWorkspace } from '../helpers/factories.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness({
    SLACK_BOT_TOKEN: '',
    SLACK_CLIENT_ID: '123.456',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret',
  });
  h.slack.respond('oauth.v2.access', (call) => {
    const team = call.body.code === 'code-b' ? TEAM_B : TEAM_A;
    return {
      body: {
        ok: true,
        app_id: 'A0TEST',
        authed_user: { id: team.userId },
        scope: BOT_SCOPES.join(','),
        token_type: 'bot',
        access_token: `xoxb-oauth-${team.teamId}`,
        bot_user_id: 'U0BOT',
        team: { id: team.teamId, name: `Team ${team.teamId}` },
        enterprise: null,
        is_enterprise_install: false,
      },
    };
  });
  h.slack.respond('auth.test', (call) => ({ body: { ok: true, team_id: 'T', user_id: 'U0BOT', bot_id: 'B0BOT', token: call.token } }));
});
afterAll(async () => h?.stop());

async function install(code: string) {
  const start = await fetch(`${h.url}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get('location')!);
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const state = location.searchParams.get('state')!;
  const done = await fetch(`${h.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  return { location, done };
}

describe('OAuth install', () => {
  it('/slack/install sends the person to Slack with the bot scopes of the manifest', async () => {
    const { location } = await install('code-a');
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe('123.456');
    expect(location.searchParams.get('scope')!.split(',')).toEqual([...BOT_SCOPES]);
  });

  it('the redirect stores the installation in the database, one per workspace', async () => {
    const { done } = await install('code-b');
    expect(done.status).toBe(200);
    const row = await h.db.prisma.slackInstallation.findFirstOrThrow({ where: { workspace: { slackTeamId: TEAM_B.teamId } } });
    expect(row.botToken).toBe(`xoxb-oauth-${TEAM_B.teamId}`);
    expect(JSON.parse(row.installation)).toMatchObject({ team: { id: TEAM_B.teamId }, bot: { token: `xoxb-oauth-${TEAM_B.teamId}` } });
    // Installing again updates, it does not duplicate.
    await install('code-b');
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
