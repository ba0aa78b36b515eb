// The public badge of a milestone: "PAY/2.4 | NO-GO · 91%" as a small SVG, and
// the same words as shields.io's endpoint JSON (schemaVersion 1) for those who
// style their badges there. Colours by verdict, text from data escaped. Pure.
import type { Verdict } from '../domain/types.js';
import { percent, VERDICT_LABEL } from '../messages/format.js';
import { cutText } from '../messages/text-hygiene.js';
import { markup } from './html.js';

export interface BadgeFacts {
  projectKey: string;
  milestoneName: string;
  verdict: Verdict;
  passRate: number | null;
}

/** Background and text colour of the message half: white or near-black, whichever reads (4.5:1 or more). */
const COLOURS: Record<Verdict, { fill: string; text: string; shields: string }> = {
  GO: { fill: '#1a7f37', text: '#ffffff', shields: 'brightgreen' },
  GO_WITH_RISKS: { fill: '#f5c542', text: '#1b1c1e', shields: 'yellow' },
  INSUFFICIENT_EVIDENCE: { fill: '#5b6167', text: '#ffffff', shields: 'lightgrey' },
  NO_GO: { fill: '#b42318', text: '#ffffff', shields: 'red' },
};
const LABEL_FILL = '#4a4f55';
const LABEL_CHARS = 40;

export function badgeWords(b: BadgeFacts): { label: string; message: string } {
  return {
    label: cutText(`${b.projectKey}/${b.milestoneName}`, LABEL_CHARS),
    message: b.passRate === null ? VERDICT_LABEL[b.verdict] : `${VERDICT_LABEL[b.verdict]} · ${percent(b.passRate)}`,
  };
}

/** shields.io's endpoint badge: https://img.shields.io/endpoint?url=<this URL, encoded>. */
export function badgeJson(b: BadgeFacts): { schemaVersion: 1; label: string; message: string; color: string } {
  return { schemaVersion: 1, ...badgeWords(b), color: COLOURS[b.verdict].shields };
}

export function badgeSvg(b: BadgeFacts): string {
  const { label, message } = badgeWords(b);
  const colour = COLOURS[b.verdict];
  const pad = 6;
  const lw = Math.round(textWidth(label)) + 2 * pad;
  const mw = Math.round(textWidth(message)) + 2 * pad;
  const width = lw + mw;
  // textLength pins each text to the width measured here, so no font on the reader's side can overflow it.
  return markup`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" viewBox="0 0 ${width} 20" role="img" aria-label="${label}: ${message}">
<title>${label}: ${message}</title>
<rect width="${lw}" height="20" fill="${LABEL_FILL}"/><rect x="${lw}" width="${mw}" height="20" fill="${colour.fill}"/>
<g text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="14" fill="#ffffff" textLength="${lw - 2 * pad}" lengthAdjust="spacingAndGlyphs">${label}</text>
<text x="${lw + mw / 2}" y="14" fill="${colour.text}" textLength="${mw - 2 * pad}" lengthAdjust="spacingAndGlyphs">${message}</text>
</g>
</svg>
`.value;
}

/** Roughly how wide text is in 11 px Verdana: narrow, wide and other characters. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    if (/[iIjl.,:;'|!() ·]/.test(ch)) w += 3.9;
    else if (/[mwMW%@]/.test(ch)) w += 10.5;
    else if (/[A-Z0-9]/.test(ch)) w += 7.6;
    else w += 6.8;
  }
  return w;
}
