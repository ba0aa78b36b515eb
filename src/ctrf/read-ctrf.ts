// A CTRF report (Common Test Report Format, JSON) checked with zod and turned
// into the same cases a JUnit report gives: passed → PASSED, failed → FAILED,
// skipped, pending and other (not run: todo, disabled) → SKIPPED; `retries`
// are extra attempts and `flaky` is kept as the reporter said. Pure: no I/O.
import { z } from 'zod';
import { caseKey, clip, hasCriticalTag, NAME_MAX_BYTES, SUITE_SEPARATOR, type JUnitCase } from '../junit/index.js';

export class CtrfError extends Error {}

/** Postgres `integer`, the column durations are stored in. */
const MAX_DURATION_MS = 2_147_483_647;
const MESSAGE_MAX = 2000;
const STATUS = { passed: 'PASSED', failed: 'FAILED', skipped: 'SKIPPED', pending: 'SKIPPED', other: 'SKIPPED' } as const;

const name = z
  .string()
  .min(1, 'must not be empty')
  .refine((v) => Buffer.byteLength(v) <= NAME_MAX_BYTES, `must be at most ${NAME_MAX_BYTES} bytes in UTF-8`);

const CtrfTest = z.looseObject({
  name,
  status: z.enum(['passed', 'failed', 'skipped', 'pending', 'other']),
  duration: z.number().nonnegative().optional(),
  message: z.string().nullish(),
  suite: z.union([z.string(), z.array(z.string())]).nullish(),
  retries: z.number().int().nonnegative().max(1000).optional(),
  flaky: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
});

const CtrfReport = z.looseObject({
  reportFormat: z.literal('CTRF', { message: 'must be "CTRF"' }),
  results: z.looseObject({
    tool: z.looseObject({ name: z.string() }),
    tests: z.array(CtrfTest),
  }),
});

export type CtrfTestInput = z.infer<typeof CtrfTest>;

/** The cases of a parsed CTRF document; a CtrfError names the first field that is wrong. */
export function readCtrf(document: unknown): JUnitCase[] {
  const parsed = CtrfReport.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CtrfError(`${fieldPath(issue.path)} ${issue.message}.`);
  }
  return parsed.data.results.tests.map(toCase);
}

function toCase(t: CtrfTestInput): JUnitCase {
  const suite = Array.isArray(t.suite) ? t.suite.filter(Boolean).join(SUITE_SEPARATOR) || null : t.suite || null;
  const status = STATUS[t.status];
  const retries = t.retries ?? 0;
  return {
    key: caseKey(suite, t.name),
    title: t.name,
    suite,
    status,
    durationMs: t.duration === undefined || t.duration > MAX_DURATION_MS ? null : Math.round(t.duration),
    message: status === 'PASSED' || !t.message ? null : clip(t.message, MESSAGE_MAX),
    attempts: 1 + retries,
    flaky: t.flaky === true,
    critical: hasCriticalTag(t.name) || (t.tags ?? []).some((tag) => /^@?critical$/i.test(tag.trim())),
  };
}

/** `results.tests[3].status`, or `the report` for the top level. */
function fieldPath(path: PropertyKey[]): string {
  if (!path.length) return 'The report';
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');
}
