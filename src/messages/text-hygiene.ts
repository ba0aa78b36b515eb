// Text from data made fit to show: cut where a reader sees a character end
// (a grapheme: never half an emoji, a flag or a family), cleaned of terminal
// colour codes and control characters (test output), and Slack's own entity
// encoding of typed text undone. Slack messages, Jira descriptions and the
// command parser all use these, so a cut or a cleaning reads the same everywhere.

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest prefix of `text` made of whole graphemes and at most `max` UTF-16
 * units (Slack and Jira count those).
 */
export function graphemePrefix(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  // Only the text up to the cut is segmented (plus a little, to see whether the
  // grapheme at the cut ends before it): a long text costs no more than a short one.
  for (const { index, segment } of graphemes.segment(text.slice(0, max + 32))) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Cuts text to at most `max` UTF-16 units at a grapheme boundary, ending with "…" when cut. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${graphemePrefix(text, Math.max(0, max - 1))}…`;
}

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and lone escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]?/g;
// C0 and C1 controls except tab and newline; a carriage return becomes a newline below.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Test output as people should read it: no colour codes, no control characters, newlines kept. */
export function stripControl(text: string): string {
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/**
 * Slack sends typed text with &, < and > encoded (as it stores mrkdwn); a
 * command's text is decoded once so `R&amp;D 2.4` names the milestone `R&D 2.4`.
 * `&amp;` last, so `&amp;lt;` stays the literal `&lt;` that was typed.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Slack's own markup in a command's text (sent when the command escapes mentions
 * and links) back to what the person typed: `<@U1|ann>` → `@ann`, `<#C1|general>`
 * → `#general`, `<!subteam^S1|@qa>` → `@qa`, `<https://x.example|x.example>` →
 * `x.example`. Typed `<` and `>` arrive as entities, so only Slack's markup matches.
 */
export function unescapeSlackMarkup(text: string): string {
  return text.replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_all, target: string, label: string | undefined) => {
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!subteam^')) return label ? `@${label.replace(/^@/, '')}` : `@${target.slice('!subteam^'.length)}`;
    if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
    return label ?? target;
  });
}
