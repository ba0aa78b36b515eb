// Due-date reminders: to the milestone's channel at the configured
// offsets (default 3 days, 1 day, the due day) and daily while overdue, at the
// digest time of day in the milestone's time zone. Each is claimed once per
// milestone and local day, so any number of replicas send it once; a tick
// missed while every replica was down is caught up by the next one that day.
import { calendarDaysBetween, isValidTimeZone, localDate, zonedTimeToUtc } from '../domain/time.js';
import { getChannelCard } from '../services/get-milestone-card.js';
import { reminderMessage } from '../messages/reminder-message.js';
import { threadsOn } from '../db/living-messages.js';
import { enqueue, OUTBOX } from '../db/outbox.js';
import { deliverOnce, emptySummary, type DeliverySummary } from './deliver-once.js';
import type { TickDeps } from './tick-deps.js';

export async function runRemindersTick(deps: TickDeps, now: Date): Promise<DeliverySummary> {
  const offsets = deps.config.reminders.offsets;
  // With Slack off nothing can be delivered: claim nothing, so the reminders
  // still go out once Slack is connected.
  if (!deps.notifier.enabled) return emptySummary();
  const milestones = await deps.db.prisma.milestone.findMany({
    where: { status: 'ACTIVE', dueDate: { not: null } },
    include: { project: true },
  });
  const due = milestones.flatMap((m) => {
    const channel = m.slackChannelId ?? m.project.slackChannelId;
    const tz = isValidTimeZone(m.timeZone) ? m.timeZone : 'UTC';
    if (!channel || !m.dueDate) return [];
    const daysLeft = calendarDaysBetween(now, m.dueDate, tz);
    if (daysLeft >= 0 && !offsets.includes(daysLeft)) return [];
    const day = localDate(now, tz);
    if (now < zonedTimeToUtc(day, deps.config.digest.time, tz)) return [];
    return [{ m, channel, day, daysLeft }];
  });
  return deliverOnce(
    deps,
    now,
    {
      due,
      what: 'reminder',
      about: ({ m }) => ({ milestoneId: m.id }),
      deliver: ({ m, channel, day, daysLeft }, sendOnce) =>
        sendOnce({ kind: 'reminder', key: `${m.id}:${day}` }, async () => {
          // With threads on (the default), the reminder is a reply in the thread of the milestone's living message.
          if (await threadsOn(deps.db.prisma, m.project.workspaceId, channel)) {
            await enqueue(deps.db.prisma, OUTBOX.livingEvent({ kind: 'reminder', milestoneId: m.id, daysLeft }, `${m.id}:${day}`, now));
            return;
          }
          const card = await getChannelCard({ db: deps.db, config: deps.config, now: () => now }, m.id);
          const message = reminderMessage(card, daysLeft);
          await deps.notifier.post({ workspaceId: m.project.workspaceId, channel, ...message });
        }),
    },
    emptySummary(),
  );
}
