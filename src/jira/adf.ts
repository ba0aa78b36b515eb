// Atlassian Document Format, the little of it Shipgate writes: headings,
// paragraphs with plain, strong and linked text, and code blocks. Pure data.
export interface AdfMark {
  type: 'strong' | 'link';
  attrs?: { href: string };
}
export interface AdfText {
  type: 'text';
  text: string;
  marks?: AdfMark[];
}
export type AdfBlock =
  | { type: 'paragraph'; content: AdfText[] }
  | { type: 'heading'; attrs: { level: number }; content: AdfText[] }
  | { type: 'codeBlock'; attrs: Record<string, never>; content: AdfText[] };

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfBlock[];
}

export const doc = (...content: AdfBlock[]): AdfDoc => ({ type: 'doc', version: 1, content });
export const text = (value: string): AdfText => ({ type: 'text', text: value });
export const strong = (value: string): AdfText => ({ type: 'text', text: value, marks: [{ type: 'strong' }] });
export const link = (value: string, href: string): AdfText => ({ type: 'text', text: value, marks: [{ type: 'link', attrs: { href } }] });
// ADF refuses empty text nodes, so blank pieces are dropped here rather than at every caller.
export const paragraph = (...content: AdfText[]): AdfBlock => ({ type: 'paragraph', content: content.filter((t) => t.text !== '') });
export const heading = (level: number, value: string): AdfBlock => ({ type: 'heading', attrs: { level }, content: [text(value)] });
export const codeBlock = (value: string): AdfBlock => ({ type: 'codeBlock', attrs: {}, content: value ? [text(value)] : [] });
