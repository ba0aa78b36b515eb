// Stores a JUnit XML upload as it streams in: batches go into one transaction,
// so memory stays bounded and a file that turns out malformed (or too large)
// stores nothing. The size limit is counted on the bytes as they arrive, so a
// body without Content-Length (chunked) is held to it too.
import { AppError } from '../domain/errors.js';
import type { Config } from '../config.js';
import { JUnitError, readJUnit } from '../junit/index.js';
import { INGEST_TRANSACTION, resultWriter, runForIngest } from './ingest-results.js';
import type { ServiceDeps } from './service-deps.js';

export interface IngestJUnitOptions {
  projectId: string;
  runId: string;
  body: AsyncIterable<Buffer | string>;
  /** Overrides config.limits.maxJUnitBytes. */
  maxBytes?: number;
}

export async function ingestJUnit(deps: ServiceDeps & { config?: Pick<Config, 'limits'> }, options: IngestJUnitOptions) {
  const prisma = deps.db.prisma;
  const run = await runForIngest(prisma, options.projectId, options.runId);
  const now = deps.now();
  const body = countedBody(options.body, options.maxBytes ?? deps.config?.limits.maxJUnitBytes ?? Number.POSITIVE_INFINITY);
  try {
    const counts = await prisma.$transaction(async (tx) => {
      const writer = resultWriter(tx, deps.db.provider, options.projectId, run.id, now);
      for await (const batch of readJUnit(body.chunks)) await writer.write(batch);
      return writer.counts;
    }, INGEST_TRANSACTION);
    return { run, counts };
  } catch (err) {
    await body.drain();
    if (err instanceof JUnitError) {
      throw new AppError('VALIDATION_FAILED', `The JUnit file was refused and nothing was stored. ${err.message}`, {
        line: err.line,
        column: err.column,
      });
    }
    throw err;
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
