// HTML from data, escaped by default: the `markup` template escapes every value
// put into it unless the value is itself markup made by `markup` (or `raw`, for
// the few constants written here). So text from data (test names, messages,
// defect titles, comments, Jira's words) can never become markup, whichever
// attribute or element it lands in. The same escaping makes XML text safe (the badge's SVG).
// (Not named `html`: Prettier would reformat templates of that name, adding
// whitespace to every row of a page of thousands.)

/** Markup: made only by `markup` and `raw`, never from data. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Fragment = Markup | string | number | null | undefined | false | readonly Fragment[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// C0 and C1 controls (bar tab, newline, carriage return) are not allowed in HTML
// or XML text; a lone surrogate is not text at all. Each becomes U+FFFD.
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as HTML (or XML) character data or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(UNSAFE, (c) => ENTITIES[c] ?? '\ufffd');
}

function render(value: Fragment): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return (value as readonly Fragment[]).map(render).join('');
  return escapeHtml(String(value));
}

/** A template whose values are escaped unless they are Markup; arrays are joined; null, undefined and false are nothing. */
export function markup(strings: TemplateStringsArray, ...values: Fragment[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Markup(out);
}

/** A constant written in this code as markup (styles, the page's script). Never pass data. */
export function raw(markup: string): Markup {
  return new Markup(markup);
}
