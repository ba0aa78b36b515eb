// The deploy gate: a milestone's readiness and whether its verdict passes (GO always does, other verdicts
// when allowed). What `shipgate check` and the GitHub Action (src/cli/github-action.ts) both ask.
import { isShippable } from '../domain/readiness.js';
import { VERDICTS, type Verdict } from '../domain/types.js';
import { segment, type ApiClient } from './api-client.js';
import type { ReadinessAnswer } from './format-readiness.js';
import { UsageError } from './usage-error.js';

/** Verdicts from `--allow` values (repeated or comma-separated, any case, `-` or `_`). */
export function parseAllow(values: readonly string[]): Verdict[] {
  const out: Verdict[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const v = raw.trim().toUpperCase().replace(/-/g, '_');
    if (!v) continue;
    if (!(VERDICTS as readonly string[]).includes(v)) {
      throw new UsageError(`--allow ${raw.trim()} is not a verdict; use one or more of ${VERDICTS.join(', ')}`);
    }
    out.push(v as Verdict);
  }
  return out;
}

export interface GateAnswer {
  readiness: ReadinessAnswer;
  allowed: boolean;
}

export async function checkMilestone(api: ApiClient, project: string, milestone: string, allow: readonly Verdict[]): Promise<GateAnswer> {
  const readiness = await api.request<ReadinessAnswer>(
    'GET',
    `/api/projects/${segment(project)}/milestones/${segment(milestone)}/readiness`,
  );
  return { readiness, allowed: isShippable(readiness.verdict, [...allow]) };
}
