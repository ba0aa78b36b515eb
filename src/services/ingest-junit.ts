// Stores a JUnit XML upload without holding the database while it streams in:
// the body is parsed and checked as it arrives and its batches are staged on
// local disk (memory stays bounded); only once the whole file has arrived and
// parsed is it written, in one short transaction, in a turn of its own
// (db.bulkWrites), so a slow link or a huge file never holds a connection or
// another request's writes. A file that turns out malformed, too large or cut
// off stores nothing. The size limit is counted on the bytes as they arrive,
// so a body without Content-Length (chunked) is held to it too.
import { AppError } from '../domain/errors.js';
import type { Config } from '../config.js';
import { JUnitError, readJUnit } from '../junit/index.js';
import { checkRows, runForIngest, storeResults } from './ingest-results.js';
import type { ServiceDeps } from './service-deps.js';
import { stageUpload } from './staged-upload.js';

export interface IngestJUnitOptions {
  projectId: string;
  runId: string;
  body: AsyncIterable<Buffer | string>;
  /** Overrides config.limits.maxJUnitBytes. */
  maxBytes?: number;
}

export async function ingestJUnit(deps: ServiceDeps & { config?: Pick<Config, 'limits'> }, options: IngestJUnitOptions) {
  // Refused before the body is read when the run cannot take results.
  await runForIngest(deps.db.prisma, options.projectId, options.runId);
  const now = deps.now();
  const body = countedBody(options.body, options.maxBytes ?? deps.config?.limits.maxJUnitBytes ?? Number.POSITIVE_INFINITY);
  const staged = await stageUpload();
  try {
    try {
      let received = 0;
      for await (const batch of readJUnit(body.chunks)) {
        checkRows(batch, received);
        received += batch.length;
        await staged.write(batch);
      }
      await staged.seal();
    } catch (err) {
      await body.drain();
      if (err instanceof JUnitError) {
        throw new AppError('VALIDATION_FAILED', `The JUnit file was refused and nothing was stored. ${err.message}`, {
          line: err.line,
          column: err.column,
          ...(err.byteOffset === null ? {} : { byteOffset: err.byteOffset }),
        });
      }
      throw err;
    }
    return await deps.db.bulkWrites.run(() =>
      storeResults(deps, { projectId: options.projectId, runId: options.runId, now, batches: staged.batches() }),
    );
  } finally {
    await staged.discard();
  }
}

/**
 * The body with its size counted against the limit. Stopping early does not
 * end the source: an HTTP request stream would be destroyed with its socket,
 * and the client would see a reset instead of the error. drain() reads the
 * rest (never past the limit) so the answer can be delivered.
 */
function countedBody(source: AsyncIterable<Buffer | string>, maxBytes: number) {
  const it = source[Symbol.asyncIterator]();
  let seen = 0;
  let ended = false;
  const size = (chunk: Buffer | string) => (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
  return {
    chunks: (async function* () {
      while (true) {
        const next = await it.next();
        if (next.done) {
          ended = true;
          return;
        }
        seen += size(next.value);
        if (seen > maxBytes) {
          throw new AppError(
            'PAYLOAD_TOO_LARGE',
            `The JUnit file is larger than this server accepts (${maxBytes} bytes, MAX_JUNIT_BYTES); nothing was stored. Split the report into several files.`,
            { maxBytes },
          );
        }
        yield next.value;
      }
    })(),
    async drain() {
      try {
        while (!ended && seen <= maxBytes) {
          const next = await it.next();
          if (next.done) ended = true;
          else seen += size(next.value);
        }
      } catch {
        // The source failed (too large, connection lost): nothing more to read.
      }
    },
  };
}
