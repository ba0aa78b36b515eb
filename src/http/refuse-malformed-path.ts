// Refuses a path with a malformed percent-escape (`%FF`, `%E0%A4%A`) before
// any route sees it. Express decodes route parameters with
// decodeURIComponent, which throws on such escapes and turned them into 500s,
// before authentication, for anyone; here they are a 400 that names the segment.
import type { NextFunction, Request, Response } from 'express';

/** The first path segment whose percent-escapes are not UTF-8, or null. */
export function malformedSegment(path: string): string | null {
  if (!path.includes('%')) return null;
  for (const segment of path.split('/')) {
    if (!segment.includes('%')) continue;
    try {
      decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }
  return null;
}

export function refuseMalformedPath() {
  return (req: Request, res: Response, next: NextFunction) => {
    const segment = malformedSegment(req.path);
    if (segment === null) return next();
    res.status(400).json({
      error: {
        code: 'VALIDATION_FAILED',
        message:
          `The path segment "${segment.slice(0, 200)}" has a malformed percent-escape (a "%" must be followed by two hex digits, ` +
          `and the bytes must be UTF-8); encode names with encodeURIComponent, e.g. "Café 2.4" as "Caf%C3%A9%202.4".`,
      },
    });
  };
}
