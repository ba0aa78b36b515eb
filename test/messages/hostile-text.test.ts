// SPEC §3 "Text from data is never markup": every message, modal and Home view
// Shipgate builds, with hostile text in every field a user, CI or Jira controls
// (mass mentions, user and group mentions, disguised links, &, mrkdwn marks,
// 3,000-character names with emoji at the cut). Nothing live may survive but
// the mentions and links Shipgate means to make (from ids and checked URLs),
// no Slack size limit may be broken, and no cut may leave half an emoji.
// The table of builders is checked against the modules' exports, so a new
// builder that is not walked here fails this test.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gate-policy.js';
import type { Reason } from '../../src/domain/readiness.js';
import { VERDICTS, type Verdict } from '../../src/domain/types.js';
import { appHome } from '../../src/messages/app-home.js';
import { auditNoticeText } from '../../src/messages/audit-notice.js';
import { approverRefusal, approversReply } from '../../src/messages/approvers-messages.js';
import { ownerMentionsLine, ownersReply } from '../../src/messages/owners-messages.js';
import { ACTOR_TYPES } from '../../src/domain/audit.js';
import * as replies from '../../src/messages/command-replies.js';
import { digestInviteRequest, digestMessage, pictureLostNotice } from '../../src/messages/digest-message.js';
import { helpMessage, problemMessage } from '../../src/messages/help-message.js';
import { failureText, fixHint, type FailureContext } from '../../src/messages/jira-failure-notice.js';
import { readyToDecideText, threadReply } from '../../src/messages/living-thread.js';
import { milestoneList } from '../../src/messages/milestone-list.js';
import { completeModal } from '../../src/messages/modals/complete-modal.js';
import { createMilestoneModal } from '../../src/messages/modals/create-milestone-modal.js';
import { linkRunModal } from '../../src/messages/modals/link-run-modal.js';
import { reportDefectModal } from '../../src/messages/modals/report-defect-modal.js';
import { scopeModal } from '../../src/messages/modals/scope-modal.js';
import { signOffModal } from '../../src/messages/modals/sign-off-modal.js';
import { waiveDefectModal } from '../../src/messages/modals/waive-defect-modal.js';
import { quarantineTestModal } from '../../src/messages/modals/quarantine-test-modal.js';
import { nudgeMessage } from '../../src/messages/nudge-message.js';
import { nudgeOutcome } from '../../src/messages/nudge-outcome.js';
import { checksLine } from '../../src/messages/checks-line.js';
import { readinessCard, type CardData } from '../../src/messages/readiness-card.js';
import { reminderMessage } from '../../src/messages/reminder-message.js';
import { resolvedFailingNoticeText } from '../../src/messages/resolved-failing-notice.js';
import { quarantinedReply, quarantinesReply, releasedReply } from '../../src/messages/quarantine-messages.js';
import type { QuarantineView } from '../../src/services/quarantine-view.js';
import { verdictChangeText, verdictChangeWhy } from '../../src/messages/verdict-change-notice.js';
import { milestoneView, readinessMetrics } from '../helpers/readiness-views.js';
import { repoPath } from '../helpers/fixtures.js';
import { brokenCharacters, mrkdwnStrings, unexpectedMarkup } from '../helpers/slack-markup.js';
import { limitViolations } from './block-kit-limits.js';

const FAMILY = '👨‍👩‍👧';
const THUMB = '👍🏽';

/** Each hostile value goes into every text field in turn. */
const HOSTILE: Record<string, string> = {
  channel: 'Checkout broken <!channel>',
  here: '<!here> ship it',
  everyone: '<!everyone>',
  subteam: '<!subteam^S1|@qa-team> look',
  user: 'ping <@U1> and <@W2>',
  link: '<https://evil.example|click here>',
  channelLink: '<#C1|general>',
  entities: 'R&D &lt;!channel&gt; &amp; 5 > 3 < 4',
  marks: '*bold* _it_ ~strike~ `code` ```block```',
  // Long enough to be cut everywhere, with emoji of several code units at every possible cut.
  longFamily: `<!channel> ${FAMILY.repeat(400)}`,
  longThumb: `x${THUMB.repeat(800)}<!here>`,
  longMixed: `${'a'.repeat(2995)}${FAMILY}${THUMB}<!channel>${'b'.repeat(50)}`,
};

/** The only mentions and links Shipgate means to make in these surfaces: people by id, the run's checked URL, Jira links. */
const SIGNER = 'U0SIGNER';
const OWNER = 'U0OWNER';
const RUN_URL = 'https://ci.example/runs/42?a=1&b=2';
const JIRA_URL = 'https://jira.example/browse/PAY-7';
const GROUP = 'S0APPROVERS';
const ALLOWED = { userIds: [SIGNER, OWNER], urls: [RUN_URL, JIRA_URL], channelIds: ['G0SECRET'], groupIds: [GROUP] };

const reason = (message: string, userIds?: string[]): Reason => ({ code: 'SIGNOFF_REJECTED', severity: 'blocker', message, userIds });

function card(h: string, verdict: Verdict = 'NO_GO'): CardData {
  const policy = { ...DEFAULT_GATE_POLICY, requiredSignoffs: 1 };
  return {
    readiness: {
      milestone: milestoneView({
        projectKey: h,
        name: h,
        description: h,
        status: 'COMPLETED',
        completionOverrideReason: h,
        dueDate: '2026-03-18T23:59:59.999Z',
        policy,
      }),
      verdict,
      reasons: [reason(`Sign-off rejected by ${SIGNER} (“${h}”)`, [SIGNER]), reason(h)],
      changes: {
        since: '2026-03-14T09:00:00.000Z',
        verdict: { before: 'GO', after: verdict },
        reasons: { added: [reason(h)], removed: [] },
        tests: {
          newlyFailing: {
            total: 7,
            byEnvironment: [{ environment: h, total: 7 }],
            tests: [{ key: h, title: h, environment: h, before: null, after: 'FAILED', run: { id: 'r1', name: h } }],
          },
          newlyPassing: {
            total: 2,
            byEnvironment: [
              { environment: h, total: 1 },
              { environment: `${h}2`, total: 1 },
            ],
            tests: [],
          },
          stillFailing: 1,
        },
        defects: { opened: [{ id: 'd1', title: h, severity: 'HIGH', status: 'OPEN', jiraKey: h }], closed: [] },
      },
      checks: [
        { rule: 'requiredEnvironment', status: 'fail', actual: 0, threshold: 1, environment: h },
        { rule: 'requiredEnvironment', status: 'pass', actual: 3, threshold: 1, environment: h },
      ],
      metrics: readinessMetrics({ environments: [{ name: h, runs: 1, executed: 3, passRate: 1 }] }),
      policy,
      signoffs: [{ userId: SIGNER, decision: 'REJECT', comment: h, at: '2026-03-15T10:00:00Z' }],
      evaluatedAt: '2026-03-15T12:00:00.000Z',
      forecast: null,
      forecastUnavailable: null,
    },
    blockers: [
      { id: 'd1', title: h, severity: 'CRITICAL', jiraKey: h, jiraUrl: JIRA_URL, jiraStatus: h },
      { id: 'd2', title: h, severity: 'HIGH', jiraKey: h, jiraUrl: h, jiraStatus: null },
      { id: 'd3', title: h, severity: 'HIGH', jiraKey: h, jiraUrl: JIRA_URL, jiraStatus: h, jiraSync: 'FAILED', jiraSyncError: h },
      { id: 'd4', title: h, severity: 'HIGH', jiraKey: null, jiraUrl: null, jiraStatus: null, jiraSync: 'FAILED', jiraSyncError: h },
      { id: 'd5', title: h, severity: 'HIGH', jiraKey: h, jiraUrl: null, jiraStatus: null, jiraSync: 'PENDING', jiraSyncError: null },
    ],
    blockerCount: 5,
    runsInProgress: [{ id: 'r1', name: h, environment: h, startedAt: '2026-03-15T02:00:00.000Z' }],
  };
}

/** An active milestone's card naming flaky tests, with a Quarantine button for each (their keys are data). */
function flakyCard(h: string): CardData {
  const base = card(h, 'GO_WITH_RISKS');
  return {
    ...base,
    readiness: {
      ...base.readiness,
      milestone: { ...base.readiness.milestone, status: 'ACTIVE' },
      reasons: [...base.readiness.reasons, { code: 'FLAKY_TESTS', severity: 'risk', message: h }],
    },
    quarantinable: Array.from({ length: 7 }, (_, i) => ({ caseId: `c${i}`, key: `${h}${i}`, title: h })),
  };
}

const context = { m: 'm1', c: 'C1', t: '1.2' };
const failure = (h: string): FailureContext => ({
  action: 'link',
  defect: { id: 'd1', title: h },
  projectKey: h,
  jiraProjectKey: h,
  milestoneName: h,
  issueKey: h,
});

/**
 * Every builder of a surface people read, by `file#export`, and how to build it
 * with the hostile value `h` in every field. A builder returns one or more surfaces.
 */
function quarantine(h: string): QuarantineView {
  return {
    id: h,
    caseKey: h,
    title: h,
    critical: false,
    reason: h,
    until: '2026-12-01T23:59:59.999Z',
    by: h,
    at: '2026-11-01T00:00:00.000Z',
    inForce: true,
  };
}

const BUILDERS: Record<string, (h: string) => unknown[]> = {
  'app-home.ts#appHome': (h) => [
    appHome(
      [
        {
          id: 'm1',
          projectKey: h,
          name: h,
          status: 'ACTIVE',
          verdict: 'GO',
          passed: 1,
          executed: 2,
          passRate: 0.5,
          dueDate: null,
          timeZone: 'UTC',
          daysLeft: null,
          scopeSize: 3,
        },
      ],
      { total: 5, evaluatedAt: '2026-03-15T12:00:00Z' },
    ),
  ],
  'audit-notice.ts#auditNoticeText': (h) =>
    ACTOR_TYPES.flatMap((type) =>
      ['milestone.gate', 'project.gate', 'milestone.scope', 'project.approvers'].map((kind) =>
        auditNoticeText({
          kind,
          projectKey: h,
          milestoneName: kind.startsWith('project') ? null : h,
          actor: { type, id: type === 'slack' ? SIGNER : h, name: h },
          before: { passRateThreshold: 0.95, [h]: h, requiredEnvironments: [h, h], scope: [h, 'kept'], approvers: [OWNER, h, 'S0GROUP'] },
          after: {
            passRateThreshold: null,
            [h]: [h],
            requiredEnvironments: [],
            scope: ['kept', h.split('').reverse().join(''), h + 'x'],
            approvers: [h],
          },
        }),
      ),
    ),
  'approvers-messages.ts#approverRefusal': (h) => [
    approverRefusal({ projectKey: h, doing: h, approvers: [SIGNER, GROUP, h, `<!subteam^${h}>`] }),
    approverRefusal({ projectKey: h, doing: 'sign off', approvers: Array.from({ length: 60 }, () => OWNER) }),
  ],
  'approvers-messages.ts#approversReply': (h) =>
    (['shown', 'set', 'cleared'] as const).flatMap((change) => [
      approversReply({ projectKey: h, approvers: [SIGNER, GROUP, h], change }),
      approversReply({ projectKey: h, approvers: [], change }),
    ]),
  'owners-messages.ts#ownersReply': (h) =>
    (['shown', 'set', 'removed', 'cleared'] as const).flatMap((change) => [
      ownersReply({
        projectKey: h,
        rules: [
          { pattern: h, owners: [SIGNER, GROUP, h] },
          { pattern: `\`${h}\``, owners: [] },
        ],
        change,
        pattern: h,
      }),
      ownersReply({ projectKey: h, rules: Array.from({ length: 60 }, (_, i) => ({ pattern: `${i}${h}`, owners: [OWNER] })), change }),
      ownersReply({ projectKey: h, rules: [], change, pattern: h }),
    ]),
  'owners-messages.ts#ownerMentionsLine': (h) => [ownerMentionsLine([OWNER, GROUP, h, ...Array.from({ length: 40 }, () => SIGNER)])],
  'living-thread.ts#threadReply': (h) => [
    threadReply(
      [
        { kind: 'run.completed', name: h, environment: h, passed: 1, failed: 2, skipped: 3, blocked: 4 },
        { kind: 'run.completed', name: h, environment: null, passed: 0, failed: 0, skipped: 0, blocked: 0 },
        { kind: 'defect.reported', title: h, severity: 'HIGH' },
        { kind: 'defect.resolved', title: h, status: 'WAIVED' },
        { kind: 'signoff', userId: SIGNER, decision: 'REJECT', comment: h },
        { kind: 'signoff', userId: SIGNER, decision: 'APPROVE', comment: h },
        { kind: 'reminder', name: h, daysLeft: -2 },
      ],
      { before: 'GO', after: 'NO_GO' },
    ),
    threadReply(
      [{ kind: 'run.completed', name: h.repeat(40), environment: h, passed: 1, failed: 2, skipped: 0, blocked: 0 }],
      {
        before: null,
        after: 'NO_GO',
      },
      [OWNER, GROUP, ...Array.from({ length: 40 }, () => SIGNER)],
    ),
  ],
  'living-thread.ts#readyToDecideText': (h) => [readyToDecideText([h, 'staging'])],
  'command-replies.ts#subscribedReply': (h) =>
    (['member', 'joined', 'needs-invite', null] as const).map((membership) =>
      replies.subscribedReply({ created: true, label: h, weekdaysOnly: true, digestTime: h, timeZone: h, membership }),
    ),
  'command-replies.ts#unsubscribedReply': (h) => [replies.unsubscribedReply(h)],
  'command-replies.ts#subscriptionsReply': (h) => [
    replies.subscriptionsReply([{ label: h, weekdaysOnly: false, digestTime: h, timeZone: h, milestoneStatus: h }]),
    replies.subscriptionsReply([]),
  ],
  'command-replies.ts#projectCreatedReply': (h) => [replies.projectCreatedReply({ key: h, name: h, channelDefault: true })],
  'command-replies.ts#projectJiraReply': (h) => [replies.projectJiraReply({ key: h, jiraKey: h, requeued: 2 })],
  'command-replies.ts#projectUseReply': (h) => [replies.projectUseReply(h)],
  'command-replies.ts#apiKeyRevokedReply': (h) =>
    [true, false].map((alreadyRevoked) => replies.apiKeyRevokedReply({ prefix: h, projectKey: h, alreadyRevoked })),
  'command-replies.ts#apiKeyCreatedReply': (h) => [replies.apiKeyCreatedReply({ projectKey: h, id: h, key: h, scope: 'report' })],
  'quarantine-messages.ts#quarantinedReply': (h) => [quarantinedReply(h, quarantine(h))],
  'quarantine-messages.ts#releasedReply': (h) => [releasedReply(h, quarantine(h))],
  'quarantine-messages.ts#quarantinesReply': (h) => [
    quarantinesReply(h, [
      quarantine(h),
      { ...quarantine(h), by: SIGNER, critical: true, inForce: false },
      { ...quarantine(h), by: 'api', inForce: false },
    ]),
    quarantinesReply(
      h,
      Array.from({ length: 30 }, () => quarantine(h)),
    ),
    quarantinesReply(h, []),
  ],
  'command-replies.ts#apiKeysReply': (h) => [
    replies.apiKeysReply(h, [{ id: h, prefix: h, scope: h, createdBy: h, createdAt: new Date(0), lastUsedAt: null }]),
    replies.apiKeysReply(h, [{ id: h, prefix: h, scope: 'admin', createdBy: OWNER, createdAt: new Date(0), lastUsedAt: new Date(0) }]),
    replies.apiKeysReply(h, []),
  ],
  'command-replies.ts#lifecycleReply': (h) =>
    (['complete', 'reopen', 'archive'] as const).map((change) => replies.lifecycleReply({ projectKey: h, name: h, change, verdict: 'GO' })),
  'command-replies.ts#runLinkedReply': (h) => [replies.runLinkedReply({ runName: h, projectKey: h, milestoneName: h })],
  'digest-message.ts#digestMessage': (h) => [
    digestMessage({
      subject: h,
      day: '2026-03-15',
      items: [{ card: card(h), previousPassRate: 0.5, trend: [], owners: [OWNER, GROUP, h] }],
    }),
    digestMessage({
      subject: h,
      day: '2026-03-15',
      items: VERDICTS.map((v) => ({ card: card(h, v), trend: [{ day: '2026-03-14', passRate: 0.5, executed: 2, openBlockers: 1 }] })),
      pictureNote: h,
    }),
  ],
  'digest-message.ts#digestInviteRequest': (h) => [
    digestInviteRequest({ subject: h, channelId: 'G0SECRET' }),
    digestInviteRequest({ subject: h, channelId: h }),
  ],
  'digest-message.ts#pictureLostNotice': (h) => [
    pictureLostNotice({ subject: h, day: h, error: h }),
    pictureLostNotice({ subject: h, day: h, error: null }),
  ],
  'help-message.ts#helpMessage': () => [helpMessage()],
  'help-message.ts#problemMessage': (h) => [problemMessage(h, h), problemMessage(h)],
  'jira-failure-notice.ts#failureText': (h) =>
    [400, 401, 403, 404, 500].flatMap((status) =>
      (['create', 'link'] as const).map((action) => {
        const c = { ...failure(h), action };
        return failureText(c, h, fixHint({ status, jiraMessages: [h] }, c));
      }),
    ),
  'milestone-list.ts#milestoneList': (h) => [
    milestoneList(
      [
        {
          projectKey: h,
          name: h,
          status: h,
          verdict: 'NO_GO',
          passed: 0,
          executed: 0,
          passRate: null,
          dueDate: null,
          timeZone: 'UTC',
          daysLeft: null,
          scopeSize: null,
        },
      ],
      { title: h, total: 3 },
    ),
    milestoneList([], { title: h, total: 0 }),
  ],
  'modals/complete-modal.ts#completeModal': (h) =>
    (['NO_GO', 'GO'] as const).map((verdict) =>
      completeModal({ milestone: { projectKey: h, name: h }, verdict, reasons: [reason(h), reason(`${SIGNER} ${h}`, [SIGNER])], context }),
    ),
  'modals/create-milestone-modal.ts#createMilestoneModal': (h) => [
    createMilestoneModal({ projects: [{ id: 'p1', key: h, name: h }], name: h, channelId: 'C1' }),
  ],
  'modals/link-run-modal.ts#linkRunModal': (h) => [
    linkRunModal({
      milestone: { projectKey: h, name: h },
      runs: [{ id: 'r1', name: h, environment: h, status: h }],
      environments: [h],
      context,
    }),
  ],
  'modals/report-defect-modal.ts#reportDefectModal': (h) =>
    [true, false].map((jiraConfigured) => reportDefectModal({ milestone: { projectKey: h, name: h }, jiraConfigured, context })),
  'modals/scope-modal.ts#scopeModal': (h) => [
    scopeModal({ milestone: { projectKey: h, name: h }, patterns: [h, h], preview: { matching: 1, total: 2, sample: [h] }, context }),
    scopeModal({
      milestone: { projectKey: h, name: h },
      patterns: Array.from({ length: 400 }, (_, i) => `${h}::${i}`),
      preview: { matching: 1, total: 2, sample: [h] },
      context,
    }),
  ],
  'modals/sign-off-modal.ts#signOffModal': (h) => [signOffModal({ milestone: { projectKey: h, name: h }, verdict: 'GO', context })],
  'modals/quarantine-test-modal.ts#quarantineTestModal': (h) => [
    quarantineTestModal({ testCase: { key: h, title: h }, projectKey: h, context: { ...context, k: 'c1' } }),
  ],
  'modals/waive-defect-modal.ts#waiveDefectModal': (h) => [waiveDefectModal({ defect: { title: h, severity: h, jiraKey: h }, context })],
  'resolved-failing-notice.ts#resolvedFailingNoticeText': (h) => [
    resolvedFailingNoticeText({
      projectKey: h,
      milestoneName: h,
      defectTitle: h,
      jiraKey: h,
      testKey: h,
      testTitle: h,
      environment: h,
      runName: h,
      resolvedAt: new Date('2026-12-01T02:00:00Z'),
    }),
  ],
  'nudge-message.ts#nudgeMessage': (h) =>
    [RUN_URL, h, `https://ci.example/x> ${h}`, 'javascript:alert(1)', null].map((url) =>
      nudgeMessage({
        runId: 'r1',
        runName: h,
        projectKey: h,
        milestoneName: h,
        environment: h,
        startedAt: new Date('2026-03-01T00:00:00Z'),
        now: new Date('2026-03-05T00:00:00Z'),
        ownerUserId: OWNER,
        toChannel: true,
        url,
      }),
    ),
  'nudge-outcome.ts#nudgeOutcome': (h) =>
    (['completed', 'aborted', 'snoozed'] as const).map((outcome) => nudgeOutcome({ outcome, runName: h, userId: h, until: new Date(0) })),
  'checks-line.ts#checksLine': (h) => [checksLine(card(h).readiness.checks)],
  'readiness-card.ts#readinessCard': (h) => [readinessCard(card(h)), readinessCard(flakyCard(h))],
  'reminder-message.ts#reminderMessage': (h) => [-2, 0, 1, 5].map((days) => reminderMessage(card(h), days)),
  'verdict-change-notice.ts#verdictChangeText': (h) => [
    verdictChangeText({
      before: { verdict: 'GO' },
      after: { verdict: 'NO_GO', milestone: { projectKey: h, name: h }, reasons: [reason(h), reason(`${SIGNER}: ${h}`, [SIGNER])] },
      defect: { title: h, jiraKey: h, status: h },
      jiraStatus: h,
    }),
  ],
  'verdict-change-notice.ts#verdictChangeWhy': (h) => [verdictChangeWhy({ defect: { title: h, jiraKey: h, status: h }, jiraStatus: h })],
};

/**
 * Exports that are not surfaces of their own: the pieces the builders above are
 * made of (walked through them), and rules that return no text for Slack.
 */
const PARTS: Record<string, string> = {
  'audit-notice.ts#actorMrkdwn': 'walked inside auditNoticeText',
  'approvers-messages.ts#approverRefusalField': 'plain text for a modal field error (Slack shows it as typed, no markup)',
  'changes-summary.ts#changesSummary': 'plain text, escaped by digestMessage, walked there',
  'owners-messages.ts#ownerMention': 'walked inside ownersReply and ownerMentionsLine',
  'owners-messages.ts#patternCode': 'walked inside ownersReply',
  'digest-message.ts#passRateChange': 'numbers only',
  'forecast-line.ts#*': 'dates, numbers and fixed words only (no data text); escaped by the card and the digest, walked there',
  'format.ts#*': 'the escaping, mention, link and number helpers every builder uses',
  'jira-failure-notice.ts#fixHint': 'walked inside failureText',
  'limits.ts#*': 'size helpers (clip, linesWithin, blocksWithin, plainText, mrkdwn)',
  'modals/complete-modal.ts#needsOverride': 'a rule, no text',
  'action-ids.ts#quarantineActionId': 'an action id from a number, no text',
  'modals/modal-shell.ts#*': 'the frame and inputs of every modal, walked through them',
  'modals/scope-modal.ts#scopePreviewText': 'the preview line inside scopeModal (also replaced by views.update)',
  'nudge-message.ts#staleFor': 'a duration in words, from numbers',
  'living-thread.ts#verdictFellText': 'verdict words only',
  'living-thread.ts#isWorse': 'a rule, no text',
  'reminder-message.ts#reminderHeadline': 'the first line of reminderMessage, given an escaped name',
  'text-hygiene.ts#*': 'cutting and cleaning helpers used by the builders',
};

function messageModules(): string[] {
  const root = repoPath('src', 'messages');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : name.endsWith('.ts') ? [path] : [];
    });
  return walk(root).map((p) => relative(root, p).split('\\').join('/'));
}

describe('every builder in src/messages is walked with hostile text', () => {
  it('the table covers every exported function (a new builder must be added here)', async () => {
    const missing: string[] = [];
    for (const file of messageModules()) {
      const mod = (await import(pathToFileURL(repoPath('src', 'messages', file)).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== 'function') continue;
        const id = `${file}#${name}`;
        if (!(id in BUILDERS) && !(id in PARTS) && !(`${file}#*` in PARTS)) missing.push(id);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the checks can fail: raw markup, a broken emoji and an oversized block are caught', () => {
    expect(unexpectedMarkup('a <!channel> b <https://evil.example|x>')).toEqual(['<!channel>', '<https://evil.example|x>']);
    expect(unexpectedMarkup(`<@${SIGNER}> <${RUN_URL.replace(/&/g, '&amp;')}|run>`, ALLOWED)).toEqual([]);
    expect(brokenCharacters(`${FAMILY.slice(0, 1)}…`)).not.toEqual([]);
    expect(limitViolations({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }, 50)).not.toEqual([]);
  });

  for (const [builder, build] of Object.entries(BUILDERS)) {
    it.each(Object.entries(HOSTILE))(`${builder} with %s text`, (_kind, h) => {
      for (const surface of build(h)) {
        const shown = mrkdwnStrings(surface);
        for (const text of shown) {
          expect(unexpectedMarkup(text, ALLOWED), text.slice(0, 300)).toEqual([]);
          expect(brokenCharacters(text), text.slice(-40)).toEqual([]);
          // A cut grapheme of the hostile emoji (a family without its child, a thumb without its skin tone).
          for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) {
            if (/👨|👍/u.test(segment)) expect([FAMILY, THUMB]).toContain(segment);
          }
        }
        if (typeof surface === 'string') {
          // A text-only message (the Jira notices): Slack shows up to 4,000 characters in full.
          expect(surface.length).toBeLessThanOrEqual(4000);
          continue;
        }
        const s = surface as { type?: string; blocks?: unknown[]; text?: unknown };
        if (s.blocks) expect(limitViolations(s as never, s.type === 'modal' || s.type === 'home' ? 100 : 50)).toEqual([]);
        if (typeof s.text === 'string') expect(s.text.length).toBeLessThanOrEqual(3000);
      }
    });
  }
});
