// The readiness page in a real browser (Debian's Chromium, driven by
// playwright-core), served by `shipgate serve` as a process: opened from the
// link `shipgate milestone show --link` prints, it shows the verdict and the
// failing tests, its filter box filters (by keyboard too), axe-core finds no
// accessibility violation (light, dark, phone), it fits 375 px without
// horizontal scrolling, and screenshots at desktop width and 375 px are saved
// under test-artifacts/. An expired or altered link shows the 403 page.
// Without /usr/bin/chromium the test is skipped with a message; `.ci/run`
// installs Chromium and sets SHIPGATE_REQUIRE_BROWSER=1, so there it never skips.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signLinkToken } from '../../src/domain/link-token.js';
import { repoPath } from '../helpers/fixtures.js';
import { seedPageMilestone } from '../helpers/page-seed.js';
import { runCli } from '../helpers/run-cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { waitUntil } from '../helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ARTIFACTS = repoPath('test-artifacts');
export const SCREENSHOTS = {
  desktop: `${ARTIFACTS}/readiness-page-desktop.png`,
  phone: `${ARTIFACTS}/readiness-page-375px.png`,
  phoneTests: `${ARTIFACTS}/readiness-page-375px-failing-tests.png`,
  expired: `${ARTIFACTS}/readiness-page-expired.png`,
};

if (!hasChromium) {
  const why = `${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) to run the readiness page's browser test`;
  if (process.env.SHIPGATE_REQUIRE_BROWSER) throw new Error(`${why} (SHIPGATE_REQUIRE_BROWSER is set, so it may not be skipped)`);
  console.warn(`[skipped] ${why}.`);
}

const FAILING = 40;
// A test title with markup in it: the browser must show it as text.
const HOSTILE_TITLE = '<img src=x onerror=alert(1)> total';

/** axe-core's violations as `id (impact): first target`, for a readable failure. */
const AXE_RUN = `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.length + ' node(s), first ' + JSON.stringify(v.nodes[0] && v.nodes[0].target)))`;

describe.skipIf(!hasChromium)(`the readiness page in Chromium (${testProvider()})`, () => {
  let t: TestDatabase;
  let server: ServerProcess;
  let browser: Browser;
  let seeded: Awaited<ReturnType<typeof seedPageMilestone>>;
  let link = '';
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  async function open(url: string, width: number, colorScheme: 'light' | 'dark' = 'light') {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
    contexts.push(context);
    const page = await context.newPage();
    // CSP violations and script errors are reported here: the page's own style and script must pass its policy.
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(url);
    return { page, status: response?.status() };
  }

  async function axeViolations(page: Page): Promise<string[]> {
    const source = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
    await page.evaluate(source);
    return page.evaluate<string[]>(AXE_RUN);
  }

  const visibleRows = (page: Page) => page.locator('#failing-tests tbody tr:visible').count();
  const horizontalOverflow = (page: Page) =>
    page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestDatabase();
    seeded = await seedPageMilestone(t, {
      failing: FAILING,
      owned: true,
      words: {
        message:
          'AssertionError: expected https://payments.example.com/api/v2/checkout/sessions/cs_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ/confirm to answer 200, got 500\n    at Object.<anonymous> (test/checkout.spec.ts:12:5)',
      },
    });
    await t.prisma.testCase.updateMany({ where: { key: { endsWith: '-1' } }, data: { title: HOSTILE_TITLE } });
    server = await startServerProcess({ DATABASE_URL: t.url, SCHEDULES: 'off' });
    const shown = await runCli(['milestone', 'show', 'PAY/2.4', '--link'], { DATABASE_URL: t.url, PUBLIC_URL: server.url });
    expect(shown.code, shown.stderr).toBe(0);
    link = /Readiness page: (\S+)/.exec(shown.stdout)![1]!;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    if (server?.child.exitCode === null) await server.stop();
    await t?.cleanup();
  });

  it('opens from the signed link: the verdict, every failing test, markup in a name shown as text', async () => {
    expect(link.startsWith(`${server.url}/m/`)).toBe(true);
    const { page, status } = await open(link, 1280);
    expect(status).toBe(200);
    await expect(page.title()).resolves.toBe('PAY/2.4: NO-GO · Shipgate');
    expect(await page.locator('#verdict').textContent()).toBe('NO-GO');
    expect(await page.locator('#failing-tests tbody tr').count()).toBe(FAILING);
    expect(await page.getByText('checkout total-0', { exact: true }).count()).toBe(2); // one per environment
    expect(await page.getByText(HOSTILE_TITLE, { exact: true }).count()).toBe(2);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('#trend img').getAttribute('alt')).toMatch(/^Pass rate \(line\) and open blockers/);
    expect(await page.locator('a[href="https://jira.example/browse/PAY-7"]').textContent()).toBe('PAY-7');
    // Owners as plain @ids, the quarantined case's quarantine, the audit trail.
    const first = page.locator('#failing-tests tbody tr').first();
    expect(await first.locator('td[data-label="Owners"]').textContent()).toBe('@U0ALICE, @S0PAYMENTS');
    const quarantined = page.locator('#failing-tests tbody tr', { has: page.locator('td[data-label="Quarantine"] .pill') });
    expect(await quarantined.count()).toBe(2); // one case, in both environments
    expect(await quarantined.first().locator('.sub.mono').textContent()).toBe(seeded.quarantinedKey);
    expect(await quarantined.first().locator('td[data-label="Quarantine"]').textContent()).toContain(seeded.words.comment);
    expect(await page.locator('#audit tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: SCREENSHOTS.desktop, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('the filter box filters the failing tests as one types, by keyboard, and says how many are shown', async () => {
    const { page } = await open(link, 1280);
    // The first Tab reaches the skip link; Enter on it moves to the failing tests.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to the failing tests');
    await page.keyboard.press('Enter');
    expect(page.url().endsWith('#tests')).toBe(true);
    await page.locator('#filter').focus();
    await page.keyboard.type('total-13');
    expect(await visibleRows(page)).toBe(2);
    expect(await page.locator('#filter-count').textContent()).toBe(`2 of ${FAILING} shown`);
    await page.keyboard.type('x');
    expect(await visibleRows(page)).toBe(0);
    await page.locator('#filter').fill('@s0payments');
    expect(await visibleRows(page)).toBe(6); // suite0's failing tests (0, 7, 14) in each environment
    await page.locator('#filter').fill('production');
    expect(await visibleRows(page)).toBe(FAILING / 2);
    await page.locator('#filter').fill('');
    expect(await visibleRows(page)).toBe(FAILING);
    expect(await page.locator('#filter-count').textContent()).toBe('');
    expect(errors).toEqual([]);
  });

  it('axe-core finds no accessibility violation, in light and dark, at desktop width and 375 px', async () => {
    for (const [width, scheme] of [
      [1280, 'light'],
      [1280, 'dark'],
      [375, 'light'],
      [375, 'dark'],
    ] as const) {
      const { page } = await open(link, width, scheme);
      expect(await axeViolations(page), `${width} px, ${scheme}`).toEqual([]);
    }
  });

  it('fits a 375 px phone without horizontal scrolling', async () => {
    const { page } = await open(link, 375);
    expect(await horizontalOverflow(page)).toBe(0);
    await page.screenshot({ path: SCREENSHOTS.phone });
    await page.locator('#tests').scrollIntoViewIfNeeded();
    await page.evaluate("document.getElementById('tests').scrollIntoView()");
    await page.screenshot({ path: SCREENSHOTS.phoneTests });
    // And with a long unbroken message and key filtered into view.
    await page.locator('#filter').fill('total-1');
    expect(await horizontalOverflow(page)).toBe(0);
  });

  it('an expired link shows the 403 page; so does an altered one', async () => {
    const project = await t.prisma.project.findUniqueOrThrow({ where: { id: seeded.project.id } });
    const expired = signLinkToken(project.linkSecret!, seeded.milestone.id, new Date(Date.now() - 60_000));
    const gone = await open(`${server.url}/m/${expired}`, 375);
    expect(gone.status).toBe(403);
    expect(await gone.page.locator('h1').textContent()).toBe('This link has expired');
    expect(await gone.page.locator('main').textContent()).toMatch(/Ask for a new link: the Open report button/);
    expect(await axeViolations(gone.page)).toEqual([]);
    await gone.page.screenshot({ path: SCREENSHOTS.expired });
    const altered = await open(`${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`, 1280);
    expect(altered.status).toBe(403);
    expect(await altered.page.locator('h1').textContent()).toBe('This link is not valid');
    // The browser notes the 403 itself; nothing else (no blocked style or script).
    expect(errors.filter((e) => !/status of 403 \(Forbidden\)/.test(e))).toEqual([]);
  });

  it("logs the page's requests without the link's signature (a link is a secret)", async () => {
    const signature = link.slice(link.lastIndexOf('.') + 1);
    await open(link, 1280);
    const logged = `"path":"/m/${seeded.milestone.id}.…"`;
    await waitUntil(() => server.logs().includes(logged), 'the page request logged');
    expect(server.logs()).not.toContain(signature);
  });
});
