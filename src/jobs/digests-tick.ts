// Go/no-go digests: for each subscription whose local digest time has
// come (DST-correct, weekdays only when asked, a missed one caught up within
// 24 h), one message with the state of the subscribed milestone(s), then the
// trend picture uploaded beside it. Message and picture are claimed separately,
// so a failed upload is retried without posting the message again. Pictures
// need the bot in the channel: the notifier joins a public channel first; a
// private one it is not in gets a note in the digest, or (when the digest itself
// cannot be posted there) its subscriber is asked once to invite Shipgate; a
// picture given up after every retry is said once in the channel. Also keeps
// the daily snapshots the trend is drawn from.
import pLimit from 'p-limit';
import { dayRange, TREND_DAYS, trendPoints, type DaySnapshot, type TrendPoint } from '../charts/trend.js';
import { renderTrendPng } from '../charts/render-trend-png.js';
import { localDate } from '../domain/time.js';
import { getMilestoneCard as loadCard } from '../services/get-milestone-card.js';
import { takeNewlyFailingOwnerMentions, type HeldOwnerMentions } from '../services/owner-mentions.js';
import { CLAIM_MAX_ATTEMPTS } from '../db/claims.js';
import {
  digestInviteRequest,
  digestMessage,
  pictureLostNotice,
  PICTURE_NEEDS_INVITE,
  type DigestItem,
} from '../messages/digest-message.js';
import { NotInChannelError, type ChannelAccess } from '../notify/notifier.js';
import { deliverOnce, emptySummary, type DeliverySummary, type SendOnce } from './deliver-once.js';
import { dueDigestDay, DIGEST_CATCH_UP_MS } from './digest-due.js';
import { finaliseDailySnapshots, loadSnapshots, openBlockers, saveSnapshots, zoneOf } from './snapshots.js';
import type { TickDeps } from './tick-deps.js';

export { TREND_DAYS };
const READINESS_PARALLEL = 4;

export interface DigestsTickSummary extends DeliverySummary {
  /** Trend pictures uploaded. */
  pictures: number;
  /** Daily snapshots finalised. */
  snapshots: number;
}

export interface DigestsTickOptions {
  catchUpMs?: number;
}

type Subscription = Awaited<ReturnType<typeof loadSubscriptions>>[number];

function loadSubscriptions(deps: TickDeps) {
  return deps.db.prisma.subscription.findMany({
    include: {
      project: { select: { key: true } },
      milestone: { select: { id: true, name: true, status: true, project: { select: { key: true } } } },
    },
    orderBy: { createdAt: 'asc' },
  });
}

export async function runDigestsTick(deps: TickDeps, now: Date, options: DigestsTickOptions = {}): Promise<DigestsTickSummary> {
  const summary: DigestsTickSummary = { ...emptySummary(), pictures: 0, snapshots: 0 };
  try {
    summary.snapshots = await finaliseDailySnapshots(deps, now);
  } catch (err) {
    deps.logger.error({ err }, 'daily snapshots failed');
  }
  // With Slack off nothing can be delivered: claim nothing, so digests still
  // go out (within the catch-up window) once Slack is connected.
  if (!deps.notifier.enabled) return summary;

  const due = (await loadSubscriptions(deps))
    .map((sub) => ({ sub, due: dueDigestDay(sub, now, options.catchUpMs ?? DIGEST_CATCH_UP_MS) }))
    .filter((d): d is { sub: Subscription; due: { day: string; at: Date } } => d.due !== null);
  if (due.length === 0) return summary;

  // One query tells which due digests are finished, so a tick after the
  // digest time does not knock on every claim again every minute.
  const keys = due.map((d) => digestKey(d.sub.id, d.due.day));
  const claims = await deps.db.prisma.claim.findMany({
    where: { kind: { in: ['digest', 'digest-chart'] }, key: { in: keys }, sentAt: { not: null } },
    select: { kind: true, key: true },
  });
  const done = new Set(claims.map((c) => `${c.kind}/${c.key}`));

  return deliverOnce(
    deps,
    now,
    {
      due,
      what: 'digest',
      about: ({ sub, due: when }) => ({ subscriptionId: sub.id, day: when.day }),
      deliver: async ({ sub, due: when }, sendOnce) => {
        const key = digestKey(sub.id, when.day);
        const messageDone = done.has(`digest/${key}`);
        const pictureDone = done.has(`digest-chart/${key}`);
        if (messageDone && pictureDone) return 'skipped';
        const milestones = await subscribedMilestones(deps, sub);
        if (milestones.length === 0) return null;
        const subject = sub.milestone ? `${sub.milestone.project.key}/${sub.milestone.name}` : (sub.project?.key ?? '?');
        let trend: TrendPoint[] | undefined;
        let notInvited = false;
        const access = pictureDone ? 'member' : await channelAccess(deps, sub);
        const message = messageDone
          ? 'skipped'
          : await sendOnce({ kind: 'digest', key }, async () => {
              const built = await buildDigest(deps, sub, milestones, when.day, now);
              trend = built.trend;
              const pictureNote = access === 'needs-invite' ? PICTURE_NEEDS_INVITE : null;
              try {
                await deps.notifier.post({
                  workspaceId: sub.workspaceId,
                  channel: sub.channelId,
                  ...digestMessage({ subject, day: when.day, items: built.items, pictureNote }),
                });
              } catch (err) {
                notInvited = err instanceof NotInChannelError;
                // Not posted: the owners were not mentioned, so the next message (a retry, a thread reply) may.
                await releaseAll(deps, built.mentions);
                throw err;
              }
              await confirmAll(deps, built.mentions);
            });
        if (notInvited) await askToInvite(deps, sub, subject, sendOnce);
        // The picture follows its message, never precedes it.
        const messageSent = message === 'sent' || messageDone || (await isSent(deps, 'digest', key));
        if (messageSent && !pictureDone) {
          const picture = await sendOnce({ kind: 'digest-chart', key }, async () => {
            const points =
              trend ??
              (
                await loadTrend(
                  deps,
                  milestones.map((m) => m.id),
                  when.day,
                )
              ).total;
            const png = await renderTrendPng(points, `${subject} — pass rate and open blockers, last ${points.length} days`);
            await deps.notifier.upload({
              workspaceId: sub.workspaceId,
              channel: sub.channelId,
              filename: `shipgate-trend-${subject.replace(/[^A-Za-z0-9.-]+/g, '-')}-${when.day}.png`,
              title: `${subject}: trend to ${when.day}`,
              content: png,
            });
          });
          // Counted apart from the message: the picture is not a delivery of its own.
          if (picture === 'sent') summary.pictures++;
          if (picture === 'failed') {
            summary.failed++;
            await sayIfPictureGivenUp(deps, sub, { key, subject, day: when.day }, sendOnce);
          }
        }
        return message;
      },
    },
    summary,
  );
}

/** Whether the picture can be posted (joining a public channel on the way); unknown when Slack cannot say. */
async function channelAccess(deps: TickDeps, sub: Subscription): Promise<ChannelAccess> {
  try {
    return await deps.notifier.channelAccess(sub.workspaceId, sub.channelId);
  } catch (err) {
    deps.logger.warn(
      { err, subscriptionId: sub.id, channel: sub.channelId },
      'could not check channel membership; trying the upload anyway',
    );
    return 'unknown';
  }
}

/** The digest cannot be posted in a private channel the bot is not in: its subscriber is asked, once, to invite Shipgate. */
async function askToInvite(deps: TickDeps, sub: Subscription, subject: string, sendOnce: SendOnce): Promise<void> {
  deps.logger.warn(
    { subscriptionId: sub.id, channel: sub.channelId },
    'digest not posted: Shipgate is not a member of the private channel',
  );
  if (!sub.createdBy) return;
  const subscriber = sub.createdBy;
  await sendOnce({ kind: 'digest-invite', key: sub.id }, async () => {
    await deps.notifier.post({
      workspaceId: sub.workspaceId,
      channel: subscriber,
      ...digestInviteRequest({ subject, channelId: sub.channelId }),
    });
  });
}

/** A picture whose claim has used every attempt is not dropped silently: logged, and the channel told once. */
async function sayIfPictureGivenUp(
  deps: TickDeps,
  sub: Subscription,
  o: { key: string; subject: string; day: string },
  sendOnce: SendOnce,
): Promise<void> {
  const row = await deps.db.prisma.claim.findUnique({
    where: { kind_key: { kind: 'digest-chart', key: o.key } },
    select: { attempts: true, lastError: true },
  });
  if (!row || row.attempts < CLAIM_MAX_ATTEMPTS) return;
  deps.logger.error({ subscriptionId: sub.id, day: o.day, lastError: row.lastError }, 'digest picture given up after every retry');
  await sendOnce({ kind: 'digest-chart-lost', key: o.key }, async () => {
    await deps.notifier.post({
      workspaceId: sub.workspaceId,
      channel: sub.channelId,
      ...pictureLostNotice({ subject: o.subject, day: o.day, error: row.lastError }),
    });
  });
}

export function digestKey(subscriptionId: string, day: string): string {
  return `${subscriptionId}:${day}`;
}

async function isSent(deps: TickDeps, kind: string, key: string): Promise<boolean> {
  const row = await deps.db.prisma.claim.findUnique({ where: { kind_key: { kind, key } }, select: { sentAt: true } });
  return Boolean(row?.sentAt);
}

/** The milestone subscribed to, or the project's active milestones; archived and completed ones leave the digest. */
async function subscribedMilestones(deps: TickDeps, sub: Subscription): Promise<{ id: string; timeZone: string }[]> {
  if (sub.milestoneId) {
    if (sub.milestone?.status !== 'ACTIVE') return [];
    return deps.db.prisma.milestone.findMany({ where: { id: sub.milestoneId }, select: { id: true, timeZone: true } });
  }
  if (!sub.projectId) return [];
  return deps.db.prisma.milestone.findMany({
    where: { projectId: sub.projectId, status: 'ACTIVE' },
    select: { id: true, timeZone: true },
    orderBy: { name: 'asc' },
  });
}

/**
 * Each milestone's card (readiness through THE verdict function), today's
 * snapshot written, its pass rate at the previous digest of this subscription,
 * and the trend.
 */
async function buildDigest(deps: TickDeps, sub: Subscription, milestones: { id: string; timeZone: string }[], day: string, now: Date) {
  const prisma = deps.db.prisma;
  const previous = await prisma.claim.findFirst({
    where: { kind: 'digest', key: { startsWith: `${sub.id}:`, lt: digestKey(sub.id, day) }, sentAt: { not: null } },
    orderBy: { key: 'desc' },
    select: { key: true, sentAt: true },
  });
  // The digest leads with what changed since the last one this channel got.
  const since = previous?.sentAt && previous.sentAt.getTime() <= now.getTime() ? previous.sentAt : undefined;
  // A few milestones at a time: PostgreSQL answers them in parallel; SQLite
  // (one synchronous connection) simply takes them in turn.
  const loaded = await pLimit(READINESS_PARALLEL).map(milestones, async (m) => {
    try {
      return { card: await loadCard({ db: deps.db, now: () => now }, m.id, { since }), timeZone: m.timeZone };
    } catch (err) {
      // One bad milestone is left out of the digest rather than stopping it.
      deps.logger.error({ err, milestoneId: m.id, subscriptionId: sub.id }, 'milestone left out of the digest');
      return null;
    }
  });
  const ok = loaded.filter((l): l is NonNullable<typeof l> => l !== null);
  if (ok.length === 0) throw new Error('no milestone of this digest could be read');
  // The owners of the tests newly failing since the last digest, each once per milestone and local day across
  // digests, thread replies and replicas (services/owner-mentions.ts). None on a channel's first digest: nothing is "new" yet.
  const mentions = new Map<string, HeldOwnerMentions>();
  for (const l of ok) {
    const r = l.card.readiness;
    if (!since || !r.changes || r.changes.tests.newlyFailing.total === 0) continue;
    try {
      mentions.set(
        r.milestone.id,
        await takeNewlyFailingOwnerMentions({ db: deps.db, now: () => now }, { milestoneId: r.milestone.id, since }),
      );
    } catch (err) {
      // The digest goes out without the mentions rather than not at all.
      deps.logger.error({ err, milestoneId: r.milestone.id, subscriptionId: sub.id }, 'owners of newly failing tests not read');
    }
  }
  const cards = ok.map((l) => l.card);
  await saveSnapshots(
    prisma,
    ok.map((l) => ({ milestoneId: l.card.readiness.milestone.id, day: localDate(now, zoneOf(l.timeZone)), readiness: l.card.readiness })),
    now,
  );
  const ids = milestones.map((m) => m.id);
  const previousDay = previous?.key.slice(sub.id.length + 1);
  const baseline = previousDay
    ? new Map((await loadSnapshots(prisma, ids, [previousDay])).map((s) => [s.milestoneId, s.passRate]))
    : new Map<string, number | null>();
  // Today's point is the state this digest shows, whatever was recorded earlier today.
  const current = cards.map((c) => ({
    milestoneId: c.readiness.milestone.id,
    day,
    passRate: c.readiness.metrics.passRate,
    executed: c.readiness.metrics.executed,
    openBlockers: openBlockers(c.readiness),
  }));
  const trend = await loadTrend(deps, ids, day, current);
  const items: DigestItem[] = cards.map((card) => ({
    card,
    previousPassRate: baseline.has(card.readiness.milestone.id) ? baseline.get(card.readiness.milestone.id) : undefined,
    trend: trend.perMilestone.get(card.readiness.milestone.id) ?? [],
    owners: mentions.get(card.readiness.milestone.id)?.owners ?? [],
  }));
  return { items, trend: trend.total, mentions: [...mentions.values()] };
}

async function confirmAll(deps: TickDeps, mentions: HeldOwnerMentions[]): Promise<void> {
  try {
    for (const m of mentions) await m.confirm();
  } catch (err) {
    // Posted, so not an error of the digest: at worst an owner is mentioned again after the claim's lease.
    deps.logger.warn({ err }, 'owner mentions not recorded as made');
  }
}

async function releaseAll(deps: TickDeps, mentions: HeldOwnerMentions[]): Promise<void> {
  try {
    for (const m of mentions) await m.release();
  } catch (err) {
    deps.logger.warn({ err }, 'owner mentions not released; they are free again when their claims expire');
  }
}

async function loadTrend(deps: TickDeps, milestoneIds: string[], day: string, today: (DaySnapshot & { milestoneId: string })[] = []) {
  const days = dayRange(day, TREND_DAYS);
  const stored = await loadSnapshots(deps.db.prisma, milestoneIds, today.length ? days.slice(0, -1) : days);
  const snapshots = [...stored, ...today];
  const grouped = new Map<string, typeof snapshots>(milestoneIds.map((id) => [id, []]));
  for (const s of snapshots) grouped.get(s.milestoneId)?.push(s);
  const perMilestone = new Map([...grouped].map(([id, list]) => [id, trendPoints(days, list)]));
  return { total: trendPoints(days, snapshots), perMilestone };
}
