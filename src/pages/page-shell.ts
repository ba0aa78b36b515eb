// The document around every page (the readiness page and the short message
// pages: an expired or altered link, a page that failed), and the
// Content-Security-Policy that lets through only this stylesheet and this
// script, by their hashes: even a value that escaped escaping could run nothing.
import { createHash } from 'node:crypto';
import { FILTER_SCRIPT } from './filter-script.js';
import { markup, raw, type Markup } from './html.js';
import { PAGE_CSS } from './page-styles.js';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The header every page is served with: its own stylesheet and script, images only inline (the trend), nothing else. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${sha256(PAGE_CSS)}`,
  `script-src ${sha256(FILTER_SCRIPT)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function pageShell(o: { title: string; body: Markup; script?: boolean }): string {
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${o.title}</title>
<style>${raw(PAGE_CSS)}</style>
</head>
<body>
${o.body}
${o.script ? markup`<script>${raw(FILTER_SCRIPT)}</script>` : ''}
</body>
</html>
`.value;
}

/** A short page that says one thing: why a link does not open, or that a page failed. */
export function messagePage(o: { title: string; heading: string; paragraphs: Markup[] }): string {
  return pageShell({
    title: `${o.title} · Shipgate`,
    body: markup`<main class="message"><p class="eyebrow">Shipgate</p><h1>${o.heading}</h1>${o.paragraphs.map((p) => markup`<p>${p}</p>`)}</main>`,
  });
}
