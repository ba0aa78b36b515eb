// Text from data is never markup on the web either (SPEC §3, §12): the escaping
// helper on hostile strings, and the whole readiness page and badge built with a
// hostile value in every field people, CI or Jira control. The page's structure
// (every tag and attribute) must be exactly the one plain text gives, so no value
// opened, closed or attributed anything; links are made only of http(s) URLs.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gate-policy.js';
import { escapeHtml, markup, raw, Markup } from '../../src/pages/html.js';
import { readinessPage } from '../../src/pages/readiness-page.js';
import { badgeJson, badgeSvg } from '../../src/pages/badge.js';
import type { ReadinessPageData } from '../../src/services/get-readiness-page.js';
import type { ReadinessView } from '../../src/services/get-readiness.js';
import type { AuditKind } from '../../src/domain/audit.js';
import { milestoneView, readinessMetrics } from '../helpers/readiness-views.js';

const FAMILY = '👨‍👩‍👧';

/** Each goes into every text field in turn. */
export const HOSTILE: Record<string, string> = {
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(1)>',
  singleQuote: "' onmouseover='alert(1)' x='",
  closers: '</pre></td></tr></tbody></table></section></main><b>bold</b>',
  entities: 'R&D &lt;b&gt; &amp; &#60;script&#62; 5 > 3 < 4',
  comment: '<!-- --><![CDATA[ x ]]>',
  style: '</style><style>body{display:none}</style>',
  javascript: 'javascript:alert(1)',
  controls: 'bell\u0007 esc\u001b[31mred\u001b[0m nul\u0000 del\u007f',
  surrogate: 'half \ud800 of a pair',
  slack: '<!channel> <@U1> <https://evil.example|click>',
  long: `<b>${FAMILY.repeat(700)}</b>`,
};

const PLAIN = 'plain words';

describe('escapeHtml', () => {
  it.each(Object.entries(HOSTILE))('%s: no markup character survives, and the text reads the same', (_, h) => {
    const out = escapeHtml(h);
    expect(out).not.toMatch(/[<>"']/);
    // Every & starts one of the five entities written here.
    expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    const decoded = out.replace(
      /&(amp|lt|gt|quot|#39);/g,
      (e) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" })[e]!,
    );
    // eslint-disable-next-line no-control-regex
    expect(decoded).toBe(h.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\ud800(?![\udc00-\udfff])/g, '\ufffd'));
  });

  it('keeps whole emoji, tabs and newlines', () => {
    expect(escapeHtml(`${FAMILY}\tline\nnext\r\n`)).toBe(`${FAMILY}\tline\nnext\r\n`);
  });
});

describe('the markup template', () => {
  it('escapes every value, joins arrays, leaves out null, undefined and false, and keeps markup it made', () => {
    const inner = markup`<em>${'<i>'}</em>`;
    expect(markup`<p title="${'"x"'}">${'<b>'}${[1, '<2>', inner]}${null}${undefined}${false}</p>`.value).toBe(
      '<p title="&quot;x&quot;">&lt;b&gt;1&lt;2&gt;<em>&lt;i&gt;</em></p>',
    );
    expect(raw('<br>')).toBeInstanceOf(Markup);
  });
});

/**
 * The structure of a document: each tag's name and attribute names, in order.
 * A tag runs from < to the next >, attribute values are double-quoted: so text
 * that opened a tag, closed one or left an attribute value changes the structure.
 */
function structure(doc: string): string[] {
  return [...doc.matchAll(/<[^>]*>/g)].map((m) => {
    const tag = m[0].replace(/"[^"]*"/g, '""');
    const names = [...tag.matchAll(/\s([^\s="/>]+)(?==)/g)].map((a) => a[1]);
    return `${/^<\/?[^\s/>]*/.exec(tag)![0]} ${names.join(' ')}`.trim();
  });
}

const at = '2026-03-15T10:00:00.000Z';

function pageData(h: string): ReadinessPageData {
  const policy = { ...DEFAULT_GATE_POLICY, requiredSignoffs: 1, requiredEnvironments: [h] };
  const readiness: ReadinessView = {
    milestone: milestoneView({ projectKey: h, name: h, description: h, status: 'COMPLETED', completionOverrideReason: h, policy }),
    verdict: 'NO_GO',
    reasons: [{ code: 'SIGNOFF_REJECTED', severity: 'blocker', message: h, userIds: ['U1'] }],
    checks: [
      { rule: 'passRate', status: 'fail', actual: 0.5, threshold: 0.95 },
      { rule: 'requiredEnvironment', status: 'fail', actual: 0, threshold: 1, environment: h },
    ],
    metrics: readinessMetrics({ environments: [{ name: h, runs: 1, executed: 3, passRate: 1 }] }),
    policy,
    signoffs: [{ userId: h, decision: 'REJECT', comment: h, at }],
    evaluatedAt: at,
    forecast: null,
    // Not data people control today, but the page says it: escaped all the same.
    forecastUnavailable: { code: 'HELD_BY_OTHER_RULES', message: h },
    changes: {
      since: at,
      verdict: { before: 'GO', after: 'NO_GO' },
      reasons: {
        added: [{ code: 'SIGNOFF_REJECTED', severity: 'blocker', message: h }],
        removed: [{ code: 'FLAKY_TESTS', severity: 'risk', message: h }],
      },
      tests: {
        newlyFailing: {
          total: 1,
          byEnvironment: [{ environment: h, total: 1 }],
          tests: [{ key: h, title: h, environment: h, before: null, after: 'FAILED', run: { id: 'r1', name: h } }],
        },
        newlyPassing: { total: 1, byEnvironment: [{ environment: h, total: 1 }], tests: [] },
        stillFailing: 2,
      },
      defects: {
        opened: [{ id: 'd1', title: h, severity: 'HIGH', status: 'OPEN', jiraKey: h }],
        closed: [{ id: 'd2', title: h, severity: 'LOW', status: 'RESOLVED', jiraKey: null }],
      },
    },
  };
  const run = { id: 'r1', name: h, url: 'https://ci.example/runs/1?a=1&b=2', startedAt: at };
  const defect = {
    severity: 'HIGH' as const,
    open: true,
    blocking: true,
    jiraKey: h,
    jiraStatus: h,
    jiraSyncError: h,
    waiverReason: h,
    waiverUntil: at,
    createdAt: at,
  };
  return {
    readiness,
    failingTests: [
      {
        key: `${h}::key`,
        title: h,
        suite: h,
        environment: h,
        status: 'FAILED',
        message: h,
        flaky: true,
        critical: true,
        flakiness: { flipRate: 0.4, flips: 8, flaky: true },
        regression: 'still',
        owners: ['U0HOSTILE', 'S0HOSTILE', h],
        quarantine: { reason: h, until: at, by: h },
        since: run,
        latestRun: run,
      },
      {
        key: `${h}::other`,
        title: h,
        suite: null,
        environment: h,
        status: 'FAILED',
        message: null,
        flaky: false,
        critical: false,
        flakiness: { flipRate: 0.1, flips: 2, flaky: false },
        regression: 'new',
        owners: [h],
        quarantine: null,
        since: run,
        latestRun: run,
      },
    ],
    failingTotal: 2,
    defects: [
      { ...defect, id: 'd1', title: h, status: 'OPEN', jiraUrl: 'https://jira.example/browse/PAY-7', jiraSync: 'LINKED' },
      { ...defect, id: 'd2', title: h, status: 'WAIVED', jiraUrl: null, jiraSync: 'FAILED' },
      { ...defect, id: 'd3', title: h, status: 'OPEN', jiraUrl: null, jiraSync: 'PENDING' },
    ],
    defectTotal: 3,
    runs: [{ id: 'r1', name: h, status: 'COMPLETED', source: 'CI', environment: h, url: run.url, startedAt: at, completedAt: at }],
    runTotal: 1,
    today: '2026-03-15',
    snapshots: [],
    audit: [
      {
        id: 'a1',
        kind: h as AuditKind,
        projectId: 'p1',
        milestoneId: 'm1',
        defectId: null,
        actor: { type: 'slack', id: h, name: h, team: h },
        before: { [h]: h, status: 'OPEN' },
        after: { [h]: { reason: h, list: [h] }, status: 'WAIVED' },
        at,
      },
      {
        id: 'a2',
        kind: 'milestone.gate',
        projectId: 'p1',
        milestoneId: 'm1',
        defectId: null,
        actor: { type: 'api-key', id: h, name: h, team: null },
        before: {},
        after: { [h]: h },
        at,
      },
    ],
    auditMore: true,
  };
}

const trend = { svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', points: [{ day: '2026-03-15', passRate: 0.5, openBlockers: 1 }] };
const page = (h: string) => readinessPage({ data: pageData(h), trend, linkExpiresAt: at });

describe('the readiness page with hostile text in every field', () => {
  const plain = page(PLAIN);

  it('shows the plain text wherever data goes (so the hostile runs below cover every field)', () => {
    // Each field once at least: milestone, description, reasons, forecast, checks, changes, tests (owners,
    // quarantine), defects, runs, sign-offs, audit trail.
    expect(plain.split(PLAIN).length - 1).toBeGreaterThanOrEqual(50);
    for (const shown of [
      'No forecast: plain words',
      '<span class="mono">@plain words</span>',
      '<span class="sub">plain words</span><span class="sub">by plain words</span>',
      'Slack user <span class="mono">@plain words</span>',
      'API key plain words',
      '<code>plain words</code>',
      '<span class="mono">plain words</span>: plain words → {&quot;reason&quot;:&quot;plain words&quot;,&quot;list&quot;:[&quot;plain words&quot;]}',
    ])
      expect(plain).toContain(shown);
  });

  it.each(Object.entries(HOSTILE))('%s: the same tags and attributes as plain text, and the text escaped', (_, h) => {
    const out = page(h);
    expect(structure(out)).toEqual(structure(plain));
    if (h.includes('<')) expect(out).not.toContain(h);
    expect(structure(out).join(' ')).not.toMatch(/\son[a-z]+/i);
    expect(out).not.toMatch(/href="(?!#|https?:)/);
  });

  it('links only http(s) URLs: a javascript: or malformed run or Jira URL is shown as its name alone', () => {
    const data = pageData(PLAIN);
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'https://x.example/<script>', 'vbscript:x']) {
      for (const t of data.failingTests) t.since = { ...t.since, url };
      data.runs[0]!.url = url;
      data.defects[0]!.jiraUrl = url;
      const out = readinessPage({ data, trend, linkExpiresAt: at });
      const hrefs = [...out.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
      expect(hrefs.every((href) => href.startsWith('#'))).toBe(true);
    }
  });

  it('an attribute value with quotes stays inside its attribute', () => {
    const data = pageData(PLAIN);
    data.runs[0]!.url = 'https://ci.example/"onmouseover="alert(1)';
    const out = readinessPage({ data, trend, linkExpiresAt: at });
    expect(out).toContain('href="https://ci.example/&quot;onmouseover=&quot;alert(1)"');
  });
});

describe('the badge with hostile text', () => {
  const plain = badgeSvg({ projectKey: 'PAY', milestoneName: PLAIN, verdict: 'GO_WITH_RISKS', passRate: 0.91 });

  it.each(Object.entries(HOSTILE))('%s: the SVG keeps its structure; the JSON is the text as it is', (_, h) => {
    const b = { projectKey: 'PAY', milestoneName: h, verdict: 'GO_WITH_RISKS' as const, passRate: 0.91 };
    expect(structure(badgeSvg(b))).toEqual(structure(plain));
    expect(badgeJson(b).label.startsWith('PAY/')).toBe(true);
  });
});
