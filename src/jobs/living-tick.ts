// The living milestone message (SPEC §11). Changes to a milestone (a run
// completed, a defect reported or resolved, a sign-off) queue an event in the
// outbox in their own transaction; this tick claims the due events under a
// lease and, per milestone, keeps one top-level card per channel per local day:
// the first event of the day posts the card (the LivingMessage row is the
// claim, so two replicas never post two), later ones edit it in place with
// chat.update, and each burst of events is one reply in the card's thread.
// A worse verdict than the card's starts a new card (the old thread says so);
// a card deleted in Slack is replaced by a new one. Replies go at most one a
// second per card (and per channel within a tick): events held back wait for
// the next tick and are summarised with whatever came meanwhile. A channel
// that turned threads off (ChannelSetting) gets the replies as plain messages.
import { randomUUID } from 'node:crypto';
import { localDate, zonedTimeToUtc } from '../domain/time.js';
import type { Verdict } from '../domain/types.js';
import {
  cardPosted,
  postingFailed,
  takeOrReadCard,
  takePosting,
  takeReadyNotice,
  takeReplySlot,
  threadsOn,
  verdictShown,
  type LivingRow,
} from '../db/living-messages.js';
import { claimNextItem, finishItem, LIVING_KIND_PREFIX, releaseItem, type ClaimedOutboxItem, type LivingEvent } from '../db/outbox.js';
import { tickOwner } from '../db/tick-owner.js';
import { isWorse, readyToDecideText, threadReply, verdictFellText, type ThreadEvent } from '../messages/living-thread.js';
import { readinessCard } from '../messages/readiness-card.js';
import { MessageGoneError, RateLimitedError, type Notifier } from '../notify/notifier.js';
import { getChannelCard, type CardData } from '../services/get-milestone-card.js';
import { takeNewlyFailingOwnerMentions, type HeldOwnerMentions } from '../services/owner-mentions.js';
import { findResolvedStillFailing } from '../db/resolved-still-failing.js';
import { resolvedFailingNoticeText } from '../messages/resolved-failing-notice.js';
import { readAuditNotice } from './audit-notices-tick.js';
import { resolvedFailingNotice } from './resolved-failing-tick.js';
import type { TickDeps } from './tick-deps.js';

export interface LivingTickSummary {
  /** Slack is off: nothing was claimed, the events wait. */
  slackOff: boolean;
  claimed: number;
  cardsPosted: number;
  cardsUpdated: number;
  replies: number;
  /** Events held back for a later tick (the reply slot was taken, another replica posting the card, a 429). */
  deferred: number;
  /** Done without a message: the milestone or its channel gone, or the event too old to be news. */
  skipped: number;
  retried: number;
  failed: number;
}

const LEASE_MS = 2 * 60_000;
/** How long a replica may take to post a card before another may. */
const CARD_LEASE_MS = 60_000;
const LIMIT = 100;
const REPLY_GAP_MS = 1_000;
const MAX_ATTEMPTS = 8;
/** An event not told within this long is no longer news. */
export const LIVING_EVENT_MAX_AGE_MS = 24 * 60 * 60_000;

/** Held back, not failed: due again after `ms`. */
class Deferred extends Error {
  constructor(readonly ms: number) {
    super(`deferred ${ms} ms`);
  }
}

function retryDelayMs(attempt: number): number {
  return Math.min(60 * 60_000, 5_000 * 2 ** (attempt - 1));
}

interface Claimed {
  item: ClaimedOutboxItem;
  event: LivingEvent;
}

export async function runLivingTick(deps: TickDeps, now: Date): Promise<LivingTickSummary> {
  const summary: LivingTickSummary = {
    slackOff: false,
    claimed: 0,
    cardsPosted: 0,
    cardsUpdated: 0,
    replies: 0,
    deferred: 0,
    skipped: 0,
    retried: 0,
    failed: 0,
  };
  if (!deps.notifier.enabled) {
    summary.slackOff = true;
    return summary;
  }
  const prisma = deps.db.prisma;
  const owner = `${tickOwner()}#${randomUUID().slice(0, 8)}`;
  const tried = new Set<string>();
  const byMilestone = new Map<string, Claimed[]>();
  while (summary.claimed < LIMIT) {
    const item = await claimNextItem(prisma, { kindPrefix: LIVING_KIND_PREFIX, owner, now, leaseMs: LEASE_MS, tried });
    if (!item) break;
    tried.add(item.id);
    summary.claimed++;
    const event = JSON.parse(item.payload) as LivingEvent;
    byMilestone.set(event.milestoneId, [...(byMilestone.get(event.milestoneId) ?? []), { item, event }]);
  }
  const repliedIn = new Set<string>();
  let rateLimitedMs = 0;
  for (const [milestoneId, group] of byMilestone) {
    const finishAll = (data: Parameters<typeof finishItem>[3]) => Promise.all(group.map((g) => finishItem(prisma, g.item, owner, data)));
    if (rateLimitedMs > 0) {
      await Promise.all(group.map((g) => releaseItem(prisma, g.item, owner, new Date(now.getTime() + rateLimitedMs))));
      summary.deferred += group.length;
      continue;
    }
    try {
      const outcome = await applyGroup(deps, { milestoneId, group, owner, now, repliedIn, summary });
      await finishAll({ status: 'DONE', lastError: outcome === 'sent' ? null : outcome });
      if (outcome !== 'sent') summary.skipped += group.length;
    } catch (err) {
      if (err instanceof Deferred || err instanceof RateLimitedError) {
        const ms = err instanceof Deferred ? err.ms : err.retryAfterMs;
        if (err instanceof RateLimitedError) rateLimitedMs = ms;
        await Promise.all(group.map((g) => releaseItem(prisma, g.item, owner, new Date(now.getTime() + ms))));
        summary.deferred += group.length;
        continue;
      }
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const attempts = Math.max(...group.map((g) => g.item.attempts));
      if (attempts >= MAX_ATTEMPTS) {
        await finishAll({ status: 'FAILED', lastError: message });
        summary.failed += group.length;
        deps.logger.error({ milestoneId, err: message }, 'living message not updated; given up');
      } else {
        await finishAll({ nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)), lastError: message });
        summary.retried += group.length;
        deps.logger.warn({ milestoneId, attempt: attempts, err: message }, 'living message will be retried');
      }
    }
  }
  return summary;
}

interface GroupWork {
  milestoneId: string;
  group: Claimed[];
  owner: string;
  now: Date;
  /** Channels that got a reply in this tick: one a second. */
  repliedIn: Set<string>;
  summary: LivingTickSummary;
}

/** Tells one milestone's events: 'sent', or why there was nothing to tell. */
async function applyGroup(deps: TickDeps, w: GroupWork): Promise<string> {
  const prisma = deps.db.prisma;
  const fresh = w.group.filter((g) => w.now.getTime() - g.item.createdAt.getTime() <= LIVING_EVENT_MAX_AGE_MS);
  if (fresh.length === 0) return 'too old to tell';
  const milestone = await prisma.milestone.findUnique({ where: { id: w.milestoneId }, include: { project: true } });
  if (!milestone) return 'milestone no longer exists';
  const channel = milestone.slackChannelId || milestone.project.slackChannelId;
  if (!channel) return 'no channel to tell';
  const workspaceId = milestone.project.workspaceId;
  if (w.repliedIn.has(channel)) throw new Deferred(REPLY_GAP_MS);
  const events = (await Promise.all(fresh.map((g) => readEvent(deps, g.event)))).filter((e): e is ThreadEvent => e !== null);
  // The same card as everywhere else (checks line, Open report button): one builder.
  const card = await getChannelCard({ db: deps.db, config: deps.config, now: () => w.now }, milestone.id);
  const verdict = card.readiness.verdict;

  if (!(await threadsOn(prisma, workspaceId, channel))) {
    if (events.length === 0) return 'nothing left to tell';
    w.repliedIn.add(channel);
    await postWithOwners(deps, w, fresh, null, (owners) =>
      deps.notifier.post({ workspaceId, channel, text: threadReply(events, { before: null, after: verdict }, owners) }),
    );
    w.summary.replies++;
    return 'sent';
  }

  const key = { milestoneId: milestone.id, channel, day: localDate(w.now, milestone.timeZone) };
  const { row, mustPost } = await takeOrReadCard(prisma, key, w.owner, w.now, CARD_LEASE_MS);
  const base = { notifier: deps.notifier, prisma, workspaceId, channel, owner: w.owner, now: w.now, card, summary: w.summary };
  let shown: { ts: string; before: Verdict | null; rowId: string };
  if (mustPost) {
    shown = { ts: await postCard(base, row.id), before: null, rowId: row.id };
  } else if (!row.ts) {
    // Another replica is posting today's card: these events wait for it.
    throw new Deferred(2_000);
  } else {
    const before = row.verdict as Verdict | null;
    if (before && isWorse(before, verdict)) {
      if (!(await takePosting(prisma, row, w.owner, new Date(w.now.getTime() + CARD_LEASE_MS)))) throw new Deferred(2_000);
      await deps.notifier.post({ workspaceId, channel, threadTs: row.ts, text: verdictFellText(before, verdict) });
      shown = { ts: await postCard(base, row.id), before, rowId: row.id };
    } else {
      shown = { ts: await updateCard(base, row), before, rowId: row.id };
    }
  }
  if (events.length > 0) {
    // The previous reply in this card's thread, read before the slot is taken (taking it moves it to now).
    const previousReply = (await prisma.livingMessage.findUnique({ where: { id: shown.rowId }, select: { lastReplyAt: true } }))
      ?.lastReplyAt;
    if (!(await takeReplySlot(prisma, shown.rowId, w.now, REPLY_GAP_MS))) throw new Deferred(REPLY_GAP_MS);
    w.repliedIn.add(channel);
    await postWithOwners(deps, w, fresh, previousReply ?? null, (owners) =>
      deps.notifier.post({
        workspaceId,
        channel,
        threadTs: shown.ts,
        text: threadReply(events, { before: shown.before, after: verdict }, owners),
      }),
    );
    w.summary.replies++;
  }
  await tellReadyOnce(deps, {
    ...base,
    rowId: shown.rowId,
    ts: shown.ts,
    milestoneId: milestone.id,
    dayStart: zonedTimeToUtc(key.day, '00:00', milestone.timeZone),
  });
  return 'sent';
}

/**
 * Posts a burst's reply with the owners of the tests newly failing in it
 * (SPEC §11: once per owner, milestone and day, shared with the digests):
 * newly failing since the previous reply, or since the burst's earliest run
 * began to report, whichever is earlier. Only a burst with completed runs
 * mentions anybody. The mentions count once the post went out; a failed post
 * gives them back for the next message. Owners that cannot be read leave the
 * reply without them rather than holding it back.
 */
async function postWithOwners(
  deps: TickDeps,
  w: GroupWork,
  fresh: Claimed[],
  previousReply: Date | null,
  post: (owners: string[]) => Promise<unknown>,
): Promise<void> {
  const held = await takeBurstOwners(deps, w, fresh, previousReply);
  try {
    await post(held?.owners ?? []);
  } catch (err) {
    await held
      ?.release()
      .catch((e: unknown) => deps.logger.warn({ err: e }, 'owner mentions not released; free again when their claims expire'));
    throw err;
  }
  await held?.confirm().catch((e: unknown) => deps.logger.warn({ err: e }, 'owner mentions not recorded as made'));
}

async function takeBurstOwners(
  deps: TickDeps,
  w: GroupWork,
  fresh: Claimed[],
  previousReply: Date | null,
): Promise<HeldOwnerMentions | null> {
  const runIds = fresh.flatMap((g) => (g.event.kind === 'run.completed' ? [g.event.runId] : []));
  if (runIds.length === 0) return null;
  try {
    const runs = await deps.db.prisma.testRun.findMany({ where: { id: { in: runIds } }, select: { createdAt: true } });
    if (runs.length === 0) return null;
    // A run's results are recorded after it was created: "then" is just before the earliest of them.
    const times = [...runs.map((r) => r.createdAt.getTime() - 1), ...fresh.map((g) => g.item.createdAt.getTime())];
    if (previousReply) times.push(previousReply.getTime());
    const since = new Date(Math.min(...times));
    return await takeNewlyFailingOwnerMentions({ db: deps.db, now: () => w.now }, { milestoneId: w.milestoneId, since, claimant: w.owner });
  } catch (err) {
    deps.logger.error({ err, milestoneId: w.milestoneId }, 'owners of newly failing tests not read');
    return null;
  }
}

interface CardWork {
  notifier: Notifier;
  prisma: TickDeps['db']['prisma'];
  workspaceId: string;
  channel: string;
  owner: string;
  now: Date;
  card: CardData;
  summary: LivingTickSummary;
}

/** Posts a new top-level card under the row's posting right; gives the right back if the post fails. */
async function postCard(c: CardWork, rowId: string): Promise<string> {
  const { text, blocks } = readinessCard(c.card);
  let ts: string;
  try {
    ts = (await c.notifier.post({ workspaceId: c.workspaceId, channel: c.channel, text, blocks })).ts;
  } catch (err) {
    await postingFailed(c.prisma, rowId, c.owner);
    throw err;
  }
  await cardPosted(c.prisma, rowId, c.owner, ts, c.card.readiness.verdict, c.now);
  c.summary.cardsPosted++;
  return ts;
}

/** Edits today's card in place; a card deleted in Slack is replaced by a new one. */
async function updateCard(c: CardWork, row: LivingRow): Promise<string> {
  const { text, blocks } = readinessCard(c.card);
  try {
    await c.notifier.update({ workspaceId: c.workspaceId, channel: c.channel, ts: row.ts!, text, blocks });
  } catch (err) {
    if (!(err instanceof MessageGoneError)) throw err;
    if (!(await takePosting(c.prisma, row, c.owner, new Date(c.now.getTime() + CARD_LEASE_MS)))) throw new Deferred(2_000);
    return postCard(c, row.id);
  }
  await verdictShown(c.prisma, row.id, c.card.readiness.verdict);
  c.summary.cardsUpdated++;
  return row.ts!;
}

/**
 * "Ready to decide", once a day per milestone and channel, in the thread of
 * the card showing then: every required environment of the gate has completed
 * a run today (the milestone's local day). A gate with no required
 * environments never says it (there is no set of environments to wait for).
 */
async function tellReadyOnce(
  deps: TickDeps,
  c: CardWork & { rowId: string; ts: string; milestoneId: string; dayStart: Date },
): Promise<void> {
  const required = c.card.readiness.policy.requiredEnvironments;
  if (required.length === 0) return;
  const row = await c.prisma.livingMessage.findUnique({ where: { id: c.rowId } });
  if (!row || row.readyToldAt || row.ts !== c.ts) return;
  const runs = await c.prisma.testRun.findMany({
    where: {
      milestoneId: c.milestoneId,
      status: 'COMPLETED',
      completedAt: { gte: c.dayStart },
      environment: { name: { in: required } },
    },
    select: { environment: { select: { name: true } } },
  });
  const reported = new Set(runs.map((r) => r.environment?.name));
  if (!required.every((env) => reported.has(env))) return;
  if (!(await takeReadyNotice(c.prisma, c.rowId, c.ts, c.now))) return;
  try {
    await deps.notifier.post({ workspaceId: c.workspaceId, channel: c.channel, threadTs: c.ts, text: readyToDecideText(required) });
  } catch (err) {
    // Told at most once: a failed post is given back so a later event tries again.
    await c.prisma.livingMessage.updateMany({ where: { id: c.rowId, readyToldAt: c.now }, data: { readyToldAt: null } });
    throw err;
  }
  c.summary.replies++;
}

/** What an event says, read now; null when its subject is gone. */
async function readEvent(deps: TickDeps, e: LivingEvent): Promise<ThreadEvent | null> {
  const prisma = deps.db.prisma;
  switch (e.kind) {
    case 'run.completed': {
      const run = await prisma.testRun.findUnique({ where: { id: e.runId }, include: { environment: true } });
      if (!run) return null;
      const groups = await prisma.testResult.groupBy({ by: ['status'], where: { runId: run.id }, _count: { _all: true } });
      const n = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
      return {
        kind: 'run.completed',
        name: run.name,
        environment: run.environment?.name ?? null,
        passed: n('PASSED'),
        failed: n('FAILED'),
        skipped: n('SKIPPED'),
        blocked: n('BLOCKED'),
      };
    }
    case 'defect.reported':
    case 'defect.resolved': {
      const d = await prisma.defect.findUnique({ where: { id: e.defectId } });
      if (!d) return null;
      return e.kind === 'defect.reported'
        ? { kind: 'defect.reported', title: d.title, severity: d.severity }
        : { kind: 'defect.resolved', title: d.title, status: e.status };
    }
    case 'signoff': {
      const s = await prisma.signoff.findUnique({ where: { id: e.signoffId } });
      if (!s) return null;
      return { kind: 'signoff', userId: s.slackUserId, decision: s.decision, comment: s.comment };
    }
    case 'reminder': {
      const m = await prisma.milestone.findUnique({ where: { id: e.milestoneId }, include: { project: { select: { key: true } } } });
      return m ? { kind: 'reminder', name: `${m.project.key}/${m.name}`, daysLeft: e.daysLeft } : null;
    }
    case 'notice': {
      const notice = await readAuditNotice(deps, e.auditEntryId);
      return typeof notice === 'string' ? null : { kind: 'notice', text: notice.text };
    }
    case 'resolved.failing': {
      // Told only while it holds: a defect reopened or a test passing again since is no longer news.
      const found = await findResolvedStillFailing(deps.db, { milestoneId: e.milestoneId });
      const f = found.find((x) => x.defectId === e.defectId && x.resolvedAt.toISOString() === e.resolvedAt);
      if (!f) return null;
      const m = await prisma.milestone.findUnique({ where: { id: e.milestoneId }, include: { project: { select: { key: true } } } });
      return m ? { kind: 'notice', text: resolvedFailingNoticeText(resolvedFailingNotice(m.project.key, m.name, f)) } : null;
    }
    case 'jira': {
      const d = await prisma.defect.findUnique({ where: { id: e.defectId }, select: { id: true } });
      return d ? { kind: 'notice', text: e.text } : null;
    }
  }
}
