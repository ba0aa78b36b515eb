// A request body as an async iterable that fails once it passes a size limit,
// so an oversized upload is refused while streaming, never buffered whole.
import type { Request } from 'express';
import { AppError } from '../domain/errors.js';

export async function* limitedStream(req: Request, maxBytes: number, setting: string): AsyncGenerator<Buffer> {
  const tooLarge = () =>
    new AppError(
      'PAYLOAD_TOO_LARGE',
      `The upload is larger than ${maxBytes} bytes (${setting}); split the report or raise the limit. Nothing was stored.`,
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > maxBytes) {
      req.resume();
      throw tooLarge();
    }
    yield chunk;
  }
}
