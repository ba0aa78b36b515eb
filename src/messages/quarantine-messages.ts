// What Slack says about quarantine (SPEC §10): a test quarantined, released, or
// a project's list. Case keys, titles and reasons come from data, so each is
// escaped here; who quarantined is a Slack user id rendered as a mention, or
// "api"/"cli" said in words.
import type { QuarantineView } from '../services/quarantine-view.js';
import { escape, mention } from './format.js';
import { clip, LIMITS, mrkdwn, type Block } from './limits.js';

interface Reply {
  text: string;
  blocks: Block[];
}

const SHOWN = 20;

function reply(text: string): Reply {
  return { text: clip(text, LIMITS.sectionText), blocks: [{ type: 'section', text: mrkdwn(clip(text, LIMITS.sectionText)) }] };
}

function who(by: string): string {
  if (/^[UW][A-Z0-9]{2,30}$/.test(by)) return mention(by);
  return by === 'api' ? 'an API key' : by === 'cli' ? 'the CLI' : escape(by);
}

function ends(q: QuarantineView): string {
  return q.until.slice(0, 10);
}

export function quarantinedReply(projectKey: string, q: QuarantineView): Reply {
  return reply(
    `:lock: \`${escape(q.caseKey)}\` of ${escape(projectKey)} is quarantined until ${ends(q)}: its failures are left out of the pass rate ` +
      `of every milestone and shown as a risk. Reason: ${escape(clip(q.reason, 300))}`,
  );
}

export function releasedReply(projectKey: string, q: QuarantineView): Reply {
  return reply(`:unlock: \`${escape(q.caseKey)}\` of ${escape(projectKey)} is out of quarantine: its failures count again.`);
}

export function quarantinesReply(projectKey: string, list: QuarantineView[]): Reply {
  if (!list.length) return reply(`${escape(projectKey)} has no quarantined tests.`);
  const lines = list.slice(0, SHOWN).map((q) => {
    const state = q.critical ? ' — critical now, so its failures count' : q.inForce ? '' : ' — expired, its failures count again';
    return `• \`${escape(q.caseKey)}\` until ${ends(q)} by ${who(q.by)}: ${escape(clip(q.reason, 150))}${state}`;
  });
  const more =
    list.length > SHOWN ? `\n…and ${list.length - SHOWN} more (GET /api/projects/${escape(projectKey)}/quarantine lists all)` : '';
  return reply(`*Quarantined tests of ${escape(projectKey)}*\n${lines.join('\n')}${more}`);
}
