// The GitHub Action's job summary: text from data stays text in Markdown.
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, formatJobSummary } from '../../src/cli/format-job-summary.js';
import type { ReportResult } from '../../src/cli/upload-reports.js';

describe('escapeMarkdown', () => {
  it('leaves no link, image, HTML, heading, table cell, emphasis or line break', () => {
    const hostile = '# [click](https://evil.example) ![x](y) <img src=x onerror=alert(1)> | cell | *bold* _it_ `code` :warning:\nnext';
    const out = escapeMarkdown(hostile);
    expect(out).toBe(
      '\\# \\[click\\]\\(https\\://evil\\.example\\) \\!\\[x\\]\\(y\\) &lt;img src=x onerror=alert\\(1\\)&gt; \\| cell \\| \\*bold\\* \\_it\\_ \\`code\\` \\:warning\\: next',
    );
    expect(out).not.toMatch(/(^|[^\\])[[\]()<>|*_`#]/);
  });
});

describe('formatJobSummary', () => {
  it('escapes the milestone, the upload summary and the failed file names', () => {
    const report: ReportResult = {
      exitCode: 1,
      runId: 'r1',
      summary: 'Uploaded 0 of 1 file to PAY/[x](y); FAILED: <b>.xml',
      files: 1,
      stored: 0,
      failures: ['<b>.xml'],
      total: { total: 0, passed: 0, failed: 0, skipped: 0, blocked: 0, flaky: 0 },
    };
    const md = formatJobSummary({ project: 'PAY', milestone: '[x](y)', report });
    expect(md).toContain('### Shipgate: PAY/\\[x\\]\\(y\\)');
    expect(md).toContain('Files not stored: &lt;b&gt;\\.xml');
    expect(md).not.toContain('<b>');
  });
});
