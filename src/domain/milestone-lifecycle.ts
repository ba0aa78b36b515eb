// Milestone lifecycle: which status changes are allowed, and when
// completing needs an override. Returns a plan instead of throwing so that each
// edge (Slack modal, REST PATCH, CLI) can show the refusal its own way; the
// error inside is a CONFLICT whose message tells the user the way out.
import { AppError } from './errors.js';
import type { MilestoneStatus, Verdict } from './types.js';

const TRANSITIONS: Record<MilestoneStatus, readonly MilestoneStatus[]> = {
  ACTIVE: ['COMPLETED', 'ARCHIVED'],
  COMPLETED: ['ACTIVE', 'ARCHIVED'],
  // Terminal: archived milestones leave every view, digest and reminder.
  ARCHIVED: [],
};

const COMPLETABLE: readonly Verdict[] = ['GO', 'GO_WITH_RISKS'];

export interface TransitionRequest {
  from: MilestoneStatus;
  to: MilestoneStatus;
  /** The current verdict; only consulted when completing an active milestone. */
  verdict?: Verdict | null;
  /** Why the milestone is completed despite its verdict; blank counts as none. */
  overrideReason?: string | null;
  /** Used in messages when given ("Milestone 2.4 can't …"). */
  milestoneName?: string;
}

export type TransitionPlan =
  | {
      ok: true;
      to: MilestoneStatus;
      /** false for a same-state request, which is a no-op rather than an error (retries and double clicks are harmless). */
      changed: boolean;
      /** The reason to record, set only when the override was needed to complete. */
      overrideReason: string | null;
    }
  | { ok: false; error: AppError };

/** The statuses `from` can move to (same-state no-ops not included). */
export function allowedTransitions(from: MilestoneStatus): MilestoneStatus[] {
  return [...TRANSITIONS[from]];
}

export function planTransition(request: TransitionRequest): TransitionPlan {
  const { from, to } = request;
  const label = request.milestoneName ? `Milestone ${request.milestoneName}` : 'Milestone';
  if (from === to) return { ok: true, to, changed: false, overrideReason: null };

  if (!TRANSITIONS[from].includes(to)) {
    return refuse(
      from === 'ARCHIVED'
        ? `${label} is archived, and an archived milestone can't be ${verbFor(to)}. Create a new milestone (with a different name) instead.`
        : `${label} can't go from ${from} to ${to}: it can move to ${TRANSITIONS[from].join(' or ')}.`,
      { from, to, allowed: allowedTransitions(from) },
    );
  }

  if (from === 'ACTIVE' && to === 'COMPLETED') {
    const verdict = request.verdict ?? null;
    if (verdict !== null && COMPLETABLE.includes(verdict)) {
      return { ok: true, to, changed: true, overrideReason: null };
    }
    const reason = request.overrideReason?.trim() ?? '';
    if (reason !== '') return { ok: true, to, changed: true, overrideReason: reason };
    const why = verdict === null ? 'its verdict is unknown' : `the verdict is ${verdict}`;
    const fix =
      verdict === null ? 'Check its readiness' : verdict === 'INSUFFICIENT_EVIDENCE' ? 'Add the missing evidence' : 'Fix the blockers';
    return refuse(`${label} can't be completed: ${why}. ${fix} or complete with an override reason.`, {
      from,
      to,
      verdict,
    });
  }

  return { ok: true, to, changed: true, overrideReason: null };
}

function verbFor(to: MilestoneStatus): string {
  return to === 'ACTIVE' ? 'reopened' : 'completed';
}

function refuse(message: string, details: unknown): TransitionPlan {
  return { ok: false, error: new AppError('CONFLICT', message, details) };
}
