// Slack re-sends an event it thinks was not delivered (X-Slack-Retry-Num); an
// event's effect must happen once. The event id is claimed in the database (a
// unique row, so it holds across replicas); a second claim means "done already".
import type { Prisma } from '../db/open-database.js';
import { isUniqueViolation } from '../db/errors.js';

export async function claimEvent(prisma: Prisma, eventId: string, by?: string): Promise<boolean> {
  try {
    await prisma.claim.create({ data: { kind: 'slack.event', key: eventId, claimedBy: by ?? null, sentAt: new Date() } });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
