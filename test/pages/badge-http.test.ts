// The public badge over the real HTTP server: off by default (a 404 that reads
// the same whether the project exists or not), turned on by an admin key, then
// an SVG and shields.io endpoint JSON with the verdict and pass rate of THE
// verdict function, coloured by verdict, text escaped, cached for a minute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { createApiKey } from '../../src/services/create-api-key.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { percent, VERDICT_LABEL } from '../../src/messages/format.js';
import { resultRows, seedMilestone, seedRun } from '../helpers/factories.js';
import { seedPageMilestone } from '../helpers/page-seed.js';
import { testProvider } from '../helpers/test-database.js';

const SHIELDS_COLOUR = { GO: 'brightgreen', GO_WITH_RISKS: 'yellow', INSUFFICIENT_EVIDENCE: 'lightgrey', NO_GO: 'red' } as const;

describe(`the badge (${testProvider()})`, () => {
  let h: ApiHarness;
  let admin: ReturnType<typeof client>;
  let reporter: ReturnType<typeof client>;
  let seeded: Awaited<ReturnType<typeof seedPageMilestone>>;

  beforeAll(async () => {
    h = await startApi();
    seeded = await seedPageMilestone(h.t);
    const workspaceId = seeded.workspace.id;
    admin = client(h.url, (await createApiKey(h.t, { workspaceId, projectKey: 'PAY', scope: 'admin' })).key);
    reporter = client(h.url, (await createApiKey(h.t, { workspaceId, projectKey: 'PAY', scope: 'report' })).key);
  });
  afterAll(async () => h.close());

  const badge = async (path: string) => {
    const res = await fetch(`${h.url}/badge/${path}`);
    return { res, text: await res.text() };
  };
  const setBadge = (on: boolean) => admin('PATCH', '/api/projects/PAY', { badgeEnabled: on });

  it('is off by default: 404 saying so, the same for a project that does not exist, nothing else told', async () => {
    expect((await admin('GET', '/api/projects/PAY')).body.badgeEnabled).toBe(false);
    const svg = await badge('PAY/2.4.svg');
    expect(svg.res.status).toBe(404);
    expect(svg.res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(svg.text).toMatch(/^No badge here: no project "PAY" has its badge turned on\./);
    expect((await badge('NOPE/2.4.svg')).text).toBe(svg.text.replace('"PAY"', '"NOPE"'));
    const json = await badge('PAY/2.4.json');
    expect(json.res.status).toBe(404);
    expect(JSON.parse(json.text)).toEqual({ error: { code: 'NOT_FOUND', message: svg.text.trim() } });
    expect(svg.text).not.toMatch(/GO|%|2\.4/);
  });

  it('only an admin key turns it on (PATCH project badgeEnabled)', async () => {
    expect((await reporter('PATCH', '/api/projects/PAY', { badgeEnabled: true })).status).toBe(403);
    expect((await badge('PAY/2.4.svg')).res.status).toBe(404);
    expect((await admin('PATCH', '/api/projects/PAY', { badgeEnabled: 'yes' })).status).toBe(400);
    const on = await setBadge(true);
    expect(on.status).toBe(200);
    expect(on.body.badgeEnabled).toBe(true);
  });

  it('when on: the SVG shows the verdict and pass rate of the readiness, coloured by verdict, cached a minute', async () => {
    await setBadge(true);
    const readiness = await getReadiness(h.t, seeded.milestone.id);
    const message = `${VERDICT_LABEL[readiness.verdict]} · ${percent(readiness.metrics.passRate)}`;
    const { res, text } = await badge('PAY/2.4.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(text).toContain(`<title>PAY/2.4: ${message}</title>`);
    expect(text).toContain('fill="#b42318"'); // NO-GO's red
  });

  it('when on: the shields.io endpoint JSON beside it says the same', async () => {
    await setBadge(true);
    const readiness = await getReadiness(h.t, seeded.milestone.id);
    const { res, text } = await badge('PAY/2.4.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(JSON.parse(text)).toEqual({
      schemaVersion: 1,
      label: 'PAY/2.4',
      message: `${VERDICT_LABEL[readiness.verdict]} · ${percent(readiness.metrics.passRate)}`,
      color: SHIELDS_COLOUR[readiness.verdict],
    });
  });

  it('finds the project by key in any case or by id, the milestone by name in any case or by id', async () => {
    await setBadge(true);
    const expected = (await badge('PAY/2.4.json')).text;
    for (const path of [`pay/2.4.json`, `${seeded.project.id}/2.4.json`, `PAY/${seeded.milestone.id}.json`]) {
      expect((await badge(path)).text, path).toBe(expected);
    }
  });

  it('a GO milestone is green; one with nothing executed says so without a pass rate', async () => {
    await setBadge(true);
    const green = await seedMilestone(h.t, seeded.project.id, 'green');
    await seedRun(h.t, { projectId: seeded.project.id, milestoneId: green.id, results: resultRows(20, 0, 'green') });
    const empty = await seedMilestone(h.t, seeded.project.id, 'empty');
    for (const [m, name] of [
      [green, 'green'],
      [empty, 'empty'],
    ] as const) {
      const r = await getReadiness(h.t, m.id);
      const json = JSON.parse((await badge(`PAY/${name}.json`)).text);
      expect(json.color).toBe(SHIELDS_COLOUR[r.verdict]);
      expect(json.message).toBe(
        r.metrics.passRate === null ? VERDICT_LABEL[r.verdict] : `${VERDICT_LABEL[r.verdict]} · ${percent(r.metrics.passRate)}`,
      );
    }
    expect(JSON.parse((await badge('PAY/green.json')).text)).toMatchObject({ message: 'GO · 100%', color: 'brightgreen' });
  });

  it('an unknown milestone of a project with its badge on is a 404 that names only what was asked', async () => {
    await setBadge(true);
    const { res, text } = await badge('PAY/9.9.svg');
    expect(res.status).toBe(404);
    expect(text.trim()).toBe('Project PAY has no milestone "9.9".');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const other = await badge('PAY/2.4.png');
    expect(other.res.status).toBe(404);
    expect(other.text).toMatch(/ends in \.svg .* or \.json/);
  });

  it('a hostile milestone name is escaped in the SVG and plain in the JSON', async () => {
    await setBadge(true);
    const name = '<script>alert(1)</script>"&';
    await seedMilestone(h.t, seeded.project.id, name);
    const svg = (await badge(`PAY/${encodeURIComponent(name)}.svg`)).text;
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('PAY/&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;');
    expect(JSON.parse((await badge(`PAY/${encodeURIComponent(name)}.json`)).text).label).toBe(`PAY/${name}`);
  });

  it('turned off again, it is gone', async () => {
    await setBadge(true);
    expect((await badge('PAY/2.4.svg')).res.status).toBe(200);
    await setBadge(false);
    expect((await badge('PAY/2.4.svg')).res.status).toBe(404);
    expect((await badge('PAY/2.4.json')).res.status).toBe(404);
  });
});
