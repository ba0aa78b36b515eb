// Stores a JUnit XML upload as it streams in: batches go into one transaction,
// so memory stays bounded and a file that turns out malformed (or too large)
// stores nothing. The size limit is counted on the bytes as they arrive, so a
// body without Content-Length (chunked) is held to it too.
import { AppError } from '../domain/errors.js';
import type { Database } from '../db/open-database.js';
import type { Config } from '../config.js';
import { JUnitError, readJUnit } from '../junit/index.js';
import { INGEST_TRANSACTION, resultWriter, runForIngest } from './ingest-results.js';

export interface IngestJUnitOptions {
  projectId: string;
  runId: string;
  body: AsyncIterable<Buffer | string>;
  /** Overrides config.limits.maxJUnitBytes. */
  maxBytes?: number;
}

export async function ingestJUnit(deps: { db: Database; config?: Pick<Config, 'limits'> }, options: IngestJUnitOptions) {
  const prisma = deps.db.prisma;
  const run = await runForIngest(prisma, options.projectId, options.runId);
  const maxBytes = options.maxBytes ?? deps.config?.limits.maxJUnitBytes ?? Number.POSITIVE_INFINITY;
  try {
    const counts = await prisma.$transaction(async (tx) => {
      const writer = resultWriter(tx, options.projectId, run.id);
      for await (const batch of readJUnit(limitBytes(options.body, maxBytes))) await writer.write(batch);
      return writer.counts;
    }, INGEST_TRANSACTION);
    return { run, counts };
  } catch (err) {
    if (err instanceof JUnitError) {
      throw new AppError('VALIDATION_FAILED', `The JUnit file was refused and nothing was stored. ${err.message}`, { line: err.line, column: err.column });
    }
    throw err;
  }
}

async function* limitBytes(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<Buffer | string> {
  let seen = 0;
  for await (const chunk of source) {
    seen += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (seen > maxBytes) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `The JUnit file is larger than this server accepts (${maxBytes} bytes, MAX_JUNIT_BYTES); nothing was stored. Split the report into several files.`,
        { maxBytes },
      );
    }
    yield chunk;
  }
}
