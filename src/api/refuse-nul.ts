// One pass over a request's parsed input (path parameters, query, JSON body)
// that refuses the NUL character wherever it is. PostgreSQL cannot store
// U+0000 in text (22021/22P05), and no name, message or id needs it, so it is a
// 400 naming the field on both databases rather than a 500 on one.
import { AppError } from '../domain/errors.js';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000); remove it';

/** Paths (as in zod issues) to every string, or object key, that contains U+0000. */
export function nulPaths(value: unknown, path: (string | number)[] = [], found: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, [...path, i], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push([...path, key]);
      nulPaths(item, [...path, key], found);
    }
  }
  return found;
}

/** Throws a 400 naming each field with a NUL character, worded like the schema errors ("Invalid body: name: …"). */
export function refuseNul(value: unknown, where: string): void {
  const paths = nulPaths(value);
  if (paths.length === 0) return;
  const label = (p: (string | number)[]) => (p.length ? p.map((k) => String(k).replaceAll('\u0000', '\\0')).join('.') : where);
  throw new AppError('VALIDATION_FAILED', `Invalid ${where}: ${paths.map((p) => `${label(p)}: ${NUL_MESSAGE}`).join('; ')}`, {
    issues: paths.map((p) => ({ path: p, message: NUL_MESSAGE, code: 'invalid_format' })),
  });
}
