// What a Jira issue's description says when the failure came from a terminal:
// no ANSI colour codes or control characters, and cuts (summary, failure
// message) at grapheme boundaries, never half an emoji. Checked against the ADF
// node shapes Shipgate writes.
import { describe, expect, it } from 'vitest';
import { buildIssueFields, type DefectIssueInput } from '../../src/jira/issue-fields.js';

const FAMILY = '👨‍👩‍👧';

function input(over: Partial<DefectIssueInput> = {}): DefectIssueInput {
  return {
    defectId: 'd1',
    title: 'Checkout fails',
    description: null,
    severity: 'HIGH',
    projectKey: 'PAY',
    milestoneName: '2.4',
    environment: 'staging',
    test: { key: 'checkout::pays', title: 'pays' },
    failureMessage: null,
    reportedBy: null,
    linkBack: null,
    mapping: { jiraProjectKey: 'PAYJ', issueType: null, priorities: {}, labels: [] },
    ...over,
  };
}

const texts = (fields: ReturnType<typeof buildIssueFields>) =>
  JSON.stringify(fields.description)
    .match(/"text":"(?:[^"\\]|\\.)*"/g)!
    .map((t) => JSON.parse(`{${t}}`) as { text: string })
    .map((t) => t.text);

describe('Jira issue text hygiene', () => {
  it('strips ANSI colour codes and control characters from the failure message, keeping newlines', () => {
    const message =
      '\u001b[31mAssertionError\u001b[0m: expected \u001b[1m1\u001b[22m\r\nto be 2\u0007\u0000 \u001b]8;;https://x\u0007link\u001b]8;;\u0007';
    const all = texts(buildIssueFields(input({ failureMessage: message })));
    const code = all.find((t) => t.startsWith('AssertionError'))!;
    expect(code).toBe('AssertionError: expected 1\nto be 2 link');
    // eslint-disable-next-line no-control-regex
    for (const t of all) expect(t).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('cuts the summary and the failure message at grapheme boundaries', () => {
    const fields = buildIssueFields(input({ title: `x${FAMILY.repeat(100)}`, failureMessage: `y${FAMILY.repeat(1000)}` }));
    for (const cut of [fields.summary, ...texts(fields)]) {
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|\u200D…/);
      for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(cut))
        if (/👨/u.test(segment)) expect(segment).toBe(FAMILY);
    }
    expect(fields.summary.length).toBeLessThanOrEqual(255);
    expect(fields.summary.endsWith('…')).toBe(true);
  });
});
