// Slack re-sends an event it thinks was not delivered (X-Slack-Retry-Num); an
// event's effect must happen once. The event id is claimed in the database (a
// unique row, so it holds across replicas); a second claim means "done already".
import { isUniqueViolation } from './errors.js';
import type { Database } from './open-database.js';

export async function claimSlackEvent(db: Database, options: { eventId: string; by?: string; at: Date }): Promise<boolean> {
  try {
    await db.prisma.claim.create({
      data: { kind: 'slack.event', key: options.eventId, claimedBy: options.by ?? null, sentAt: options.at },
    });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
