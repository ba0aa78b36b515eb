// A saxes parser whose buffers cannot grow without bound.
//
// saxes keeps each text node, CDATA section, comment, attribute value and
// DOCTYPE in one string until it ends, and delivers it whole: a 500 MB
// <system-out> would become a 500 MB string before any handler could ignore
// it. The reader writes small slices and calls `limitBuffers()` after each, so
// no buffer ever holds more than the cap plus one slice. Text is truncated (no
// value is used past its first 2,000 characters, so where the truncation falls
// never shows); names, entity references and
// attribute lists are refused instead, because truncating those would change
// what the document means and no real report comes near the limits.
//
// The fields touched are saxes internals (saxes is pinned to ^6). The memory
// test in test/junit feeds a 128 MB <system-out> and fails if they change.
import { SaxesParser } from 'saxes';

/** Characters kept of any one text, CDATA, comment or attribute value. */
export const TEXT_CAP = 16 * 1024;
const NAME_CAP = 1024;
const ATTRIBUTE_CAP = 256;
const NAME_TOO_LONG = `an element or attribute name is longer than ${NAME_CAP} characters`;
const TOO_MANY_ATTRIBUTES = `an element has more than ${ATTRIBUTE_CAP} attributes`;

interface SaxesBuffers {
  text: string;
  name: string;
  entity: string;
  attribList: unknown[];
}

export type BoundedParser = SaxesParser<{ xmlns: false; position: true }>;

export function createBoundedParser(): BoundedParser {
  // xmlns off: JUnit has no namespaces that matter, and Surefire's xsi:
  // attributes are then plain attributes instead of something to resolve.
  return new SaxesParser({ xmlns: false, position: true });
}

/** Truncates the text buffer; returns a description of any other buffer over its limit. */
export function limitBuffers(parser: BoundedParser): string | null {
  const buffers = parser as unknown as SaxesBuffers;
  if (buffers.text.length > TEXT_CAP) buffers.text = buffers.text.slice(0, TEXT_CAP);
  if (buffers.name.length > NAME_CAP) return NAME_TOO_LONG;
  if (buffers.entity.length > NAME_CAP) return `an entity reference is longer than ${NAME_CAP} characters`;
  if (buffers.attribList.length > ATTRIBUTE_CAP) return TOO_MANY_ATTRIBUTES;
  return null;
}

/**
 * The same limits on a tag that fitted within one slice, so whether a tag is
 * refused never depends on where the chunks happened to split it.
 */
export function checkTag(name: string, attributes: Record<string, string>): string | null {
  if (name.length > NAME_CAP) return NAME_TOO_LONG;
  let count = 0;
  for (const attribute in attributes) {
    if (++count > ATTRIBUTE_CAP) return TOO_MANY_ATTRIBUTES;
    if (attribute.length > NAME_CAP) return NAME_TOO_LONG;
  }
  return null;
}
