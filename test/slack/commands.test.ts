// Every /milestone subcommand through the real Bolt app over signed HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/services/create-api-key.js';
import { TEAM_A } from '../helpers/slack-payloads.js';
import { seedMilestone, seedProject, seedRun, seedWorkspace } from '../helpers/factories.js';
import { BOT_TOKEN, startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;
let pay: { id: string };
let m24: { id: string };
let mob: { id: string };

beforeAll(async () => {
  h = await startSlackHarness({ DIGEST_TIME: '08:30', DIGEST_TZ: 'Europe/Paris' });
  pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments' })).project;
  mob = (await seedProject(h.db, 'MOB', { teamId: TEAM_A.teamId, name: 'Mobile' })).project;
  m24 = await seedMilestone(h.db, pay.id, '2.4', { dueDate: '2099-01-31' });
  await seedRun(h.db, { projectId: pay.id, milestoneId: m24.id, passed: 8, failed: 2 });
});
afterAll(async () => h?.stop());

async function reply(text: string) {
  const r = await h.command(TEAM_A, text);
  expect(r.ack.status).toBe(200);
  return textOf(await r.reply());
}

describe('help and mistakes (answered on the ack itself)', () => {
  it('no text and `help` show every subcommand', async () => {
    for (const text of ['', 'help']) {
      const { ack } = await h.command(TEAM_A, text);
      expect(ack.status).toBe(200);
      expect(ack.json).toMatchObject({ response_type: 'ephemeral' });
      for (const sub of [
        'create',
        'list',
        'status',
        'link',
        'scope',
        'defect',
        'signoff',
        'complete',
        'reopen',
        'archive',
        'subscribe',
        'unsubscribe',
        'project create',
        'project jira',
        'project use',
        'apikey create',
        'apikey list',
        'apikey revoke',
      ]) {
        expect(textOf(ack.json)).toContain(`/milestone ${sub}`);
      }
    }
  });

  it('an unknown subcommand says so and points at help', async () => {
    const { ack } = await h.command(TEAM_A, 'frobnicate PAY');
    expect(ack.json).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(ack.json)).toContain("I don't know the subcommand `frobnicate`");
    expect(textOf(ack.json)).toContain('/milestone help');
  });

  it('a NUL character is refused on the ack, before anything is looked up or stored', async () => {
    const before = await h.db.prisma.milestone.count();
    for (const text of ['create 2.9\u0000beta', 'status PAY/2.4\u0000', 'project create N\u0000UL Nul']) {
      const { ack } = await h.command(TEAM_A, text);
      expect(ack.status).toBe(200);
      expect(ack.json).toMatchObject({ response_type: 'ephemeral' });
      expect(textOf(ack.json)).toContain('NUL character (U+0000)');
    }
    expect(await h.db.prisma.milestone.count()).toBe(before);
    expect(await h.db.prisma.project.count({ where: { key: { startsWith: 'N' } } })).toBe(0);
  });

  it('a missing argument shows the right form', async () => {
    const { ack } = await h.command(TEAM_A, 'status');
    expect(textOf(ack.json)).toContain('needs a milestone');
    expect(textOf(ack.json)).toContain('/milestone status &lt;PROJECT/name or name&gt;');
  });
});

describe('status: milestone naming', () => {
  it('PROJECT/name posts the readiness card to the channel with the bot token', async () => {
    h.slack.reset();
    await h.command(TEAM_A, 'status PAY/2.4');
    const post = await h.slack.waitFor('chat.postMessage');
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.body.channel).toBe(TEAM_A.channelId);
    const card = textOf(post.body.blocks);
    expect(card).toContain('PAY/2.4');
    expect(card).toContain('80% (8/10)');
    expect(card).toContain('NO-GO');
  });

  it('a name alone works while it is unique in the workspace', async () => {
    h.slack.reset();
    await h.command(TEAM_A, 'status 2.4');
    expect(textOf((await h.slack.waitFor('chat.postMessage')).body.blocks)).toContain('PAY/2.4');
  });

  it('an ambiguous name asks which project, until the channel has a default', async () => {
    await seedMilestone(h.db, mob.id, '2.4');
    const text = await reply('status 2.4');
    expect(text).toContain('several projects');
    expect(text).toContain('PAY/2.4');
    expect(text).toContain('MOB/2.4');
    expect(await reply('project use MOB')).toContain("MOB* is now this channel's default");
    h.slack.reset();
    await h.command(TEAM_A, 'status 2.4');
    expect(textOf((await h.slack.waitFor('chat.postMessage')).body.blocks)).toContain('MOB/2.4');
    await reply('project use PAY');
  });

  it('names may contain spaces and are case-insensitive', async () => {
    await seedMilestone(h.db, pay.id, 'Spring Release 2');
    h.slack.reset();
    await h.command(TEAM_A, 'status pay/spring release 2');
    expect(textOf((await h.slack.waitFor('chat.postMessage')).body.blocks)).toContain('PAY/Spring Release 2');
  });

  it('an unknown milestone or project gets a way out', async () => {
    expect(await reply('status PAY/9.9')).toContain('PAY has no milestone \\"9.9\\"');
    expect(await reply('status NOPE/1.0')).toContain('There is no project NOPE');
    expect(await reply('status nothing-like-this')).toContain('No milestone named \\"nothing-like-this\\"');
  });

  it('falls back to an ephemeral card when the bot is not in a private channel', async () => {
    h.slack.reset();
    h.slack.respond('chat.postMessage', () => ({ body: { ok: false, error: 'not_in_channel' } }));
    const r = await h.command(TEAM_A, 'status PAY/2.4');
    const shown = await r.reply();
    expect(shown.response_type).toBe('in_channel');
    expect(textOf(shown.blocks)).toContain('PAY/2.4');
    h.slack.reset();
  });
});

describe('list', () => {
  it('shows active milestones with verdict, pass rate and due date; `all` adds the rest', async () => {
    const archived = await seedMilestone(h.db, pay.id, 'old', { status: 'ARCHIVED' });
    const text = await reply('list PAY');
    expect(text).toContain('PAY/2.4');
    expect(text).toContain('80% (8/10)');
    expect(text).toContain('2099-01-31');
    expect(text).not.toContain('PAY/old');
    expect(await reply('list all')).toContain('PAY/old');
    expect(await reply('list NOPE')).toContain('There is no project NOPE');
    expect(archived.status).toBe('ARCHIVED');
  });
});

describe('modals from commands', () => {
  it.each([
    ['create 2.6 beta', 'create_milestone'],
    ['link PAY/2.4', 'link_run'],
    ['defect PAY/2.4', 'report_defect'],
    ['signoff PAY/2.4', 'sign_off'],
    ['scope PAY/2.4', 'scope_milestone'],
  ])('`%s` opens the %s modal with the trigger id', async (text, callbackId) => {
    h.slack.reset();
    await h.command(TEAM_A, text);
    const open = await h.slack.waitFor('views.open');
    expect(open.body.trigger_id).toMatch(/^trigger\./);
    expect((open.body.view as { callback_id: string }).callback_id).toBe(callbackId);
  });

  it('create prefills the name and the channel default project', async () => {
    h.slack.reset();
    await h.command(TEAM_A, 'create 2.6 beta');
    const view = textOf((await h.slack.waitFor('views.open')).body.view);
    expect(view).toContain('"initial_value":"2.6 beta"');
    expect(view).toContain(`"initial_option":{"text":{"type":"plain_text","text":"PAY — Payments","emoji":true},"value":"${pay.id}"}`);
  });

  it('scope fills in how many cases match after opening', async () => {
    h.slack.reset();
    await h.command(TEAM_A, 'scope PAY/2.4');
    const update = await h.slack.waitFor('views.update');
    expect(textOf(update.body.view)).toContain('The project has 10 test cases');
  });
});

describe('lifecycle', () => {
  it('complete on a NO_GO milestone asks for an override reason; a GO one completes at once', async () => {
    h.slack.reset();
    await h.command(TEAM_A, 'complete PAY/2.4');
    const open = await h.slack.waitFor('views.open');
    expect(textOf(open.body.view)).toContain('override_reason');
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: m24.id } })).status).toBe('ACTIVE');

    const green = await seedMilestone(h.db, pay.id, '2.5');
    await seedRun(h.db, { projectId: pay.id, milestoneId: green.id, passed: 10 });
    expect(await reply('complete PAY/2.5')).toContain('completed');
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: green.id } })).status).toBe('COMPLETED');
    expect(await reply('complete PAY/2.5')).toContain('already completed');
    expect(await reply('reopen PAY/2.5')).toContain('reopened');
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: green.id } })).status).toBe('ACTIVE');
    expect(await reply('reopen PAY/2.5')).toContain('already active');
    expect(await reply('archive PAY/2.5')).toContain('archived');
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: green.id } })).status).toBe('ARCHIVED');
  });
});

describe('subscribe / unsubscribe', () => {
  it('defaults the time and zone from DIGEST_TIME/DIGEST_TZ', async () => {
    expect(await reply('subscribe PAY')).toContain('every day at *08:30 Europe/Paris*');
    const sub = await h.db.prisma.subscription.findFirstOrThrow({ where: { channelId: TEAM_A.channelId, projectId: pay.id } });
    expect(sub).toMatchObject({ digestTime: '08:30', timeZone: 'Europe/Paris', milestoneId: null, weekdaysOnly: false });
  });

  it('takes a milestone, a time, a zone and weekdays; subscribing again changes what it names and keeps the rest', async () => {
    expect(await reply('subscribe PAY/2.4 17:30 America/New_York weekdays')).toContain(
      'Subscribed: this channel gets the go/no-go digest of *PAY/2.4* on weekdays at *17:30 America/New_York*',
    );
    expect(await reply('subscribe PAY/2.4 7:15')).toContain(
      'Updated: this channel gets the go/no-go digest of *PAY/2.4* on weekdays at *07:15 America/New_York*',
    );
    let subs = await h.db.prisma.subscription.findMany({ where: { milestoneId: m24.id } });
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ digestTime: '07:15', timeZone: 'America/New_York', weekdaysOnly: true });
    expect(await reply('subscribe PAY/2.4 daily')).toContain('every day at *07:15 America/New_York*');
    subs = await h.db.prisma.subscription.findMany({ where: { milestoneId: m24.id } });
    expect(subs.map((s) => s.weekdaysOnly)).toEqual([false]);
  });

  it('refuses a bad time or zone, saying what works', async () => {
    const bad = await h.command(TEAM_A, 'subscribe PAY 25:00');
    expect(textOf(bad.ack.json)).toContain('not a time of day');
    const zone = await h.command(TEAM_A, 'subscribe PAY 09:00 Mars/Olympus');
    expect(textOf(zone.ack.json)).toContain('not a time zone');
  });

  it('subscribe alone lists this channel’s digests', async () => {
    const listed = await reply('subscribe');
    expect(listed).toContain('*PAY* every day at 08:30 Europe/Paris');
    expect(listed).toContain('*PAY/2.4* every day at 07:15 America/New_York');
  });

  it('unsubscribe removes it, and says when there is nothing to remove', async () => {
    expect(await reply('unsubscribe PAY')).toContain('Unsubscribed');
    expect(await h.db.prisma.subscription.count({ where: { projectId: pay.id } })).toBe(0);
    expect(await reply('unsubscribe PAY')).toContain('nothing to unsubscribe');
  });
});

describe('project', () => {
  it('create makes the project (and the channel default when there is none); a taken key is refused', async () => {
    const other = { ...TEAM_A, channelId: 'C0NEWCHAN' };
    const r = await h.command(other, 'project create WEB Web shop');
    expect(textOf(await r.reply())).toContain("set as this channel's default");
    const ws = await seedWorkspace(h.db, TEAM_A.teamId);
    const web = await h.db.prisma.project.findUniqueOrThrow({ where: { workspaceId_key: { workspaceId: ws.id, key: 'WEB' } } });
    expect(web).toMatchObject({ name: 'Web shop', slackChannelId: 'C0NEWCHAN' });
    expect(await h.db.prisma.channelDefault.findFirst({ where: { channelId: 'C0NEWCHAN' } })).toMatchObject({ projectId: web.id });
    expect(await reply('project create WEB Again')).toContain('already exists');
    expect(await reply('project create w Bad')).toContain('project key');
  });

  it('jira maps the project to a Jira project key', async () => {
    expect(await reply('project jira PAY PAYJ')).toContain('PAYJ');
    expect((await h.db.prisma.project.findUniqueOrThrow({ where: { id: pay.id } })).jiraProjectKey).toBe('PAYJ');
    const bad = await h.command(TEAM_A, 'project jira PAY not-a-key!');
    expect(textOf(bad.ack.json)).toContain('not a Jira project key');
  });

  it('use needs an existing project', async () => {
    expect(await reply('project use NOPE')).toContain('There is no project NOPE');
  });
});

describe('apikey', () => {
  it('create shows the key once, ephemerally; only its hash is stored', async () => {
    const r = await h.command(TEAM_A, 'apikey create PAY');
    const shown = await r.reply();
    expect(shown.response_type).toBe('ephemeral');
    const key = /sg_[A-Za-z0-9_-]+/.exec(textOf(shown))![0];
    const row = await h.db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(key) } });
    expect(row.projectId).toBe(pay.id);
    expect(row.createdBy).toBe(TEAM_A.userId);
    expect(row.scope).toBe('report');
    expect(textOf(shown)).toContain('report: runs, results and defects; it cannot change a gate');

    const listed = await reply('apikey list PAY');
    expect(listed).toContain(`\`${row.prefix}…\` report`);
    expect(listed).toContain(row.id);
    expect(listed).toContain(row.prefix);
    expect(listed).not.toContain(key);

    expect(await reply(`apikey revoke ${row.id}`)).toContain('revoked');
    expect((await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();
    expect(await reply('apikey list PAY')).toContain('no active CI keys');
    expect(await reply(`apikey revoke ${row.id}`)).toContain('already revoked');
  });

  it('create with a scope makes a key of that scope', async () => {
    const shown = textOf(await (await h.command(TEAM_A, 'apikey create PAY admin')).reply());
    expect(shown).toContain('admin: it can change gates, lifecycle and defect status');
    const key = /sg_[A-Za-z0-9_-]+/.exec(shown)![0];
    expect((await h.db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(key) } })).scope).toBe('admin');
    expect(textOf((await h.command(TEAM_A, 'apikey create PAY owner')).ack.json)).toContain('`owner` is not a key scope');
  });

  it('mistakes get the right form', async () => {
    expect(await reply('apikey revoke nope')).toContain('No API key with id nope');
    expect(textOf((await h.command(TEAM_A, 'apikey create')).ack.json)).toContain(
      '/milestone apikey create &lt;KEY&gt; [report|read|admin]',
    );
    expect(textOf((await h.command(TEAM_A, 'apikey rotate PAY')).ack.json)).toContain("I don't know `apikey rotate`");
    expect(await reply('apikey list NOPE')).toContain('There is no project NOPE');
  });
});
