// Tells a milestone's channel, once, that a defect's Jira change flipped its
// verdict. "Once" is a Claim row per (milestone, new verdict, defect, Jira
// update), so a webhook retried, a reconcile that sees the same change and a
// second replica all end in one message. The text is built by
// src/messages/verdict-change-notice.ts. With threads on in the channel (the
// default), it is a reply in the thread of the milestone's living message
// (SPEC §11), whose card the living tick brings to the new verdict: the reply
// says what Jira changed, and the thread's verdict line the rest.
import { sendOnce } from '../db/claims.js';
import { threadsOn } from '../db/living-messages.js';
import { enqueue, OUTBOX } from '../db/outbox.js';
import { tickOwner } from '../db/tick-owner.js';
import { verdictChangeText, verdictChangeWhy } from '../messages/verdict-change-notice.js';
import type { ReadinessView } from '../services/get-readiness.js';
import type { JiraDeps } from './jira-deps.js';

export interface VerdictChange {
  workspaceId: string;
  before: ReadinessView;
  after: ReadinessView;
  defect: { id: string; title: string; jiraKey: string | null; jiraUrl: string | null; status: string };
  jiraStatus: string | null;
  jiraUpdatedAt: Date;
}

export async function announceVerdictChange(
  deps: JiraDeps,
  change: VerdictChange,
  now: Date,
): Promise<'sent' | 'skipped' | 'failed' | 'no-channel'> {
  const channel = change.after.milestone.slackChannelId;
  if (!channel) return 'no-channel';
  const key = `${change.after.milestone.id}:${change.after.verdict}:${change.defect.id}:${change.jiraUpdatedAt.toISOString()}`;
  const outcome = await sendOnce(deps.db.prisma, { kind: 'verdict-change', key, owner: tickOwner(), now }, async () => {
    if (await threadsOn(deps.db.prisma, change.workspaceId, channel)) {
      const event = {
        kind: 'jira',
        milestoneId: change.after.milestone.id,
        defectId: change.defect.id,
        text: verdictChangeWhy(change),
      } as const;
      await enqueue(deps.db.prisma, OUTBOX.livingEvent(event, `verdict:${key}`, now));
      return;
    }
    await deps.notifier.post({ workspaceId: change.workspaceId, channel, text: verdictChangeText(change) });
  });
  if (outcome === 'failed')
    deps.logger.warn({ milestoneId: change.after.milestone.id, defectId: change.defect.id }, 'verdict change not announced');
  return outcome;
}
