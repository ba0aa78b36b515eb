import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JUnitError, readJUnit, type JUnitCase } from '../../../src/junit/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'junit');
const testmo = join(root, '..', 'shared', 'fixtures', 'junit-testmo');

async function readAll(source: AsyncIterable<Buffer | string>, batchSize?: number): Promise<{ cases: JUnitCase[]; batches: number[] }> {
  const cases: JUnitCase[] = [];
  const batches: number[] = [];
  for await (const batch of readJUnit(source, { batchSize })) {
    batches.push(batch.length);
    cases.push(...batch);
  }
  return { cases, batches };
}

const file = (path: string) => readAll(createReadStream(path));

function counts(cases: JUnitCase[]) {
  const n = (status: JUnitCase['status']) => cases.filter((c) => c.status === status).length;
  return {
    total: cases.length,
    passed: n('PASSED'),
    failed: n('FAILED'),
    skipped: n('SKIPPED'),
    flaky: cases.filter((c) => c.flaky).length,
    critical: cases.filter((c) => c.critical).length,
  };
}

describe('readJUnit on real producers', () => {
  it('pytest --junitxml', async () => {
    const { cases } = await file(join(fixtures, 'pytest.xml'));
    expect(counts(cases)).toEqual({ total: 6, passed: 3, failed: 2, skipped: 1, flaky: 0, critical: 1 });
    const failure = cases.find((c) => c.title === 'test_total_rounding')!;
    expect(failure.key).toBe('test_checkout::test_total_rounding');
    expect(failure.message).toMatch(/^AssertionError: total is off by a cent/);
    expect(cases.find((c) => c.critical)!.title).toBe('test_pay_with_card');
    expect(cases.find((c) => c.status === 'SKIPPED')!.message).toMatch(/needs a sandbox account/);
  });

  it("Vitest's junit reporter", async () => {
    const { cases } = await file(join(fixtures, 'vitest.xml'));
    expect(counts(cases)).toEqual({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 0, critical: 1 });
    expect(cases[0]!.key).toBe('cart.test.ts::cart > adds an item');
    expect(cases[0]!.suite).toBe('cart.test.ts');
    expect(cases.find((c) => c.critical)!.title).toBe('cart > checkout > charges the card @critical');
  });

  it('Maven Surefire with flaky and rerun failures', async () => {
    const { cases } = await file(join(fixtures, 'surefire-flaky.xml'));
    expect(counts(cases)).toEqual({ total: 4, passed: 3, failed: 1, skipped: 0, flaky: 2, critical: 0 });
    const byName = Object.fromEntries(cases.map((c) => [c.title, c]));
    expect(byName.retriesGatewayTimeout).toMatchObject({ status: 'PASSED', flaky: true, attempts: 2, message: null });
    expect(byName.refundsPartially).toMatchObject({ flaky: true, attempts: 3 });
    expect(byName.rejectsExpiredCard).toMatchObject({ status: 'FAILED', flaky: false, attempts: 3, message: 'expected: <DECLINED> but was: <APPROVED>' });
    expect(byName.chargesCard!.key).toBe('com.acme.payments.CheckoutIT::chargesCard');
    expect(byName.chargesCard!.durationMs).toBe(812);
  });

  it('nested test suites, Unicode and odd times', async () => {
    const { cases } = await file(join(fixtures, 'nested-suites.xml'));
    expect(counts(cases)).toEqual({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 0, critical: 1 });
    const error = cases.find((c) => c.status === 'FAILED')!;
    expect(error).toMatchObject({ suite: 'billing › invoices', key: 'invoices::sends the invoice by e-mail', message: 'SMTP refused' });
    const unicode = cases.find((c) => c.title.startsWith('Café'))!;
    expect(unicode).toMatchObject({ title: 'Café crème — 🚀 pays in €', suite: 'checkout', durationMs: 1500 });
    expect(cases.find((c) => c.critical)!.durationMs).toBe(500);
  });

  it.each([
    ['junit-basic.xml', { total: 9, passed: 8, failed: 1, skipped: 0, flaky: 0, critical: 0 }],
    ['junit-complete.xml', { total: 8, passed: 5, failed: 2, skipped: 1, flaky: 0, critical: 0 }],
    ['conventions.xml', { total: 1, passed: 1, failed: 0, skipped: 0, flaky: 0, critical: 0 }],
    ['testcase-output.xml', { total: 1, passed: 1, failed: 0, skipped: 0, flaky: 0, critical: 0 }],
    ['testcase-properties.xml', { total: 1, passed: 1, failed: 0, skipped: 0, flaky: 0, critical: 0 }],
  ])('Testmo reference example %s', async (name, expected) => {
    const { cases } = await file(join(testmo, name));
    expect(counts(cases)).toEqual(expected);
  });
});

describe('readJUnit refuses hostile and broken input', () => {
  it.each([
    ['billion-laughs.xml', 7, /DTDs and entity declarations are not allowed/],
    ['xxe.xml', 2, /DTDs and entity declarations are not allowed/],
    ['malformed.xml', 6, /malformed XML/],
    ['not-xml.json', 2, /not well-formed XML|malformed XML/],
    ['wrong-root.xml', 2, /root element is <html>/],
  ])('%s', async (name, line, message) => {
    const seen: JUnitCase[] = [];
    const error = await (async () => {
      for await (const batch of readJUnit(createReadStream(join(fixtures, 'hostile', name)), { batchSize: 1 })) seen.push(...batch);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JUnitError);
    expect((error as JUnitError).message).toMatch(message);
    expect((error as JUnitError).line).toBe(line);
    expect(seen).toEqual([]);
  });

  it('an empty body', async () => {
    await expect(readAll((async function* () { yield '  \n'; })())).rejects.toThrow(/The body is empty/);
  });
});

describe('readJUnit streams', () => {
  it('gives the same cases when the file arrives one byte at a time', async () => {
    const bytes = readFileSync(join(fixtures, 'nested-suites.xml'));
    const whole = await readAll((async function* () { yield bytes; })());
    const split = await readAll((async function* () {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    })());
    expect(split.cases).toEqual(whole.cases);
  });

  it('reads 100,000 cases in bounded batches without holding the document', async () => {
    async function* generate() {
      yield '<?xml version="1.0"?><testsuites><testsuite name="big">';
      for (let i = 0; i < 100_000; i += 500) {
        let chunk = '';
        for (let j = i; j < i + 500; j++) {
          chunk += j % 97 === 0
            ? `<testcase classname="big.Suite" name="case ${j}" time="0.01"><failure message="boom ${j}">trace</failure></testcase>`
            : `<testcase classname="big.Suite" name="case ${j}" time="0.01"/>`;
        }
        yield chunk;
      }
      yield '</testsuite></testsuites>';
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let total = 0;
    let failed = 0;
    let largest = 0;
    for await (const batch of readJUnit(generate(), { batchSize: 1000 })) {
      total += batch.length;
      failed += batch.filter((c) => c.status === 'FAILED').length;
      largest = Math.max(largest, batch.length);
    }
    expect(total).toBe(100_000);
    expect(failed).toBe(Math.ceil(100_000 / 97));
    expect(largest).toBeLessThanOrEqual(1000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
  });
});
