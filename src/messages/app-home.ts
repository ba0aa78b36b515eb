// The App Home tab: the workspace's active milestones with their verdicts, each
// with a button that posts its readiness card to the person.
import type { types } from '@slack/bolt';
import { ACTIONS } from './action-ids.js';
import { dueText, escape, passRateText, utcMinute, VERDICT_BADGE, VERDICT_LABEL } from './format.js';
import type { ListedMilestone } from './milestone-list.js';
import { blocksWithin, LIMITS, mrkdwn, plainText, type Block } from './limits.js';

export function appHome(items: (ListedMilestone & { id: string })[], options: { total: number; evaluatedAt: string }): types.HomeView {
  const blocks: Block[] = [
    { type: 'header', text: plainText('Can we ship?', LIMITS.headerText) },
    {
      type: 'context',
      elements: [mrkdwn(`Active milestones · evaluated ${utcMinute(options.evaluatedAt)} · \`/milestone help\` for commands`)],
    },
    { type: 'divider' },
  ];
  if (items.length === 0) blocks.push({ type: 'section', text: mrkdwn('No active milestones. Create one with `/milestone create`.') });
  const rows: Block[] = items.map((m) => ({
    type: 'section',
    text: mrkdwn(
      `${VERDICT_BADGE[m.verdict]} *${escape(`${m.projectKey}/${m.name}`)}* — ${VERDICT_LABEL[m.verdict]}\n` +
        `Pass rate ${passRateText(m.passed, m.executed)} · due ${dueText(m.dueDate, m.timeZone, m.daysLeft)}` +
        (m.scopeSize !== null ? ` · scope ${m.scopeSize} cases` : ''),
    ),
    accessory: { type: 'button', action_id: ACTIONS.openCard, text: plainText('Card', LIMITS.buttonText), value: m.id },
  }));
  const hidden = options.total - items.length;
  const tail: Block[] =
    hidden > 0 ? [{ type: 'context', elements: [mrkdwn(`…and ${hidden} more milestones: \`/milestone list all\``)] }] : [];
  return { type: 'home', blocks: blocksWithin([...blocks, ...rows], LIMITS.surfaceBlocks, tail, 'milestones') };
}
