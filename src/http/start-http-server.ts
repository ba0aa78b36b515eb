// Listens on the port and stops cleanly: no new connections, in-flight
// requests finish, idle keep-alive sockets close.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  server: Server;
  port: number;
  stop(graceMs?: number): Promise<void>;
}

export function startHttpServer(handler: RequestListener, port: number, host?: string): Promise<RunningServer> {
  const server = createServer(handler);
  // Keep-alive a little longer than common proxies' idle timeout.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        server,
        port: address.port,
        stop: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            force.unref();
            server.close(() => {
              clearTimeout(force);
              done();
            });
            // server.close() already closes idle keep-alive connections (Node ≥ 19).
          }),
      });
    });
  });
}
