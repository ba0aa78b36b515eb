// The go/no-go digest: per milestone its verdict and reasons, pass
// rate and its change since the previous digest, open blockers with Jira
// links, runs in progress, due risk, and the trend as a text sparkline (the
// picture is uploaded beside it). Milestones in the worst state come first.
// Pure: data in, Block Kit out, within Slack's 50-block message limit.
import type { TrendPoint } from '../charts/trend.js';
import { sparkline } from '../charts/sparkline.js';
import { shareInTenths } from '../domain/percent.js';
import { ACTIONS } from './action-ids.js';
import {
  channelMention,
  dueText,
  DUE_RISK_TEXT,
  escape,
  jiraRef,
  passRateText,
  reasonMrkdwn,
  SEVERITY_ICON,
  VERDICT_BADGE,
  VERDICT_LABEL,
  VERDICTS_WORST_FIRST,
  worstVerdictFirst,
} from './format.js';
import { clip, LIMITS, linesWithin, mrkdwn, plainText, type Block } from './limits.js';
import type { CardData } from './readiness-card.js';
import type { Changes } from '../domain/changes.js';
import { changesSummary } from './changes-summary.js';
import { ownerMentionsLine } from './owners-messages.js';
import { forecastLine } from './forecast-line.js';

export interface DigestItem {
  card: CardData;
  /** Pass rate at the previous digest; undefined when there was none to compare with. */
  previousPassRate?: number | null;
  /** Oldest first, today last. */
  trend: TrendPoint[];
  /** Owners of the newly failing tests to mention (Slack user and group ids, not yet mentioned today). */
  owners?: readonly string[];
}

export interface DigestInput {
  /** What the channel subscribed to: "PAY" or "PAY/2.4". */
  subject: string;
  /** The local date of this digest, YYYY-MM-DD. */
  day: string;
  items: DigestItem[];
  /** Why the trend picture cannot be posted with this digest (plain text), so the channel reads it in the digest itself. */
  pictureNote?: string | null;
}

const REASON_LINES = 5;
const BLOCKER_LINES = 5;
const RUN_LINES = 5;
const CHANGED_TEST_LINES = 5;

/**
 * "▲ +2 pts", "▼ −3.5 pts", "no change"; null when there is nothing to compare.
 * The difference of the two rates as shown (each cut to one decimal), so the
 * change always matches the numbers people see.
 */
export function passRateChange(current: number | null, previous: number | null | undefined): string | null {
  if (previous === undefined || previous === null || current === null) return null;
  const points = (shareInTenths(current) - shareInTenths(previous)) / 10;
  if (points === 0) return 'no change';
  const text = Number.isInteger(points) ? String(Math.abs(points)) : Math.abs(points).toFixed(1);
  return points > 0 ? `▲ +${text} pts` : `▼ −${text} pts`;
}

export function digestMessage(input: DigestInput): { text: string; blocks: Block[] } {
  const items = [...input.items].sort(
    (a, b) =>
      worstVerdictFirst(a.card.readiness.verdict, b.card.readiness.verdict) ||
      a.card.readiness.milestone.name.localeCompare(b.card.readiness.milestone.name),
  );
  const counts = VERDICTS_WORST_FIRST.map((v) => [v, items.filter((i) => i.card.readiness.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${VERDICT_LABEL[v]}`);

  const head: Block[] = [{ type: 'header', text: plainText(`Go/no-go digest — ${input.subject} — ${input.day}`, LIMITS.headerText) }];
  if (items.length > 1) head.push({ type: 'context', elements: [mrkdwn(`${items.length} active milestones: ${counts.join(' · ')}`)] });

  // Whole milestones only: stop before one would not fit, and say how many are left.
  const body: Block[] = [];
  const note: Block[] = input.pictureNote
    ? [{ type: 'context', elements: [mrkdwn(`:frame_with_picture: ${escape(clip(input.pictureNote, 1000))}`)] }]
    : [];
  let shown = 0;
  for (const item of items) {
    const blocks = [...(shown > 0 ? [{ type: 'divider' } as Block] : []), ...itemBlocks(item)];
    if (head.length + body.length + blocks.length + note.length + 1 > LIMITS.messageBlocks) break;
    body.push(...blocks);
    shown++;
  }
  if (shown < items.length) {
    const project = input.subject.split('/')[0];
    body.push({
      type: 'context',
      elements: [mrkdwn(`…and ${items.length - shown} more milestones: \`/milestone list ${escape(project ?? '')}\` shows them all.`)],
    });
  }

  const summary =
    items.length === 1 ? itemText(items[0]!) : `Go/no-go digest for ${escape(clip(input.subject, 500))}: ${counts.join(', ')}`;
  // The note comes first in the fallback, so a cut summary never hides it.
  const text = input.pictureNote ? `${escape(clip(input.pictureNote, 1000))}\n${summary}` : summary;
  return { text: clip(text, LIMITS.sectionText), blocks: [...head, ...body, ...note] };
}

function itemText(item: DigestItem): string {
  const r = item.card.readiness;
  const change = passRateChange(r.metrics.passRate, item.previousPassRate);
  return `${escape(`${r.milestone.projectKey}/${r.milestone.name}`)}: ${VERDICT_LABEL[r.verdict]} — pass rate ${passRateText(r.metrics.passed, r.metrics.executed)}${change ? ` (${change})` : ''}`;
}

function itemBlocks(item: DigestItem): Block[] {
  const { readiness: r, blockers, blockerCount, runsInProgress } = item.card;
  const m = r.milestone;
  const metrics = r.metrics;
  const change = passRateChange(metrics.passRate, item.previousPassRate);
  const lines = [
    `${VERDICT_BADGE[r.verdict]} *${escape(`${m.projectKey}/${m.name}`)}* — *${VERDICT_LABEL[r.verdict]}*`,
    // What changed since the last digest leads, test by test.
    ...(r.changes ? [changesLines(r.changes)] : []),
    ...(item.owners?.length ? [ownerMentionsLine(item.owners)!] : []),
    `Pass rate ${passRateText(metrics.passed, metrics.executed)}${change ? ` ${change} since the last digest` : ''}`,
    `Due ${dueText(m.dueDate, m.timeZone, metrics.daysLeft)} · ${DUE_RISK_TEXT[metrics.dueRisk]}`,
  ];
  const forecast = forecastLine(r);
  if (forecast) lines.push(escape(forecast));
  const reasons = r.reasons.map((reason) => `${SEVERITY_ICON[reason.severity]} ${reasonMrkdwn(reason)}`);
  if (reasons.length) lines.push(linesWithin(reasons, 1200, REASON_LINES));

  if (blockerCount > 0) {
    const list = blockers.map((d) => `• ${jiraRef(d)}${escape(clip(d.title, 200))} (${escape(d.severity)})`);
    lines.push(`*Open blockers (${blockerCount})*\n${linesWithin(list, 900, BLOCKER_LINES, blockerCount - blockers.length)}`);
  }
  if (metrics.runs.inProgress > 0) {
    const list = runsInProgress.map((run) => `• ${escape(run.name)}${run.environment ? ` on ${escape(run.environment)}` : ''}`);
    lines.push(
      `*Runs in progress (${metrics.runs.inProgress})*\n${linesWithin(list, 600, RUN_LINES, metrics.runs.inProgress - runsInProgress.length)}`,
    );
  }

  const passRates = item.trend.map((p) => p.passRate);
  const blockerTrend = item.trend.map((p) => p.openBlockers);
  const trend =
    `Last ${item.trend.length} days — pass rate \`${sparkline(passRates, { min: 0, max: 1 })}\` · ` +
    `open blockers \`${sparkline(blockerTrend, { min: 0, max: Math.max(1, ...blockerTrend.map((b) => b ?? 0)) })}\``;

  return [
    {
      type: 'section',
      text: mrkdwn(lines.join('\n'), LIMITS.sectionText),
      accessory: { type: 'button', action_id: ACTIONS.openCard, text: plainText('Card', LIMITS.buttonText), value: m.id },
    },
    ...(item.trend.length ? [{ type: 'context', elements: [mrkdwn(trend)] } as Block] : []),
  ];
}

/** The changes since the last digest in a sentence, then the newly failing tests by name (the first few). */
function changesLines(changes: Changes): string {
  const failing = changes.tests.newlyFailing;
  const list = failing.tests.map(
    (t) => `• ${escape(clip(t.key, 200))} in ${escape(clip(t.environment, 80))} (run ${escape(clip(t.run.name, 80))})`,
  );
  const named = list.length ? `\n${linesWithin(list, 900, CHANGED_TEST_LINES, failing.total - failing.tests.length)}` : '';
  return `:arrows_counterclockwise: ${escape(changesSummary(changes, 'the last digest'))}${named}`;
}

/** Said in the digest itself when its trend picture cannot be posted in the channel (plain text). */
export const PICTURE_NEEDS_INVITE =
  'The trend picture cannot be posted here: Shipgate is not a member of this private channel. Someone in it can type /invite @Shipgate.';

/** To the person who subscribed, once: the digest cannot be posted in a private channel the bot is not in. */
export function digestInviteRequest(o: { subject: string; channelId: string }): { text: string; blocks: Block[] } {
  const text =
    `:warning: Shipgate could not post the go/no-go digest of *${escape(clip(o.subject, 500))}* in ${channelMention(o.channelId)}: ` +
    'it is not a member of that private channel. Someone in it can type `/invite @Shipgate`; the next digest then arrives there with its trend picture.';
  return { text: clip(text, LIMITS.sectionText), blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** To the channel, once, when a digest's trend picture could not be posted after every retry. */
export function pictureLostNotice(o: { subject: string; day: string; error: string | null }): { text: string; blocks: Block[] } {
  const why = o.error ? ` (Slack said: ${escape(clip(o.error, 300))})` : '';
  const text = `:frame_with_picture: The trend picture of the go/no-go digest of *${escape(clip(o.subject, 500))}* for ${escape(o.day)} could not be posted after several tries${why}. The digest itself is above; tomorrow's comes with a new picture.`;
  return { text: clip(text, LIMITS.sectionText), blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
