// The ephemeral help of `/milestone` (and of every mistake: the problem, then the right form).
import { USAGE } from './command-usage.js';
import { escape } from './format.js';
import { clip, LIMITS, mrkdwn, type Block } from './limits.js';

const LINES: [keyof typeof USAGE, string][] = [
  ['create', 'open the form for a new milestone'],
  ['list', 'milestones with verdict, pass rate and due date'],
  ['status', 'the readiness card'],
  ['link', 'attach a run or start a manual run'],
  ['scope', 'the test cases that must run'],
  ['defect', 'report a defect (and create or link a Jira issue)'],
  ['signoff', 'approve or reject'],
  ['complete', 'finish the milestone (GO or with an override reason)'],
  ['reopen', 'make a completed milestone active again'],
  ['archive', 'remove it from every active view'],
  ['subscribe', 'a go/no-go digest in this channel'],
  ['subscriptions', "this channel's digests"],
  ['unsubscribe', 'stop that digest'],
  ['project create', 'a project'],
  ['project jira', 'map a project to a Jira project'],
  ['project use', "make a project this channel's default"],
  ['apikey create', 'a CI key for the REST API (shown once)'],
  ['apikey list', "a project's CI keys"],
  ['apikey revoke', 'revoke a CI key'],
  ['quarantine', "leave a non-critical test's failures out of the pass rate until a date (alone: the project's quarantines)"],
  ['unquarantine', "end a test's quarantine: its failures count again"],
  ['approvers', 'who alone may change the gate, waive, override and sign off (none: anyone)'],
  ['owners', 'who owns which tests (patterns, the last match wins): mentioned when theirs newly fail'],
  ['threads', "this channel's living message: one card a day per milestone, events in its thread (on by default)"],
];

export function helpMessage(): { text: string; blocks: Block[] } {
  // "<milestone>" in a usage is a placeholder, and must be escaped to show as one rather than as a Slack link.
  const lines = LINES.map(([key, what]) => `\`${escape(USAGE[key])}\` — ${what}`);
  return {
    text: 'Shipgate: /milestone subcommands',
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          '*Shipgate* answers "can we ship this milestone?". Name a milestone as `PROJECT/name`, or just `name` when it is unique or the channel has a default project.',
        ),
      },
      { type: 'section', text: mrkdwn(lines.join('\n')) },
    ],
  };
}

/** What went wrong (plain text, escaped whole: it may echo what someone typed), and the form that would work. */
export function problemMessage(problem: string, usage?: string): { text: string; blocks: Block[] } {
  const text = clip(escape(usage ? `${problem}\nTry: ${usage}` : problem), LIMITS.sectionText);
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(`:warning: ${escape(problem)}`) },
      ...(usage
        ? [
            {
              type: 'context' as const,
              elements: [
                mrkdwn(
                  `Try: ${usage
                    .split('\n')
                    .map((u) => `\`${escape(u)}\``)
                    .join('  ·  ')}`,
                ),
              ],
            },
          ]
        : []),
    ],
  };
}
