// The pages' one stylesheet: readable from 320 px up (tables become stacked
// cards on a phone, long names and messages wrap rather than scroll), colours
// chosen for WCAG AA contrast (4.5:1 or more for all text) in light and dark
// (prefers-color-scheme), visible focus for keyboard use. A constant: the
// Content-Security-Policy allows exactly this stylesheet by its hash.
export const PAGE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1c1e; --muted: #4a4f55; --link: #0b57d0; --line: #d5d9de; --panel: #f6f7f9; --code: #eef0f2;
  --fail-fg: #8c1d18; --fail-bg: #fde8e7; --risk-fg: #6b4300; --risk-bg: #fff2cc;
  --pass-fg: #185c2e; --pass-bg: #e3f4e8; --na-fg: #4a4f55; --na-bg: #eef0f2;
  --focus: #0b57d0;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171a; --fg: #e6e8eb; --muted: #a9b0b8; --link: #8ab4f8; --line: #3a3f45; --panel: #1d2024; --code: #25292e;
    --fail-fg: #ffb4ab; --fail-bg: #3a1714; --risk-fg: #ffd88a; --risk-bg: #33280f;
    --pass-fg: #9ee0b0; --pass-bg: #12301d; --na-fg: #c4c9cf; --na-bg: #25292e;
    --focus: #8ab4f8;
  }
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; overflow-wrap: break-word; }
a { color: var(--link); }
a:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem 1rem; }
.skip:focus { left: 1rem; z-index: 1; }
header, main, footer { max-width: 75rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .25rem 0 .75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; padding-top: .5rem; border-top: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
p { margin: .5rem 0; }
.muted { color: var(--muted); }
.eyebrow { color: var(--muted); margin: 0; font-size: .95rem; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .9em; }
code { background: var(--code); padding: 0 .25em; border-radius: 3px; }
pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.verdict { display: inline-block; font-weight: 700; font-size: 1.15rem; padding: .35rem .8rem; border-radius: 6px; margin-right: .5rem; }
.verdict-GO { background: #1a7f37; color: #ffffff; }
.verdict-GO_WITH_RISKS { background: #f5c542; color: #1b1c1e; }
.verdict-INSUFFICIENT_EVIDENCE { background: #5b6167; color: #ffffff; }
.verdict-NO_GO { background: #b42318; color: #ffffff; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: 1rem 0 0; }
nav a { display: inline-block; padding: .25rem 0; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .75rem; margin: 1rem 0; padding: 0; }
.facts div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.facts dt { color: var(--muted); font-size: .9rem; }
.facts dd { margin: 0; font-weight: 600; }
ul.reasons { padding-left: 1.25rem; }
ul.plain { list-style: none; margin: 0; padding: 0; }
.pill { display: inline-block; font-size: .85rem; font-weight: 600; padding: .05rem .5rem; border-radius: 999px; white-space: nowrap; }
.st-fail { color: var(--fail-fg); background: var(--fail-bg); }
.st-risk { color: var(--risk-fg); background: var(--risk-bg); }
.st-pass { color: var(--pass-fg); background: var(--pass-bg); }
.st-na { color: var(--na-fg); background: var(--na-bg); }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; }
caption { text-align: left; color: var(--muted); padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
td { overflow-wrap: anywhere; }
thead th { background: var(--panel); font-size: .9rem; }
td .sub { display: block; color: var(--muted); font-size: .85rem; }
td pre { max-height: 12rem; overflow-y: auto; }
#failing-tests td[data-label="Test"] { min-width: 11rem; }
#failing-tests td[data-label="Owners"] { min-width: 8rem; }
.filter { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: .5rem 0; }
.filter label { font-weight: 600; }
.filter input { font: inherit; color: var(--fg); background: var(--bg); border: 2px solid var(--muted); border-radius: 6px; padding: .35rem .6rem; width: min(26rem, 100%); }
.chart { margin: 0; }
.chart img { display: block; max-width: 100%; height: auto; border-radius: 6px; }
.changes { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem .75rem; }
footer { color: var(--muted); padding-bottom: 2rem; margin-top: 2rem; border-top: 1px solid var(--line); font-size: .9rem; }
.message { max-width: 36rem; margin: 15vh auto; padding: 0 1rem; }
@media (max-width: 40rem) {
  h1 { font-size: 1.4rem; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .75rem; padding: .25rem 0; }
  table.stack td { border: 0; padding: .25rem .75rem; }
  table.stack td[data-label]::before { content: attr(data-label); display: block; color: var(--muted); font-size: .8rem; font-weight: 600; }
}
`;
