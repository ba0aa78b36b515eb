// How many of a project's test cases a scope would match: the preview in the
// scope modal. Pages through keys and suites only, so large projects stay cheap.
import { compileScope } from '../domain/scope.js';
import type { ServiceDeps } from './service-deps.js';

const PAGE = 5_000;
const SAMPLE = 3;

export interface ScopePreview {
  matching: number;
  total: number;
  /** A few matching case keys. */
  sample: string[];
}

export async function previewScope(deps: ServiceDeps, options: { projectId: string; patterns: string[] }): Promise<ScopePreview> {
  const { projectId, patterns } = options;
  const scope = compileScope(patterns);
  let matching = 0;
  let total = 0;
  const sample: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await deps.db.prisma.testCase.findMany({
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
