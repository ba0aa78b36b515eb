// What changed since a moment, in one plain-text sentence that a digest, a
// thread reply and `shipgate check --since` lead with: "Since the last digest
// (2026-12-01 09:00 UTC): 3 newly failing (2 in staging, 1 in qa), 1 newly
// passing in staging, 4 still failing · 1 defect opened, 1 closed · NO-GO → GO with risks".
// Plain: Slack callers escape it; names of environments come from data.
import type { Changes, ChangedTests } from '../domain/changes.js';
import { utcMinute, VERDICT_LABEL } from './format.js';

/** How many environments a count is broken down into before "and N more". */
const ENVIRONMENTS_NAMED = 3;

/** `occasion` names the moment, e.g. "the last digest"; without it the moment is given as a time. */
export function changesSummary(changes: Changes, occasion?: string): string {
  const { tests, defects, verdict } = changes;
  const parts: string[] = [];
  const testParts = [
    tests.newlyFailing.total > 0 ? `${tests.newlyFailing.total} newly failing${perEnvironment(tests.newlyFailing)}` : null,
    tests.newlyPassing.total > 0 ? `${tests.newlyPassing.total} newly passing${perEnvironment(tests.newlyPassing)}` : null,
    tests.stillFailing > 0 ? `${tests.stillFailing} still failing` : null,
  ].filter((p) => p !== null);
  if (testParts.length) parts.push(testParts.join(', '));
  const opened = defects.opened.length;
  const closed = defects.closed.length;
  const defectPart =
    opened && closed
      ? `${plural(opened, 'defect')} opened, ${closed} closed`
      : opened
        ? `${plural(opened, 'defect')} opened`
        : closed
          ? `${plural(closed, 'defect')} closed`
          : null;
  if (defectPart) parts.push(defectPart);
  parts.push(
    verdict.before === verdict.after
      ? `still ${VERDICT_LABEL[verdict.after]}`
      : `${VERDICT_LABEL[verdict.before]} → ${VERDICT_LABEL[verdict.after]}`,
  );
  const nothing = testParts.length === 0 && !defectPart && verdict.before === verdict.after;
  const since = occasion ? `${occasion} (${utcMinute(changes.since)})` : utcMinute(changes.since);
  return `Since ${since}: ${nothing ? `nothing changed (${parts.at(-1)})` : parts.join(' · ')}`;
}

function perEnvironment(changed: ChangedTests): string {
  const envs = changed.byEnvironment;
  if (envs.length <= 1) return envs.length === 1 ? ` in ${envs[0]!.environment}` : '';
  const named = envs.slice(0, ENVIRONMENTS_NAMED).map((e) => `${e.total} in ${e.environment}`);
  const more = envs.length - named.length;
  return ` (${named.join(', ')}${more > 0 ? ` and ${more} more environment${more === 1 ? '' : 's'}` : ''})`;
}

function plural(n: number, singular: string): string {
  return `${n} ${n === 1 ? singular : `${singular}s`}`;
}
