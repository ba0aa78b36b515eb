// The readiness card: verdict and reasons, pass rate with its
// denominator, open blockers with Jira links, runs in progress, environments,
// due date and risk, sign-offs, and the buttons people act on it with (and
// Open report, a link to the milestone's readiness page, when there is one).
// Pure: the data comes in (services/get-milestone-card.ts), Block Kit goes out.
import type { CardData } from '../services/get-milestone-card.js';
import { ACTIONS, QUARANTINE_BUTTONS, quarantineActionId } from './action-ids.js';
import {
  badge,
  dueText,
  DUE_RISK_TEXT,
  escape,
  gatePercent,
  isLinkableUrl,
  jiraRef,
  mention,
  passRateText,
  percent,
  ratioPercent,
  reasonMrkdwn,
  SEVERITY_ICON,
  utcMinute,
  VERDICT_BADGE,
  VERDICT_LABEL,
} from './format.js';
import { blocksWithin, clip, LIMITS, linesWithin, mrkdwn, plainText, type Block } from './limits.js';
import { checksLine } from './checks-line.js';
import { forecastLine } from './forecast-line.js';

export type { CardData, CardDefect, CardRun } from '../services/get-milestone-card.js';

/** Blockers shown with their own Waive button; the rest are summarised. */
const BLOCKERS_WITH_BUTTONS = 8;
const RUN_LINES = 10;

export function readinessCard(data: CardData): { text: string; blocks: Block[] } {
  const { readiness: r } = data;
  const m = r.milestone;
  const title = `${m.projectKey}/${m.name}`;
  const metrics = r.metrics;
  const text = `${escape(title)}: ${VERDICT_LABEL[r.verdict]} — pass rate ${passRateText(metrics.passed, metrics.executed)}`;

  const blocks: Block[] = [{ type: 'header', text: plainText(`${title} — ${VERDICT_LABEL[r.verdict]}`, LIMITS.headerText) }];
  if (m.status !== 'ACTIVE') {
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `Status: *${escape(m.status.toLowerCase())}*${m.completionOverrideReason ? ` (override: ${escape(m.completionOverrideReason)})` : ''}`,
        ),
      ],
    });
  }
  const reasons = r.reasons.length
    ? r.reasons.map((reason) => `${SEVERITY_ICON[reason.severity]} ${reasonMrkdwn(reason)}`)
    : ['All gates pass.'];
  blocks.push({
    type: 'section',
    text: mrkdwn(`${VERDICT_BADGE[r.verdict]} *${VERDICT_LABEL[r.verdict]}*\n${linesWithin(reasons, LIMITS.sectionText - 100)}`),
  });
  const quarantinable = m.status === 'ACTIVE' ? (data.quarantinable ?? []).slice(0, QUARANTINE_BUTTONS) : [];
  if (quarantinable.length > 0 && r.reasons.some((reason) => reason.code === 'FLAKY_TESTS')) {
    // Beside the reason naming them: quarantine a flaky (non-critical) test from the card. Ids only in the value.
    blocks.push({
      type: 'actions',
      block_id: 'card_flaky',
      elements: quarantinable.map((t, i) => ({
        type: 'button' as const,
        action_id: quarantineActionId(i),
        text: plainText(`Quarantine ${t.key}`, LIMITS.buttonText),
        value: `${m.id}:${t.caseId}`,
      })),
    });
  }
  if (r.checks.length > 0) blocks.push({ type: 'context', elements: [mrkdwn(checksLine(r.checks))] });
  const forecast = forecastLine(r);
  if (forecast) blocks.push({ type: 'context', elements: [mrkdwn(`:crystal_ball: ${escape(forecast)}`)] });

  const signoffLine =
    r.policy.requiredSignoffs > 0 ? `${metrics.approvals}/${r.policy.requiredSignoffs} approvals` : `${metrics.approvals} approvals`;
  blocks.push({
    type: 'section',
    fields: [
      mrkdwn(`*Pass rate*\n${passRateText(metrics.passed, metrics.executed)} · gate ${gatePercent(r.policy.passRateThreshold)}`),
      mrkdwn(`*Due*\n${dueText(m.dueDate, m.timeZone, metrics.daysLeft)} · ${DUE_RISK_TEXT[metrics.dueRisk]}`),
      mrkdwn(`*Runs*\n${metrics.runs.inProgress} in progress · ${metrics.runs.completed} completed`),
      mrkdwn(`*Sign-offs*\n${signoffLine}${metrics.rejections ? ` · ${metrics.rejections} rejected` : ''}`),
      ...(metrics.inScope !== null
        ? [mrkdwn(`*Scope*\n${metrics.covered}/${metrics.inScope} covered (${ratioPercent(metrics.covered ?? 0, metrics.inScope)})`)]
        : []),
      mrkdwn(`*Defects*\n${openDefectsText(metrics.openDefectsBySeverity)} · ${metrics.waivedDefects} waived`),
    ],
  });

  if (data.blockerCount > 0) {
    blocks.push({ type: 'section', text: mrkdwn(`*Open blockers (${data.blockerCount})*`) });
    for (const d of data.blockers.slice(0, BLOCKERS_WITH_BUTTONS)) {
      blocks.push({
        type: 'section',
        text: mrkdwn(`${jiraRef(d)}${escape(clip(d.title, 500))} (${escape(d.severity)})`),
        accessory: { type: 'button', action_id: ACTIONS.waiveDefect, text: plainText('Waive', LIMITS.buttonText), value: d.id },
      });
    }
    const hidden = data.blockerCount - Math.min(data.blockers.length, BLOCKERS_WITH_BUTTONS);
    if (hidden > 0) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${hidden} more blocking defects`)] });
  }

  if (data.runsInProgress.length > 0) {
    const lines = data.runsInProgress.map(
      (run) => `• ${escape(run.name)}${run.environment ? ` on ${escape(run.environment)}` : ''} (since ${utcMinute(run.startedAt)})`,
    );
    const notListed = Math.max(0, metrics.runs.inProgress - data.runsInProgress.length);
    blocks.push({
      type: 'section',
      text: mrkdwn(`*Runs in progress*\n${linesWithin(lines, LIMITS.sectionText - 40, RUN_LINES, notListed)}`),
    });
  }

  if (metrics.environments.length > 0) {
    const lines = metrics.environments.map(
      (e) =>
        `• *${escape(e.name)}*: ${e.executed ? `${percent(e.passRate)} of ${e.executed} executed` : 'nothing executed'} · ${e.runs} run${e.runs === 1 ? '' : 's'}`,
    );
    blocks.push({ type: 'section', text: mrkdwn(`*Environments*\n${linesWithin(lines, LIMITS.sectionText - 40, 15)}`) });
  }

  if (r.signoffs.length > 0) {
    const lines = r.signoffs.map(
      (s) =>
        `${s.decision === 'APPROVE' ? ':white_check_mark:' : ':x:'} ${mention(s.userId)}${s.comment ? `: ${escape(clip(s.comment, 200))}` : ''}`,
    );
    blocks.push({ type: 'section', text: mrkdwn(`*Sign-offs*\n${linesWithin(lines, LIMITS.sectionText - 40, 10)}`) });
  }

  const tail: Block[] = [
    { type: 'context', elements: [mrkdwn(`Evaluated ${utcMinute(r.evaluatedAt)} · ${badge(r.verdict)}`)] },
    cardActions(m.id, m.status, data.reportUrl),
  ];
  return { text: clip(text, LIMITS.sectionText), blocks: blocksWithin(blocks, LIMITS.messageBlocks, tail, 'lines') };
}

function cardActions(milestoneId: string, status: string, reportUrl: string | undefined): Block {
  const button = (action_id: string, label: string, style?: 'primary') => ({
    type: 'button' as const,
    action_id,
    text: plainText(label, LIMITS.buttonText),
    value: milestoneId,
    ...(style ? { style } : {}),
  });
  // A link that is not a plain http(s) URL, or longer than Slack takes, is left out rather than sent broken.
  const report =
    reportUrl && isLinkableUrl(reportUrl) && reportUrl.length <= LIMITS.buttonUrl
      ? [{ type: 'button' as const, action_id: ACTIONS.openReport, text: plainText('Open report', LIMITS.buttonText), url: reportUrl }]
      : [];
  return {
    type: 'actions',
    block_id: 'card_actions',
    elements: [
      button(ACTIONS.refresh, 'Refresh'),
      button(ACTIONS.signOff, 'Sign off', 'primary'),
      button(ACTIONS.reportDefect, 'Report defect'),
      button(ACTIONS.linkRun, 'Link run'),
      ...(status === 'ACTIVE' ? [button(ACTIONS.complete, 'Complete')] : []),
      ...report,
    ],
  };
}

function openDefectsText(bySeverity: Record<string, number>): string {
  const parts = Object.entries(bySeverity)
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity.toLowerCase()}`);
  return parts.length ? `${parts.join(', ')} open` : 'none open';
}
