// Tells a milestone's channel, once, that a defect's Jira change flipped its
// verdict. "Once" is a Claim row per (milestone, new verdict, defect, Jira
// update), so a webhook retried, a reconcile that sees the same change and a
// second replica all end in one message.
import { sendOnce } from '../jobs/claims.js';
import { tickOwner } from '../jobs/tick-owner.js';
import type { ReadinessView } from '../services/get-readiness.js';
import type { JiraDeps } from './jira-deps.js';

const BADGE: Record<string, string> = { GO: '🟢', GO_WITH_RISKS: '🟡', INSUFFICIENT_EVIDENCE: '⚪', NO_GO: '🔴' };
const WORDS: Record<string, string> = {
  GO: 'GO',
  GO_WITH_RISKS: 'GO with risks',
  INSUFFICIENT_EVIDENCE: 'insufficient evidence',
  NO_GO: 'NO-GO',
};

export interface VerdictChange {
  workspaceId: string;
  before: ReadinessView;
  after: ReadinessView;
  defect: { id: string; title: string; jiraKey: string | null; jiraUrl: string | null; status: string };
  jiraStatus: string | null;
  jiraUpdatedAt: Date;
}

export function verdictChangeText(c: VerdictChange): string {
  const m = c.after.milestone;
  const issue = c.defect.jiraKey ?? 'its Jira issue';
  const head = `${BADGE[c.after.verdict] ?? ''} ${m.projectKey}/${m.name} is now ${WORDS[c.after.verdict] ?? c.after.verdict} (was ${WORDS[c.before.verdict] ?? c.before.verdict}).`;
  const why = `${issue} “${c.defect.title}” moved to ${c.jiraStatus ?? 'a new status'} in Jira, so the defect is ${c.defect.status}.`;
  const reasons = c.after.reasons
    .filter((r) => r.severity !== 'info')
    .slice(0, 3)
    .map((r) => `• ${r.message}`);
  return [head.trim(), why, ...reasons].join('\n');
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
    await deps.notifier.post({ workspaceId: change.workspaceId, channel, text: verdictChangeText(change) });
  });
  if (outcome === 'failed')
    deps.logger.warn({ milestoneId: change.after.milestone.id, defectId: change.defect.id }, 'verdict change not announced');
  return outcome;
}
