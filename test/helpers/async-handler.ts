// node:http wants a handler that returns nothing; our stand-ins are async. A
// throw inside one answers 500 with the error, so a test sees it instead of an
// unhandled rejection.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function asyncHandler(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`stand-in failed: ${err instanceof Error ? err.stack : String(err)}`);
    });
  };
}
