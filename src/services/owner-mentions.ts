// Owners to mention (SPEC §11): for tests newly failing in a milestone, the
// owners their cases resolve to (the project's owner rules, last match wins)
// that have not been mentioned for this milestone today (the milestone's local
// day). "Once" is a claim per (milestone, day, owner) in the Claim table
// (db/claims.ts), shared by every caller — the digests and the living
// message's thread — and every replica: the caller takes the mentions, posts,
// then confirms them; if the post fails it releases them, so the next message
// mentions them instead. A claim taken and never confirmed (the process died)
// is free again when its lease ends.
import { compileOwners, type OwnerRule } from '../domain/owners.js';
import type { ScopedCase } from '../domain/scope.js';
import { isValidTimeZone, localDate } from '../domain/time.js';
import { claim, markSent, type HeldClaim } from '../db/claims.js';
import { loadNewlyFailingCases } from '../db/newly-failing-cases-query.js';
import { loadOwnerRules } from '../db/owner-rules.js';
import { tickOwner } from '../db/tick-owner.js';
import type { ServiceDeps } from './service-deps.js';

/** The Claim kind of one owner mentioned for one milestone on one local day; key `milestoneId:YYYY-MM-DD:ownerId`. */
export const OWNER_MENTION_CLAIM = 'owner-mention';

export interface HeldOwnerMentions {
  /** Slack user (U…, W…) and group (S…) ids to mention now, in the order first met; [] when nobody is due. */
  owners: string[];
  /** After the message carrying the mentions was posted: they count as made today. */
  confirm(): Promise<void>;
  /** The message was not posted: the owners are free to be mentioned by the next one. */
  release(): Promise<void>;
}

export interface OwnerMentionsOptions {
  milestoneId: string;
  /** The newly failing tests' cases: key and suite, which the owner rules match. */
  cases: Iterable<ScopedCase>;
  /** Who takes the claims (host:pid unless said), for the Claim rows. */
  claimant?: string;
}

/** Takes the mentions due for these newly failing cases: their owners not yet mentioned for the milestone today. */
export async function takeOwnerMentions(deps: ServiceDeps, options: OwnerMentionsOptions): Promise<HeldOwnerMentions> {
  const { milestone, rules } = await loadMilestoneRules(deps, options.milestoneId);
  return take(deps, milestone, rules, options.cases, options.claimant);
}

/**
 * The same for every test of the milestone newly failing since `since` (failing
 * now, not failing then): what a digest or a thread reply covering that span calls.
 */
export async function takeNewlyFailingOwnerMentions(
  deps: ServiceDeps,
  options: { milestoneId: string; since: Date; claimant?: string },
): Promise<HeldOwnerMentions> {
  const { milestone, rules } = await loadMilestoneRules(deps, options.milestoneId);
  // No rules, nobody to mention: the history is not read.
  if (rules.length === 0) return nothingHeld();
  const cases = await loadNewlyFailingCases(deps.db, options.milestoneId, options.since);
  return take(deps, milestone, rules, cases, options.claimant);
}

async function loadMilestoneRules(deps: ServiceDeps, milestoneId: string) {
  const milestone = await deps.db.prisma.milestone.findUniqueOrThrow({
    where: { id: milestoneId },
    select: { id: true, projectId: true, timeZone: true },
  });
  return { milestone, rules: await loadOwnerRules(deps.db.prisma, milestone.projectId) };
}

async function take(
  deps: ServiceDeps,
  milestone: { id: string; timeZone: string },
  rules: OwnerRule[],
  cases: Iterable<ScopedCase>,
  claimant = tickOwner(),
): Promise<HeldOwnerMentions> {
  const prisma = deps.db.prisma;
  const owners = compileOwners(rules).ownersOfAll(cases);
  if (owners.length === 0) return nothingHeld();
  const now = deps.now();
  const day = localDate(now, isValidTimeZone(milestone.timeZone) ? milestone.timeZone : 'UTC');
  const held: { id: string; claim: HeldClaim }[] = [];
  for (const id of owners) {
    const taken = await claim(prisma, { kind: OWNER_MENTION_CLAIM, key: `${milestone.id}:${day}:${id}`, owner: claimant, now });
    if (taken) held.push({ id, claim: taken });
  }
  return {
    owners: held.map((h) => h.id),
    async confirm() {
      for (const h of held) await markSent(prisma, h.claim, now);
    },
    async release() {
      if (held.length) await prisma.claim.deleteMany({ where: { id: { in: held.map((h) => h.claim.id) }, sentAt: null } });
    },
  };
}

function nothingHeld(): HeldOwnerMentions {
  return { owners: [], confirm: async () => undefined, release: async () => undefined };
}
