// Content-Encoding for request bodies. JSON bodies are inflated by Express's
// json() parser; streamed uploads (JUnit) are inflated here, as they stream,
// with the size limit counted on the decoded bytes (a small gzip can inflate
// a thousandfold). CI uploaders often gzip (curl --compressed, many HTTP
// clients), so gzip, deflate and br are read; anything else is a 415, and a
// body that does not decode is a 400 rather than a 500.
import { once } from 'node:events';
import { createBrotliDecompress, createGunzip, createInflate, type BrotliDecompress, type Gunzip, type Inflate } from 'node:zlib';
import type { Request } from 'express';
import { AppError } from '../domain/errors.js';

const DECODERS = { gzip: createGunzip, deflate: createInflate, br: createBrotliDecompress } as const;
export type ContentEncoding = keyof typeof DECODERS | 'identity';

/** The request's Content-Encoding, or a 415 naming it when it is not one this server reads. */
export function contentEncodingOf(req: Request): ContentEncoding {
  const header = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase() || 'identity';
  if (header === 'identity' || Object.hasOwn(DECODERS, header)) return header as ContentEncoding;
  throw new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `Content-Encoding "${header.slice(0, 50)}" is not supported; send the body uncompressed or compressed with gzip, deflate or br.`,
  );
}

/** Whether an error is zlib's or brotli's complaint about the compressed bytes. */
export function isDecodingError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__'));
}

export function notValidEncoding(encoding: string, err: unknown): AppError {
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError(
    'VALIDATION_FAILED',
    `The body is not valid ${encoding} (${reason}); nothing was stored. Compress the whole body with ${encoding}, or send it uncompressed without Content-Encoding.`,
  );
}

/**
 * The body decoded as it streams. On any failure the rest of the raw body is
 * still read (the raw stream is itself size-limited), so the client gets the
 * error rather than a reset connection.
 */
export async function* decodeContent(
  raw: AsyncIterable<Buffer>,
  encoding: ContentEncoding,
  maxBytes: number,
  setting: string,
): AsyncGenerator<Buffer> {
  if (encoding === 'identity') {
    yield* raw;
    return;
  }
  const decoder: Gunzip | Inflate | BrotliDecompress = DECODERS[encoding]();
  decoder.on('error', () => undefined); // reported through the iteration below
  let stop = false;
  let rawFailure: unknown = null;
  const pump = (async () => {
    for await (const chunk of raw) {
      if (stop || decoder.destroyed) continue; // keep reading: the client is still sending
      if (!decoder.write(chunk)) await Promise.race([once(decoder, 'drain'), once(decoder, 'close')]).catch(() => undefined);
    }
    if (!stop && !decoder.destroyed) decoder.end();
  })().catch((err: unknown) => {
    rawFailure = err;
    decoder.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  let seen = 0;
  try {
    for await (const chunk of decoder as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > maxBytes) {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `The upload is larger than ${maxBytes} bytes once decompressed (${setting}); split the report or raise the limit. Nothing was stored.`,
          { maxBytes },
        );
      }
      yield chunk;
    }
  } catch (err) {
    stop = true;
    decoder.destroy();
    await pump;
    if (err !== rawFailure && !(err instanceof AppError) && isDecodingError(err)) throw notValidEncoding(encoding, err);
    throw err;
  }
}
