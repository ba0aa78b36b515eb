// Reads what Slack would read: every piece of mrkdwn in a message, modal or
// Home view (blocks, `text` fallbacks, text-only messages), and the live markup
// in it: `<!channel>`-style mentions, user and group mentions, channel links and
// `<url|label>` links. Plain-text objects and input values are not parsed by
// Slack, so they are skipped.

/** The strings Slack parses as mrkdwn in `surface`. */
export function mrkdwnStrings(surface: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, key: string | null, parentIsPlain: boolean) => {
    if (typeof node === 'string') {
      if ((key === 'text' || key === 'initial_comment') && !parentIsPlain) out.push(node);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) walk(item, key, false);
      return;
    }
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const plain = o.type === 'plain_text';
      for (const [k, v] of Object.entries(o)) {
        // Values people type back, ids and metadata are not shown as markup.
        if (['initial_value', 'value', 'action_id', 'block_id', 'callback_id', 'private_metadata', 'url'].includes(k)) continue;
        walk(v, k, plain);
      }
    }
  };
  if (typeof surface === 'string') return [surface];
  walk(surface, null, false);
  return out;
}

export interface Allowed {
  /** User ids Shipgate means to mention (from ids in data). */
  userIds?: string[];
  /** URLs Shipgate means to link (validated ones from data). */
  urls?: string[];
  /** Channels Shipgate means to link (by id). */
  channelIds?: string[];
  /** User groups Shipgate means to name (approvers, by id, in a refusal only its reader sees). */
  groupIds?: string[];
}

/** The live markup tokens in `text` that Shipgate did not mean to make. */
export function unexpectedMarkup(text: string, allowed: Allowed = {}): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/<([^<>]*)>?/g)) {
    const token = match[0];
    const inner = match[1] ?? '';
    if (!token.endsWith('>')) {
      // An unclosed "<" (a cut in the middle of a token) is not live, but it is never meant either.
      found.push(token);
      continue;
    }
    const user = /^@([UW][A-Z0-9]+)$/.exec(inner);
    if (user && allowed.userIds?.includes(user[1]!)) continue;
    const group = /^!subteam\^(S[A-Z0-9]+)$/.exec(inner);
    if (group && allowed.groupIds?.includes(group[1]!)) continue;
    const channel = /^#([CG][A-Z0-9]+)$/.exec(inner);
    if (channel && allowed.channelIds?.includes(channel[1]!)) continue;
    // Slack ends the URL at the first "|"; the rest is the label, shown as text.
    const bar = inner.indexOf('|');
    const url = bar < 0 ? inner : inner.slice(0, bar);
    if (bar >= 0 && allowed.urls?.includes(url.replace(/%7C/g, '|').replace(/&amp;/g, '&'))) continue;
    found.push(token);
  }
  return found;
}

/** Half of a surrogate pair or a joiner left dangling by a cut: text Slack shows as a broken character. */
export function brokenCharacters(text: string): string[] {
  const problems: string[] = [];
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) problems.push('lone surrogate');
  if (/\u200D(?:…|$)/.test(text)) problems.push('zero-width joiner before a cut');
  return problems;
}
