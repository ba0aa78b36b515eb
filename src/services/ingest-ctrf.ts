// Stores a CTRF JSON report with the semantics of a JUnit upload: whole or not
// at all, idempotent, no transaction open while the body arrives. A CTRF file
// is one JSON document, so it is read into a buffer bounded by
// MAX_CTRF_BYTES (default 64 MiB) rather than streamed: JSON.parse is native
// and fast, a streaming JSON parser would be a new dependency, and real reports
// are far smaller (about 600 bytes a test). The rows are checked, then written
// in one short transaction in a turn of its own (db.bulkWrites), like JUnit.
import { AppError } from '../domain/errors.js';
import type { Config } from '../config.js';
import { CtrfError, readCtrf } from '../ctrf/read-ctrf.js';
import { checkRows, runForIngest, storeResults, type ResultRow } from './ingest-results.js';
import type { ServiceDeps } from './service-deps.js';

const BATCH = 1000;

export interface IngestCtrfOptions {
  projectId: string;
  runId: string;
  body: AsyncIterable<Buffer | string>;
  /** Overrides config.limits.maxCtrfBytes. */
  maxBytes?: number;
}

export async function ingestCtrf(deps: ServiceDeps & { config?: Pick<Config, 'limits'> }, options: IngestCtrfOptions) {
  await runForIngest(deps.db.prisma, options.projectId, options.runId);
  const now = deps.now();
  const maxBytes = options.maxBytes ?? deps.config?.limits.maxCtrfBytes ?? Number.POSITIVE_INFINITY;
  const text = await readBounded(options.body, maxBytes);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw refused(`It is not valid JSON: ${(err as Error).message}.`);
  }
  let rows: ResultRow[];
  try {
    rows = readCtrf(document);
  } catch (err) {
    if (err instanceof CtrfError) throw refused(err.message);
    throw err;
  }
  checkRows(rows);
  const batches: ResultRow[][] = [];
  for (let i = 0; i < rows.length; i += BATCH) batches.push(rows.slice(i, i + BATCH));
  return deps.db.bulkWrites.run(() => storeResults(deps, { projectId: options.projectId, runId: options.runId, now, batches }));
}

function refused(why: string) {
  return new AppError('VALIDATION_FAILED', `The CTRF report was refused and nothing was stored. ${why}`);
}

/** The body as UTF-8 text, refused once it passes maxBytes (the rest is read and dropped so the answer can be sent). */
async function readBounded(body: AsyncIterable<Buffer | string>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let seen = 0;
  let tooLarge = false;
  for await (const chunk of body) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    seen += buf.length;
    if (seen > maxBytes) tooLarge = true;
    if (!tooLarge) chunks.push(buf);
  }
  if (tooLarge)
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `The CTRF report is larger than this server accepts (${maxBytes} bytes, MAX_CTRF_BYTES); nothing was stored. Split the report into several files.`,
      { maxBytes },
    );
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw refused('It is not valid UTF-8.');
  }
}
