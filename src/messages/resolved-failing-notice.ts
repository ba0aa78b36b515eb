// The line a milestone's channel reads, once, when a defect resolved in
// Shipgate (or Done in Jira) has its linked test fail in a run that started
// after the resolution: the fix did not hold. Pure text (Slack mrkdwn) with
// every value from data escaped; the tick (jobs/resolved-failing-tick.ts)
// decides when it is sent. Every value is clipped so that the line stays within
// Slack's 4,000 characters even when each is escaped or made of long emoji.
import { escape } from './format.js';
import { clip } from './limits.js';

export interface ResolvedFailingNotice {
  projectKey: string;
  milestoneName: string;
  defectTitle: string;
  jiraKey: string | null;
  testKey: string;
  testTitle: string;
  environment: string;
  runName: string;
  resolvedAt: Date;
}

export function resolvedFailingNoticeText(n: ResolvedFailingNotice): string {
  const defect = `${n.jiraKey ? `${escape(clip(n.jiraKey, 20))} ` : ''}“${escape(clip(n.defectTitle, 80))}”`;
  const test = `${escape(clip(n.testTitle, 60))} (${escape(clip(n.testKey, 80))})`;
  return (
    `:repeat: *${escape(clip(n.projectKey, 10))}/${escape(clip(n.milestoneName, 60))}*: defect ${defect} was resolved ` +
    `${n.resolvedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, but its test ${test} failed on ` +
    `${escape(clip(n.environment, 40))} in ${escape(clip(n.runName, 60))}, a run that started after that. ` +
    'If the fix did not hold, reopen the defect.'
  );
}
