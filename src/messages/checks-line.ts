// Every check of the gate in one compact line for the card: the failing and
// risky ones by name with their values, then how many held and how many the
// gate does not apply. The full list is in the API and `shipgate check --format json`.
import { checksWorstFirst, checkText } from '../domain/check-text.js';
import type { GateCheck } from '../domain/readiness.js';
import { escape } from './format.js';
import { clip, LIMITS } from './limits.js';

const ICON = { fail: ':x:', risk: ':warning:' } as const;

export function checksLine(checks: readonly GateCheck[]): string {
  const flagged = checksWorstFirst(checks)
    .filter((c) => c.status === 'fail' || c.status === 'risk')
    .map((c) => `${ICON[c.status as 'fail' | 'risk']} ${escape(checkText(c))}`);
  const held = checks.filter((c) => c.status === 'pass').length;
  const notApplied = checks.filter((c) => c.status === 'n/a').length;
  const tally = [`:white_check_mark: ${held} held`, notApplied > 0 ? `${notApplied} not applied` : null].filter(Boolean);
  return clip(`*Checks* ${[...flagged, ...tally].join(' · ')}`, LIMITS.sectionText);
}
