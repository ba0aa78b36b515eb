// How many of a project's test cases a scope would match: the preview in the
// scope modal. Pages through keys and suites only, so large projects stay cheap.
import { compileScope } from '../domain/scope.js';
import type { Prisma } from '../db/open-database.js';

const PAGE = 5_000;
const SAMPLE = 3;

export async function previewScope(prisma: Prisma, projectId: string, patterns: string[]) {
  const scope = compileScope(patterns);
  let matching = 0;
  let total = 0;
  const sample: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await prisma.testCase.findMany({
      where: { projectId },
      select: { id: true, key: true, suite: true },
      orderBy: { id: 'asc' },
      take: PAGE,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    for (const c of page) {
      total++;
      if (patterns.length && scope.matches(c)) {
        matching++;
        if (sample.length < SAMPLE) sample.push(c.key);
      }
    }
    if (page.length < PAGE) break;
    cursor = page.at(-1)!.id;
  }
  return { matching, total, sample };
}

/** The patterns as typed in the modal: one per line (commas also accepted). */
export function splitPatterns(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n|,(?![^\s])/)
    .map((p) => p.trim())
    .filter(Boolean);
}
