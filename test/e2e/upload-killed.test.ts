// The server is killed (SIGKILL: no shutdown, no cleanup) while a slow JUnit
// upload streams in. Everything other requests were told was stored survives
// the restart; the cut-off upload left nothing behind.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { client } from '../helpers/api-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { waitUntil } from '../helpers/wait.js';

const CASES = 5_000;
const head = () =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="slow">\n` +
  Array.from({ length: CASES }, (_, i) => `<testcase classname="slow" name="case ${i}"/>`).join('\n');

describe(`SIGKILL during an upload, on ${testProvider()}`, () => {
  let t: TestDatabase;
  let key: string;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
    key = (await seedProjectWithApiKey(t, 'KILL')).apiKey;
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) await server.stop('SIGKILL');
    await t.cleanup();
  });

  it('acknowledged writes made while the upload streamed survive, and the upload stored nothing', async () => {
    server = await startServerProcess({ DATABASE_URL: t.url, SCHEDULES: 'off' });
    const api = client(server.url, key);
    const run = (await api('POST', '/api/projects/KILL/test-runs', { name: 'cut off', milestone: 'm1', createMilestone: true })).body
      .id as string;
    const other = (await api('POST', '/api/projects/KILL/test-runs', { name: 'other', milestone: 'm1', createMilestone: true })).body
      .id as string;
    const third = (await api('POST', '/api/projects/KILL/test-runs', { name: 'json', milestone: 'm1', createMilestone: true })).body
      .id as string;

    const upload = request(`${server.url}/api/projects/KILL/test-runs/${run}/junit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml' },
    });
    upload.on('error', () => undefined); // the server dies under it
    upload.write(head());
    await waitUntil(() => /JUnit upload: receiving/.test(server!.logs()), 'the server receiving the upload');

    // Acknowledged while the upload streams.
    expect((await api('POST', '/api/projects/KILL/milestones', { name: 'made meanwhile' })).status).toBe(201);
    expect((await api('PATCH', `/api/projects/KILL/test-runs/${other}`, { status: 'COMPLETED' })).status).toBe(200);
    const posted = await api('POST', `/api/projects/KILL/test-runs/${third}/results`, {
      results: [{ title: 'stays', status: 'PASSED' }],
    });
    expect(posted.status).toBe(200);

    expect(await server.stop('SIGKILL')).toBeNull();
    upload.destroy();

    server = await startServerProcess({ DATABASE_URL: t.url, SCHEDULES: 'off' });
    const after = client(server.url, key);
    expect((await after('GET', '/api/projects/KILL/milestones/made%20meanwhile')).status).toBe(200);
    expect((await after('GET', `/api/projects/KILL/test-runs/${other}`)).body.status).toBe('COMPLETED');
    expect((await after('GET', `/api/projects/KILL/test-runs/${third}`)).body.results).toBe(1);
    expect((await after('GET', `/api/projects/KILL/test-runs/${run}`)).body.results).toBe(0);
    expect(await t.prisma.testCase.count({ where: { key: { startsWith: 'slow::' } } })).toBe(0);
  });
});
