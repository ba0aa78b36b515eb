// Due-date reminders: to the milestone's channel at the configured
// offsets (default 3 days, 1 day, the due day) and daily while overdue, at the
// digest time of day in the milestone's time zone. Each is claimed once per
// milestone and local day, so any number of replicas send it once; a tick
// missed while every replica was down is caught up by the next one that day.
import { calendarDaysBetween, isValidTimeZone, localDate, zonedTimeToUtc } from '../domain/time.js';
import { getMilestoneCard as loadCard } from '../services/get-milestone-card.js';
import { reminderMessage } from '../messages/reminder-message.js';
import { sendOnce } from './claims.js';
import { tickOwner } from './tick-owner.js';
import { count, emptySummary, type TickDeps, type TickSummary } from './tick-summary.js';

export type { TickDeps, TickSummary } from './tick-summary.js';

export async function runRemindersTick(deps: TickDeps, now: Date): Promise<TickSummary> {
  const summary = emptySummary();
  const offsets = deps.config.reminders.offsets;
  // With Slack off nothing can be delivered: claim nothing, so the reminders
  // still go out once Slack is connected.
  if (!deps.notifier.enabled) return summary;
  const milestones = await deps.db.prisma.milestone.findMany({
    where: { status: 'ACTIVE', dueDate: { not: null } },
    include: { project: true },
  });
  for (const m of milestones) {
    const channel = m.slackChannelId ?? m.project.slackChannelId;
    const tz = isValidTimeZone(m.timeZone) ? m.timeZone : 'UTC';
    if (!channel || !m.dueDate) continue;
    const daysLeft = calendarDaysBetween(now, m.dueDate, tz);
    if (daysLeft >= 0 && !offsets.includes(daysLeft)) continue;
    const day = localDate(now, tz);
    if (now < zonedTimeToUtc(day, deps.config.digest.time, tz)) continue;
    summary.considered++;
    try {
      const outcome = await sendOnce(deps.db.prisma, { kind: 'reminder', key: `${m.id}:${day}`, owner: tickOwner(), now }, async () => {
        const card = await loadCard({ db: deps.db, now: () => now }, m.id);
        const message = reminderMessage(card, daysLeft);
        await deps.notifier.post({ workspaceId: m.project.workspaceId, channel, ...message });
      });
      count(summary, outcome);
      if (outcome === 'failed') deps.logger.warn({ milestoneId: m.id }, 'reminder not delivered; it will be retried');
    } catch (err) {
      // One bad milestone never stops the tick.
      summary.failed++;
      deps.logger.error({ err, milestoneId: m.id }, 'reminder failed');
    }
  }
  return summary;
}
