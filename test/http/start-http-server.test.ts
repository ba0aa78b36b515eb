// Stopping the server lets a request in flight finish, then closes.
import { connect } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/http/start-http-server.js';
import { asyncHandler } from '../helpers/async-handler.js';
import { signal } from '../helpers/wait.js';

describe('startHttpServer().stop()', () => {
  it('finishes a request whose body is still arriving, refuses new connections, then resolves', async () => {
    const arrived = signal();
    const server = await startHttpServer(
      asyncHandler(async (req, res) => {
        arrived.resolve();
        let body = '';
        for await (const chunk of req) body += chunk;
        res.end(`got ${body.length}`);
      }),
      0,
      '127.0.0.1',
    );
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n12345');
    // The handler has the request: from here it is in flight.
    await arrived.promise;
    const events: string[] = [];
    const stopping = server.stop().then(() => events.push('stopped'));
    await expect(fetch(`http://127.0.0.1:${server.port}/`)).rejects.toThrow();
    // stop() must still be waiting: the request's body is not complete yet.
    events.push('rest of the body sent');
    socket.write('67890');
    await once(socket, 'close');
    await stopping;
    expect(events).toEqual(['rest of the body sent', 'stopped']);
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('got 10');
  });
});
