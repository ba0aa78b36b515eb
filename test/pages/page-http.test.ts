// The readiness page over the real HTTP server: a signed link opens its one
// milestone and nothing else; an expired, altered, cut or revoked link is a 403
// page that says so (HTML, never a stack trace or JSON); what the page shows
// comes from the same readiness and test listing as the API; text from data is
// escaped; the headers keep the link out of caches, indexes and Referers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { createApiKey } from '../../src/services/create-api-key.js';
import { issueMilestoneLink, rotateLinkSecret, type PageLinkSettings } from '../../src/services/milestone-link.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { listMilestoneTests } from '../../src/services/list-milestone-tests.js';
import { VERDICT_LABEL } from '../../src/messages/format.js';
import { seedMilestone } from '../helpers/factories.js';
import { seedPageMilestone } from '../helpers/page-seed.js';
import { testProvider } from '../helpers/test-database.js';

const DAY = 86_400_000;

describe(`the readiness page (${testProvider()})`, () => {
  let h: ApiHarness;
  let settings: PageLinkSettings;
  let seeded: Awaited<ReturnType<typeof seedPageMilestone>>;

  beforeAll(async () => {
    h = await startApi();
    settings = { publicUrl: h.url, lifetimeMs: 7 * DAY };
    seeded = await seedPageMilestone(h.t, { failing: 6 });
  });
  afterAll(async () => h.close());

  const link = (milestoneId = seeded.milestone.id) => issueMilestoneLink(h.deps, { milestoneId, settings });

  async function get(url: string) {
    const res = await fetch(url);
    return { res, text: await res.text() };
  }

  it('opens from a signed link: the verdict, every check, every failing test, defects, environments, runs and sign-offs', async () => {
    const { url, expiresAt } = await link();
    expect(url).toMatch(new RegExp(`^${h.url}/m/${seeded.milestone.id}\\.[0-9a-z]+\\.[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(7 * DAY - 60_000);
    const { res, text } = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const readiness = await getReadiness(h.t, seeded.milestone.id);
    expect(readiness.verdict).toBe('NO_GO');
    expect(text).toContain(`<span class="verdict verdict-NO_GO" id="verdict">${VERDICT_LABEL.NO_GO}</span>`);
    for (const c of readiness.checks) expect(text).toContain(`<code>${c.rule}</code>`);
    for (let i = 0; i < 3; i++) expect(text).toContain(`<strong>checkout total-${i}</strong>`);
    expect(text.match(/<tr><td data-label="Test">/g)).toHaveLength(6);
    expect(text).toContain('nightly staging 2'); // failing since the second run
    expect(text).toContain('<a href="https://jira.example/browse/PAY-7">PAY-7</a><span class="sub">In Progress</span>');
    expect(text).toContain('Totals are wrong in staging; fix the rounding first.');
    expect(text).toContain('<td data-label="Environment">production');
    expect(text).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Pass rate/);
    // Before any digest, the changes of the last day: everything here was posted just now.
    expect(text).toMatch(/<h2 id="changes-h">Changes since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/h2>/);
    expect(text).toContain('<li>6 newly failing (3 in production, 3 in staging).</li>');
  });

  it("shows each failing test's owners, regression and quarantine as the tests listing has them, the quarantined count and the audit trail", async () => {
    const owned = await seedPageMilestone(h.t, { projectKey: 'OWN', teamId: 'T3', failing: 6, owned: true });
    const { text } = await get((await link(owned.milestone.id)).url);
    const listed = await listMilestoneTests(h.t, {
      milestoneId: owned.milestone.id,
      projectId: owned.project.id,
      filter: { status: 'FAILED' },
      limit: 50,
    });
    const rows = text.split('<tr><td data-label="Test">').slice(1);
    expect(rows).toHaveLength(listed.tests.length);
    for (const [i, t] of listed.tests.entries()) {
      const row = rows[i]!;
      expect(row, t.key).toContain(`<span class="sub mono">${t.key}</span>`);
      const owners = t.owners.map((id) => `<span class="mono">@${id}</span>`).join(', ');
      expect(row, t.key).toContain(`<td data-label="Owners">${owners}</td>`);
      expect(row, t.key).toContain(t.regression === 'new' ? '<span class="pill st-fail">new</span>' : 'still failing');
      if (t.quarantine) expect(row).toContain(`<span class="sub">${owned.words.comment}</span><span class="sub">by U0LEAD</span>`);
      else expect(row, t.key).toContain('<td data-label="Quarantine"><span class="muted">no</span></td>');
    }
    // suite0 has its own rule (a user and a group), the other suites the general one.
    expect(listed.tests.find((t) => t.key.startsWith('suite0::'))!.owners).toEqual(['U0ALICE', 'S0PAYMENTS']);
    expect(listed.tests.find((t) => t.key.startsWith('suite2::'))!.owners).toEqual(['U0BOB']);
    // The quarantined case fails in both environments: both its failures are left out.
    expect(listed.tests.filter((t) => t.quarantine).map((t) => t.key)).toEqual([owned.quarantinedKey, owned.quarantinedKey]);
    expect(text).toContain('<dt>Quarantined</dt><dd>2 failures left out of the pass rate</dd>');
    // The milestone's own audit entries (the waiver and the sign-off), newest first.
    expect(text).toContain('<h2 id="audit-h">Audit trail</h2>');
    expect(text).toContain('<td data-label="Who">Slack user <span class="mono">@U0QA</span></td>');
    expect(text).toContain('<td data-label="Who">Slack user <span class="mono">@U0LEAD</span></td>');
  });

  it('is served so the link stays private: no caching, no indexing, no Referer, only its own style and script', async () => {
    const { res } = await get((await link()).url);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('is gzipped for a client that takes gzip, and sent as it is to one that does not', async () => {
    const { url } = await link();
    const zipped = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toMatch(/Accept-Encoding/);
    const text = await zipped.text(); // fetch undoes the gzip
    expect(text).toContain('<h1>PAY/2.4</h1>');
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('<h1>PAY/2.4</h1>');
  });

  it('an expired link is a 403 page that says it expired and how to get a new one', async () => {
    const { url, expiresAt } = await link();
    h.setNow(new Date(Date.parse(expiresAt) + 1000));
    try {
      const { res, text } = await get(url);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(text).toContain('<h1>This link has expired</h1>');
      expect(text).toContain(`expired on ${expiresAt.slice(0, 16).replace('T', ' ')} UTC`);
      expect(text).toContain('--link');
      expect(text).not.toContain(seeded.words.testTitle);
    } finally {
      h.setNow(new Date());
    }
  });

  it('one second before it expires, the link still opens', async () => {
    const { url, expiresAt } = await link();
    h.setNow(new Date(Date.parse(expiresAt) - 1000));
    try {
      expect((await get(url)).res.status).toBe(200);
    } finally {
      h.setNow(new Date());
    }
  });

  it('an altered link is a 403 page: signature, expiry or milestone changed, cut short, or junk', async () => {
    const { url } = await link();
    const other = await seedMilestone(h.t, seeded.project.id, 'other');
    const [id, expiry, signature] = url.slice(url.lastIndexOf('/') + 1).split('.') as [string, string, string];
    const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    const altered = [
      `${id}.${expiry}.${flip(signature)}`,
      `${id}.${(parseInt(expiry, 36) + 86_400).toString(36)}.${signature}`, // a longer life
      `${id}.0${expiry}.${signature}`, // the same expiry spelled another way
      `${other.id}.${expiry}.${signature}`, // another milestone
      `nosuchmilestone.${expiry}.${signature}`,
      `${id}.${expiry}`,
      `${id}.${expiry}.${signature}.x`,
      '%3Cscript%3E',
    ];
    for (const token of altered) {
      const { res, text } = await get(`${h.url}/m/${token}`);
      expect(res.status, token).toBe(403);
      expect(text, token).toContain('<h1>This link is not valid</h1>');
      expect(text, token).not.toContain(seeded.words.testTitle);
    }
    for (const path of ['/m', '/m/', `/m/${id}.${expiry}.${signature}/more`]) {
      const { res, text } = await get(`${h.url}${path}`);
      expect(res.status, path).toBe(403);
      expect(text, path).toContain('This link is not valid');
    }
  });

  it("a link opens only its own milestone: another milestone's link shows that one", async () => {
    const other = await seedMilestone(h.t, seeded.project.id, 'only-mine');
    const { text } = await get((await link(other.id)).url);
    expect(text).toContain('<h1>PAY/only-mine</h1>');
    expect(text).not.toContain(seeded.words.testTitle);
  });

  it("rotating the project's link secret revokes every link it issued; new links work", async () => {
    const before = await link();
    expect((await get(before.url)).res.status).toBe(200);
    await rotateLinkSecret(h.t, { projectId: seeded.project.id });
    const { res, text } = await get(before.url);
    expect(res.status).toBe(403);
    expect(text).toContain('This link is not valid');
    expect((await get((await link()).url)).res.status).toBe(200);
  });

  it("one project's rotation leaves another project's links alone", async () => {
    const second = await seedPageMilestone(h.t, { projectKey: 'SHOP', teamId: 'T2' });
    const theirs = await link(second.milestone.id);
    await rotateLinkSecret(h.t, { projectId: seeded.project.id });
    expect((await get(theirs.url)).res.status).toBe(200);
  });

  it('POST …/link-secret/rotate (admin key) revokes the links; a read key may not', async () => {
    const admin = client(h.url, (await createApiKey(h.t, { workspaceId: seeded.workspace.id, projectKey: 'PAY', scope: 'admin' })).key);
    const reader = client(h.url, (await createApiKey(h.t, { workspaceId: seeded.workspace.id, projectKey: 'PAY', scope: 'read' })).key);
    const before = await link();
    expect((await reader('POST', '/api/projects/PAY/link-secret/rotate')).status).toBe(403);
    expect((await get(before.url)).res.status).toBe(200);
    const rotated = await admin('POST', '/api/projects/PAY/link-secret/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ rotated: true, message: expect.stringMatching(/^Every link to a readiness page of PAY/) });
    expect((await get(before.url)).res.status).toBe(403);
  });
});
