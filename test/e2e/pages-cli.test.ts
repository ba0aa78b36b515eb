// The readiness page and badge from the command line, as built, against the
// test database: `milestone show --link` prints a link that opens that
// milestone (and needs PUBLIC_URL), `project badge KEY on|off` turns the badge
// on and prints README markdown, `project rotate-link-secret KEY` revokes links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMilestoneLink } from '../../src/services/milestone-link.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';
import { seedPageMilestone } from '../helpers/page-seed.js';

const PUBLIC_URL = 'https://shipgate.example.com/sg';
let t: TestDatabase;
let seeded: Awaited<ReturnType<typeof seedPageMilestone>>;
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { DATABASE_URL: t.url, ...extra });
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

beforeAll(async () => {
  t = await createTestDatabase();
  seeded = await seedPageMilestone(t);
});
afterAll(async () => t?.cleanup());

describe(`shipgate milestone show --link (${testProvider()})`, () => {
  it('prints a signed link to the readiness page of that milestone, good for 7 days', async () => {
    const before = Date.now();
    const r = await cli(['milestone', 'show', 'PAY/2.4', '--link'], { PUBLIC_URL });
    expect(r.code).toBe(0);
    const match = /\nReadiness page: (\S+)\n\(works until (\d{4}-\d\d-\d\d \d\d:\d\d) UTC\)\n$/.exec(r.stdout);
    expect(match, r.stdout).not.toBeNull();
    const url = match![1]!;
    expect(url.startsWith(`${PUBLIC_URL}/m/${seeded.milestone.id}.`)).toBe(true);
    const opened = await openMilestoneLink(t, tokenOf(url));
    expect(opened.milestoneId).toBe(seeded.milestone.id);
    const lifetime = Date.parse(opened.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(7 * 86_400_000 + 60_000);
  });

  it('REPORT_LINK_DAYS sets how long it lasts; --json carries it', async () => {
    const r = await cli(['milestone', 'show', 'PAY/2.4', '--link', '--json'], { PUBLIC_URL, REPORT_LINK_DAYS: '2' });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.readiness.verdict).toBe('NO_GO');
    expect(body.link.url.startsWith(`${PUBLIC_URL}/m/`)).toBe(true);
    expect(Date.parse(body.link.expiresAt) - Date.now()).toBeLessThanOrEqual(2 * 86_400_000);
    expect(Date.parse(body.link.expiresAt) - Date.now()).toBeGreaterThan(2 * 86_400_000 - 60_000);
  });

  it('without PUBLIC_URL it says what to set, exit 2, and prints nothing else', async () => {
    const r = await cli(['milestone', 'show', 'PAY/2.4', '--link']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--link needs PUBLIC_URL: the address people reach the Shipgate server at, e\.g\. PUBLIC_URL=https:/);
    const bad = await cli(['milestone', 'show', 'PAY/2.4', '--link'], { PUBLIC_URL: 'shipgate.example.com' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/PUBLIC_URL: must be the URL people reach this server at/);
  });
});

describe(`shipgate project rotate-link-secret (${testProvider()})`, () => {
  it('revokes every link issued so far; a new one works', async () => {
    const old = /Readiness page: (\S+)/.exec((await cli(['milestone', 'show', 'PAY/2.4', '--link'], { PUBLIC_URL })).stdout)![1]!;
    const r = await cli(['project', 'rotate-link-secret', 'pay']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Every link to a readiness page of PAY issued before now stops working; new links work.\n');
    await expect(openMilestoneLink(t, tokenOf(old))).rejects.toMatchObject({ code: 'FORBIDDEN', details: { reason: 'invalid' } });
    const fresh = /Readiness page: (\S+)/.exec((await cli(['milestone', 'show', 'PAY/2.4', '--link'], { PUBLIC_URL })).stdout)![1]!;
    await expect(openMilestoneLink(t, tokenOf(fresh))).resolves.toMatchObject({ milestoneId: seeded.milestone.id });
    const typo = await cli(['project', 'rotate-link-secret', 'PYA']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/There is no project PYA in this workspace\. Projects: PAY\./);
  });
});

describe(`shipgate project badge (${testProvider()})`, () => {
  const badgeOn = async () => (await t.prisma.project.findUniqueOrThrow({ where: { id: seeded.project.id } })).badgeEnabled;

  it('turns the badge on and prints README markdown for each active milestone; off again', async () => {
    const on = await cli(['project', 'badge', 'PAY', 'on'], { PUBLIC_URL });
    expect(on.code).toBe(0);
    expect(await badgeOn()).toBe(true);
    expect(on.stdout).toContain(`  ![PAY/2.4](${PUBLIC_URL}/badge/PAY/2.4.svg)\n`);
    expect(on.stdout).toContain(
      `![PAY/2.4](https://img.shields.io/endpoint?url=${encodeURIComponent(`${PUBLIC_URL}/badge/PAY/2.4.json`)})`,
    );
    const off = await cli(['project', 'badge', 'PAY', 'off']);
    expect(off.code).toBe(0);
    expect(off.stdout).toBe('The badge of PAY is off: /badge/PAY/… answers 404.\n');
    expect(await badgeOn()).toBe(false);
  });

  it('without PUBLIC_URL says where the badge is and how to have the addresses printed', async () => {
    const on = await cli(['project', 'badge', 'PAY', 'on']);
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/public at \/badge\/PAY\/<milestone>\.svg and \.json\.\nSet PUBLIC_URL/);
    await cli(['project', 'badge', 'PAY', 'off']);
  });

  it('refuses anything but on or off, exit 2, changing nothing', async () => {
    const r = await cli(['project', 'badge', 'PAY', 'yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected on or off/);
    expect(await badgeOn()).toBe(false);
  });

  it('has --help', async () => {
    for (const args of [
      ['project', 'badge', '--help'],
      ['project', 'rotate-link-secret', '--help'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: shipgate project /);
    }
  });
});
