// The streaming JUnit reader against reports written by real tools, Testmo's
// reference examples, hostile input, chunk boundaries and memory bounds.
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { JUnitError, readJUnit, type JUnitCase, type JUnitSource, type ReadJUnitOptions } from '../../src/junit/index.js';
import { hasCriticalTag, parseDuration } from '../../src/junit/junit-case.js';
import { fixturePath } from '../helpers/fixtures.js';

const fixtures = fixturePath('junit');
const testmo = fixturePath('junit-testmo');

async function collect(source: JUnitSource, options?: ReadJUnitOptions) {
  const cases: JUnitCase[] = [];
  const batches: number[] = [];
  for await (const batch of readJUnit(source, options)) {
    batches.push(batch.length);
    cases.push(...batch);
  }
  return { cases, batches };
}

// Live heap, after a full collection: without it, garbage left by an earlier
// test can hide (or fake) growth. Vitest's workers do not run with --expose-gc.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const liveHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

const readFile = async (file: string, options?: ReadJUnitOptions) => (await collect(createReadStream(file), options)).cases;
const readText = async (xml: string) => (await collect(chunks([xml]))).cases;

async function* chunks<T>(parts: Iterable<T>): AsyncGenerator<T> {
  for (const part of parts) yield part;
}

function* bytes(buffer: Buffer): Generator<Buffer> {
  for (let i = 0; i < buffer.length; i++) yield buffer.subarray(i, i + 1);
}

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

const byTitle = (cases: JUnitCase[], title: string) => {
  const found = cases.filter((c) => c.title === title);
  expect(found, title).toHaveLength(1);
  return found[0]!;
};

/** Reads until the reader throws; returns the error and what was yielded before it. */
async function refusal(source: JUnitSource, options?: ReadJUnitOptions) {
  const yielded: JUnitCase[] = [];
  try {
    for await (const batch of readJUnit(source, options)) yielded.push(...batch);
  } catch (error) {
    expect(error).toBeInstanceOf(JUnitError);
    return { error: error as JUnitError, yielded };
  }
  throw new Error('expected the reader to refuse the input');
}

describe('readJUnit on reports written by real tools', () => {
  it('pytest --junitxml', async () => {
    const cases = await readFile(path.join(fixtures, 'pytest-setup-error.xml'));
    expect(counts(cases)).toEqual({ total: 8, passed: 5, failed: 2, skipped: 1, flaky: 0, critical: 2 });
    expect(byTitle(cases, 'test_total_rounding')).toMatchObject({
      key: 'test_checkout::test_total_rounding',
      suite: 'pytest',
      status: 'FAILED',
      message: 'AssertionError: total is off by a cent\nassert 0.3 == 0.31\n +  where 0.3 = round((0.1 + 0.2), 2)',
    });
    expect(byTitle(cases, 'test_capture_payment')).toMatchObject({
      status: 'FAILED',
      message: 'failed on setup with "ConnectionError: sandbox gateway unreachable"',
    });
    expect(byTitle(cases, 'test_refund')).toMatchObject({ status: 'SKIPPED', message: 'needs a sandbox account', durationMs: 0 });
    expect(cases.filter((c) => c.critical).map((c) => c.key)).toEqual([
      'test_checkout::test_pay_with_card', // record_property("critical", "true")
      'test_checkout::test_currency_display[USD @critical]', // tag in the parametrize id
    ]);
  });

  it("Vitest's junit reporter", async () => {
    const cases = await readFile(path.join(fixtures, 'vitest-two-files.xml'));
    expect(counts(cases)).toEqual({ total: 7, passed: 3, failed: 2, skipped: 2, flaky: 0, critical: 1 });
    expect(cases[0]).toEqual({
      key: 'cart.test.ts::cart > adds an item',
      title: 'cart > adds an item',
      suite: 'cart.test.ts',
      status: 'PASSED',
      durationMs: 2,
      message: null,
      attempts: 1,
      flaky: false,
      critical: false,
    });
    expect(byTitle(cases, 'ranks exact matches first')).toMatchObject({
      key: 'search.test.ts::ranks exact matches first',
      suite: 'search.test.ts',
      message: 'ranking is undefined',
    });
    expect(cases.find((c) => c.critical)!.key).toBe('cart.test.ts::cart > checkout > charges the card @critical');
  });

  it("Jest's jest-junit reporter, quirks included", async () => {
    const cases = await readFile(path.join(fixtures, 'jest-junit.xml'));
    // jest-junit writes test.todo as a pass.
    expect(counts(cases)).toEqual({ total: 7, passed: 4, failed: 2, skipped: 1, flaky: 0, critical: 1 });
    const tax = byTitle(cases, 'cart computes tax');
    expect(tax.key).toBe('cart computes tax::cart computes tax');
    // No message attribute: the start of the text, cut at a line end.
    expect(tax.message).toMatch(
      /^Error: expect\(received\)\.toBe\(expected\) \/\/ Object\.is equality\n\nExpected: 0\.3\nReceived: 0\.30000000000000004\n/,
    );
    expect(tax.message!.length).toBeLessThanOrEqual(500);
    expect(tax.message).toMatch(/\)$/);
    // Leading spaces in name and classname are trimmed.
    expect(byTitle(cases, 'finds products by name')).toMatchObject({
      key: 'finds products by name::finds products by name',
      suite: 'undefined',
    });
  });

  it("mocha's xunit reporter (bare <testsuite> root)", async () => {
    const cases = await readFile(path.join(fixtures, 'mocha-xunit.xml'));
    expect(counts(cases)).toEqual({ total: 7, passed: 3, failed: 2, skipped: 2, flaky: 0, critical: 1 });
    expect(cases.map((c) => c.suite)).toEqual(Array(7).fill('Mocha Tests'));
    expect(cases.find((c) => c.critical)!.key).toBe('cart checkout::charges the card @critical');
    expect(byTitle(cases, 'prints a receipt with <b>markup</b> & "quotes"').key).toBe(
      'cart checkout::prints a receipt with <b>markup</b> & "quotes"',
    );
    expect(byTitle(cases, 'ranks exact matches first').message).toMatch(/^ranking is undefined\nTypeError: ranking is undefined\n/);
  });

  it("Playwright's junit reporter", async () => {
    const cases = await readFile(path.join(fixtures, 'playwright.xml'));
    // Playwright's "flaky" (failed, then passed on retry) and { tag } options do not reach its JUnit output.
    expect(counts(cases)).toEqual({ total: 7, passed: 5, failed: 1, skipped: 1, flaky: 0, critical: 1 });
    expect(byTitle(cases, 'checkout › computes tax')).toMatchObject({
      key: 'checkout.spec.js::checkout › computes tax',
      suite: 'checkout.spec.js',
      durationMs: 17,
      message: 'expect(received).toBe(expected) // Object.is equality',
    });
    expect(byTitle(cases, 'checkout › applies gift cards')).toMatchObject({ status: 'SKIPPED', durationMs: null, message: null });
    expect(cases.find((c) => c.critical)!.title).toBe('checkout › applies a coupon @critical');
    expect(byTitle(cases, 'checkout › retries the gateway')).toMatchObject({ status: 'PASSED', flaky: false, attempts: 1 });
  });

  it('Maven Surefire with re-runs (flakyFailure, flakyError, rerunFailure)', async () => {
    const cases = await readFile(path.join(fixtures, 'surefire-rerun.xml'));
    expect(counts(cases)).toEqual({ total: 6, passed: 4, failed: 1, skipped: 1, flaky: 2, critical: 0 });
    expect(byTitle(cases, 'retriesGatewayTimeout')).toMatchObject({
      status: 'PASSED',
      flaky: true,
      attempts: 2,
      message: null,
      durationMs: 2,
    });
    expect(byTitle(cases, 'refundsPartially')).toMatchObject({ status: 'PASSED', flaky: true, attempts: 3 });
    expect(byTitle(cases, 'rejectsExpiredCard')).toEqual({
      key: 'com.acme.payments.CheckoutTest::rejectsExpiredCard',
      title: 'rejectsExpiredCard',
      suite: 'com.acme.payments.CheckoutTest',
      status: 'FAILED',
      durationMs: 1,
      message: 'expected:<[DECLIN]ED> but was:<[APPROV]ED>',
      attempts: 3,
      flaky: false,
      critical: false,
    });
    expect(byTitle(cases, 'refundsInFull')).toMatchObject({ status: 'SKIPPED', message: 'needs a sandbox account' });
    expect(byTitle(cases, 'capturesPayment_critical').critical).toBe(false);
  });

  it('PHPUnit, whose suites nest four deep', async () => {
    const cases = await readFile(path.join(fixtures, 'phpunit-nested.xml'));
    expect(counts(cases)).toEqual({ total: 7, passed: 4, failed: 2, skipped: 1, flaky: 0, critical: 1 });
    // The outermost suite has an empty name and is left out of the path.
    expect(byTitle(cases, 'testAddsAnItem')).toMatchObject({
      key: 'CheckoutTest::testAddsAnItem',
      suite: 'unit › CheckoutTest',
      durationMs: 1,
    });
    expect(byTitle(cases, 'testComputesTotal with data set "rounding @critical"')).toMatchObject({
      key: 'CheckoutTest::testComputesTotal with data set "rounding @critical"',
      suite: 'unit › CheckoutTest › CheckoutTest::testComputesTotal',
      status: 'FAILED',
      critical: true,
      message:
        'CheckoutTest::testComputesTotal with data set "rounding @critical" (array(0.1, 0.2), 0.31)\nFailed asserting that 0.30000000000000004 matches expected 0.31.\n\n/tmp/sg-junit/php/tests/CheckoutTest.php:14',
    });
    expect(byTitle(cases, 'testFindsProductsByName').suite).toBe('unit › SearchTest');
  });

  it('the first fixture set: pytest.xml and vitest.xml', async () => {
    const pytest = await readFile(path.join(fixtures, 'pytest.xml'));
    expect(counts(pytest)).toEqual({ total: 6, passed: 3, failed: 2, skipped: 1, flaky: 0, critical: 1 });
    expect(byTitle(pytest, 'test_payment_gateway_error')).toMatchObject({
      key: 'test_checkout::test_payment_gateway_error',
      status: 'FAILED',
      message: 'RuntimeError: gateway timeout',
      durationMs: 0,
    });
    expect(pytest.find((c) => c.critical)!.key).toBe('test_checkout::test_pay_with_card');
    const vitest = await readFile(path.join(fixtures, 'vitest.xml'));
    expect(counts(vitest)).toEqual({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 0, critical: 1 });
    expect(byTitle(vitest, 'cart > computes tax')).toMatchObject({
      durationMs: 6,
      message: 'expected 0.30000000000000004 to be 0.3 // Object.is equality',
    });
  });

  it('the first fixture set: hand-written surefire-flaky.xml', async () => {
    const cases = await readFile(path.join(fixtures, 'surefire-flaky.xml'));
    expect(counts(cases)).toEqual({ total: 4, passed: 3, failed: 1, skipped: 0, flaky: 2, critical: 0 });
    expect(byTitle(cases, 'retriesGatewayTimeout')).toMatchObject({ flaky: true, attempts: 2, message: null });
    expect(byTitle(cases, 'refundsPartially')).toMatchObject({ flaky: true, attempts: 3 });
    expect(byTitle(cases, 'rejectsExpiredCard')).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      message: 'expected: <DECLINED> but was: <APPROVED>',
    });
    expect(byTitle(cases, 'chargesCard')).toMatchObject({ key: 'com.acme.payments.CheckoutIT::chargesCard', durationMs: 812 });
  });

  it('the first fixture set: hand-written nested-suites.xml', async () => {
    const cases = await readFile(path.join(fixtures, 'nested-suites.xml'));
    expect(counts(cases)).toEqual({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 0, critical: 1 });
    expect(byTitle(cases, 'sends the invoice by e-mail')).toMatchObject({
      suite: 'billing › invoices',
      key: 'invoices::sends the invoice by e-mail',
      message: 'SMTP refused',
    });
    expect(byTitle(cases, 'Café crème — 🚀 pays in €')).toMatchObject({
      key: 'checkout::Café crème — 🚀 pays in €',
      suite: 'checkout',
      durationMs: 1500,
    });
    expect(byTitle(cases, 'refunds in full @critical')).toMatchObject({ critical: true, durationMs: 500, suite: 'billing › refunds' });
  });

  it('hand-written edge cases', async () => {
    const cases = await readFile(path.join(fixtures, 'edge-cases.xml'));
    expect(counts(cases)).toEqual({ total: 11, passed: 7, failed: 3, skipped: 1, flaky: 0, critical: 2 });
    // No classname: the innermost named suite stands in; unnamed suites are skipped.
    expect(byTitle(cases, 'creates an invoice')).toMatchObject({
      key: 'invoices::creates an invoice',
      suite: 'billing › invoices',
      durationMs: 1500,
      critical: false,
    });
    expect(byTitle(cases, 'sends the invoice by e-mail')).toMatchObject({
      durationMs: null,
      message: 'Error: SMTP refused\n    at send (mail.js:1:1)',
    });
    expect(byTitle(cases, 'refunds in full')).toMatchObject({
      key: 'billing::refunds in full',
      suite: 'billing',
      durationMs: 1_234_500,
      critical: true,
    });
    expect(byTitle(cases, 'refunds partially')).toMatchObject({ status: 'FAILED', message: 'boom' });
    expect(byTitle(cases, 'Café crème — 🚀 pays in € @Critical')).toMatchObject({
      key: 'checkout.Café::Café crème — 🚀 pays in € @Critical',
      durationMs: 0,
      critical: true,
    });
    expect(byTitle(cases, '@critical-path is another tag')).toMatchObject({ critical: false, durationMs: null });
    expect(byTitle(cases, 'padded name')).toMatchObject({ key: 'checkout::padded name', durationMs: null });
    expect(byTitle(cases, 'not on Windows')).toMatchObject({ status: 'SKIPPED', message: 'needs /dev/shm' });
    expect(byTitle(cases, 'orphan case')).toMatchObject({ key: 'orphan case', suite: null });
    // Both occurrences of a duplicate key are yielded, in order; the caller keeps the later.
    expect(cases.filter((c) => c.key === 'checkout::duplicate').map((c) => [c.status, c.message])).toEqual([
      ['PASSED', null],
      ['FAILED', 'second run <failed>'],
    ]);
  });
});

describe("readJUnit on Testmo's reference examples", () => {
  it('junit-basic.xml: nested suites', async () => {
    const cases = await readFile(path.join(testmo, 'junit-basic.xml'));
    expect(counts(cases)).toEqual({ total: 9, passed: 8, failed: 1, skipped: 0, flaky: 0, critical: 0 });
    expect(byTitle(cases, 'testCase4')).toMatchObject({
      key: 'Tests.Authentication.Login::testCase4',
      suite: 'Tests.Authentication › Tests.Authentication.Login',
      durationMs: 2244,
    });
    expect(byTitle(cases, 'testCase9')).toMatchObject({
      suite: 'Tests.Authentication',
      status: 'FAILED',
      message: 'Assertion error message',
      durationMs: 982,
    });
  });

  it('junit-complete.xml: every common element and attribute', async () => {
    const cases = await readFile(path.join(testmo, 'junit-complete.xml'));
    expect(counts(cases)).toEqual({ total: 8, passed: 5, failed: 2, skipped: 1, flaky: 0, critical: 0 });
    expect(byTitle(cases, 'testCase4')).toMatchObject({ status: 'SKIPPED', message: 'Test was skipped.', durationMs: 0 });
    expect(byTitle(cases, 'testCase5')).toMatchObject({ status: 'FAILED', message: 'Expected value did not match.', durationMs: 2902 });
    expect(byTitle(cases, 'testCase6')).toMatchObject({
      key: 'Tests.Registration::testCase6',
      status: 'FAILED',
      message: 'Division by zero.',
    });
    expect(byTitle(cases, 'testCase8')).toMatchObject({ status: 'PASSED', durationMs: 1625, critical: false });
  });

  it.each(['conventions.xml', 'testcase-output.xml', 'testcase-properties.xml'])('%s: properties and output', async (name) => {
    const cases = await readFile(path.join(testmo, name));
    expect(counts(cases)).toEqual({ total: 1, passed: 1, failed: 0, skipped: 0, flaky: 0, critical: 0 });
    expect(cases[0]).toMatchObject({ key: 'Tests::testExample', suite: 'Tests', durationMs: null, message: null });
  });
});

describe('readJUnit rules', () => {
  it('marks a case critical by @critical in its name or classname, or by a true critical property on the case', async () => {
    const cases = await readText(`<testsuites><testsuite name="s">
      <properties><property name="critical" value="true"/></properties>
      <testcase name="suite property does not count"/>
      <testcase name="yes"><properties><property name="critical" value="YES"/></properties></testcase>
      <testcase name="one"><properties><property name=" Critical " value="1"/></properties></testcase>
      <testcase name="false"><properties><property name="critical" value="false"/></properties></testcase>
      <testcase name="text"><properties><property name="critical"> true </property></properties></testcase>
      <testcase name="tagged (@CRITICAL)"/>
      <testcase classname="checkout @critical" name="tag on the describe block"/>
      <testcase name="email@critical.example"/>
    </testsuite></testsuites>`);
    expect(cases.filter((c) => c.critical).map((c) => c.title)).toEqual([
      'yes',
      'one',
      'text',
      'tagged (@CRITICAL)',
      'tag on the describe block',
    ]);
  });

  it('takes the first outcome message, from the attribute or else the text', async () => {
    const cases = await readText(`<testsuite name="s">
      <testcase name="two failures"><failure message="first"/><error message="second"/></testcase>
      <testcase name="long text"><failure>${'x'.repeat(3000)}</failure></testcase>
      <testcase name="long attribute"><failure message="${'y'.repeat(3000)}"/></testcase>
      <testcase name="empty"><failure/></testcase>
      <testcase name="skipped text"><skipped><![CDATA[  not on CI  ]]></skipped></testcase>
    </testsuite>`);
    expect(cases.map((c) => c.message?.length ?? null)).toEqual([5, 500, 2000, null, 9]);
    expect(cases[0]!.message).toBe('first');
    expect(cases[4]!.message).toBe('not on CI');
  });

  it('refuses bytes that are not UTF-8 with the offset of the bad sequence, wherever the chunks split it', async () => {
    const head = Buffer.from('<testsuite><testcase name="');
    const tail = Buffer.from('"/></testsuite>');
    const refusal = async (parts: Buffer[]) => {
      const err = await collect(chunks(parts)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(JUnitError);
      return err as JUnitError;
    };
    for (const bad of [[0xe9, 0x22], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xe2, 0x82]]) {
      const body = Buffer.concat([head, Buffer.from(bad), Buffer.from('x'), tail]);
      for (const split of [head.length, head.length + 1, head.length + 2, body.length]) {
        const err = await refusal([body.subarray(0, split), body.subarray(split)]);
        expect(err).toMatchObject({ code: 'ENCODING', byteOffset: head.length, line: null });
        expect(err.message).toContain(`not valid UTF-8 at byte ${head.length} (0x${bad[0]!.toString(16).toUpperCase()})`);
      }
    }
    // A character cut off by the end of the file.
    expect(await refusal([Buffer.concat([Buffer.from('<testsuite/>'), Buffer.from([0xf0, 0x9f, 0x9a])])])).toMatchObject({
      byteOffset: 12,
      message: expect.stringContaining('a character the file ends inside'),
    });
    // Valid characters split between chunks are read whole.
    const rocket = Buffer.concat([head, Buffer.from('🚀 é'), tail]);
    for (let split = head.length; split < head.length + 6; split++) {
      expect((await collect(chunks([rocket.subarray(0, split), rocket.subarray(split)]))).cases[0]!.title).toBe('🚀 é');
    }
  });

  it('keeps names whole up to 2000 bytes and refuses longer ones, wherever the chunks split them', async () => {
    const inPieces = (xml: string) =>
      chunks(Array.from({ length: Math.ceil(xml.length / 999) }, (_, i) => xml.slice(i * 999, (i + 1) * 999)));
    const fits = `<testsuite><testcase classname="${'c'.repeat(500)}" name="${'n'.repeat(1497)}"/></testsuite>`;
    const expected = { title: 'n'.repeat(1497), key: `${'c'.repeat(500)}::${'n'.repeat(1497)}` };
    expect(await readText(fits)).toMatchObject([expected]);
    expect((await collect(inPieces(fits))).cases).toMatchObject([expected]);
    for (const xml of [
      `<testsuite><testcase classname="${'c'.repeat(20_000)}" name="n"/></testsuite>`,
      `<testsuite><testcase classname="c" name="${'n'.repeat(1500)}é${'n'.repeat(496)}"/></testsuite>`,
      `<testsuite name="${'s'.repeat(2001)}"><testcase name="n"/></testsuite>`,
    ]) {
      for (const source of [[xml], inPieces(xml)]) {
        await expect(collect(Array.isArray(source) ? chunks(source) : source)).rejects.toMatchObject({
          code: 'LIMIT',
          line: 1,
          message: expect.stringMatching(/is \d+ bytes long; names and keys may be at most 2000 bytes/),
        });
      }
    }
  });

  it('parses time in seconds into whole milliseconds, and gives null for anything odd', () => {
    expect(parseDuration('2.113871')).toBe(2114);
    expect(parseDuration(' 0,5 ')).toBe(500);
    expect(parseDuration('1,234.5')).toBe(1_234_500);
    expect(parseDuration('1e-3')).toBe(1);
    expect(parseDuration('.25')).toBe(250);
    for (const odd of [undefined, '', ' ', 'n/a', '-1', 'NaN', 'Infinity', '0x10', '1e999', '1,2,3', '99999999999']) {
      expect(parseDuration(odd), String(odd)).toBeNull();
    }
  });

  it('recognises @critical only as a tag', () => {
    expect(['@critical', 'pays @critical', '[@Critical]', '(@critical)', 'x @critical: y'].every(hasCriticalTag)).toBe(true);
    expect(['critical', 'a@critical', '@critical-path', '@criticality', '@@critical', 'test_critical'].some(hasCriticalTag)).toBe(false);
  });

  it('reads a Node stream, a stream of strings and Web bytes alike', async () => {
    const file = path.join(fixtures, 'surefire-rerun.xml');
    const expected = await readFile(file);
    const text = readFileSync(file, 'utf8');
    expect((await collect(Readable.from([text.slice(0, 100), text.slice(100)]))).cases).toEqual(expected);
    expect((await collect(chunks([new Uint8Array(readFileSync(file))]))).cases).toEqual(expected);
    const stringStream = createReadStream(file);
    stringStream.setEncoding('utf8');
    expect((await collect(stringStream)).cases).toEqual(expected);
  });

  it('accepts whitespace and a byte-order mark before the XML declaration, and counts their lines', async () => {
    expect(await readText('\uFEFF\n\n  <?xml version="1.0"?><testsuite><testcase name="a"/></testsuite>')).toHaveLength(1);
    const { error } = await refusal(chunks(['\n', '\n', '<testsuites>\n<oops></testsuites>']));
    expect(error).toMatchObject({ code: 'MALFORMED', line: 4 });
  });
});

describe('readJUnit refuses hostile and broken input, yielding nothing', () => {
  // batchSize 1: even a refusal after the first case would show up as a yielded case.
  it.each([
    [
      'billion-laughs.xml',
      'DTD',
      2,
      /^Line 2: DTDs and entity declarations are not allowed in JUnit uploads \(they enable XXE and entity-expansion attacks\); remove the <!DOCTYPE …> block$/,
    ],
    ['xxe.xml', 'DTD', 2, /^Line 2: DTDs and entity declarations are not allowed/],
    ['html-entity.xml', 'ENTITY', 4, /^Line 4: undefined entity reference \(&…;\); JUnit uploads may use only the XML built-ins .*&nbsp;/],
    ['not-xml.json', 'NOT_XML', 1, /^Line 1: the body is JSON, not JUnit XML/],
    ['wrong-root.xml', 'ROOT', 2, /^Line 2: the root element is <html>; a JUnit report is a <testsuites> or <testsuite> element$/],
  ])('%s', async (name, code, line, message) => {
    const { error, yielded } = await refusal(createReadStream(path.join(fixtures, 'hostile', name)), { batchSize: 1 });
    expect(error).toMatchObject({ code, line });
    expect(error.message).toMatch(message);
    expect(yielded).toEqual([]);
  });

  // These fail after complete cases; with the default batch size nothing has been yielded yet.
  it.each([
    ['malformed.xml', 6, /^Line 6: malformed XML: a closing tag does not match the element it should close$/],
    ['truncated.xml', 7, /^Line 7: the file ends before <failure> is closed; was the upload cut short\?$/],
  ])('%s', async (name, line, message) => {
    const { error, yielded } = await refusal(createReadStream(path.join(fixtures, 'hostile', name)));
    expect(error).toMatchObject({ code: 'MALFORMED', line });
    expect(error.message).toMatch(message);
    expect(yielded).toEqual([]);
  });

  it('gives the same refusal when the file arrives one byte at a time', async () => {
    for (const name of readdirSync(path.join(fixtures, 'hostile'))) {
      const file = path.join(fixtures, 'hostile', name);
      const whole = await refusal(createReadStream(file));
      const split = await refusal(chunks(bytes(readFileSync(file))));
      expect([split.error.message, split.error.line], name).toEqual([whole.error.message, whole.error.line]);
    }
  });

  it('an empty body', async () => {
    for (const body of [[], [''], ['  \n\t'], [Buffer.from([0xef, 0xbb, 0xbf])]]) {
      const { error } = await refusal(chunks<string | Buffer>(body));
      expect(error).toMatchObject({
        code: 'EMPTY',
        line: null,
        message: 'The body is empty; send a JUnit XML document (<testsuites> or <testsuite>)',
      });
    }
  });

  it.each([
    ['plain text', 'Tests passed: 12\n', 'NOT_XML', 1, /the body is not XML \(it starts with "Tests passed: 12 …"\)/],
    ['a DOCTYPE on one line', '<!DOCTYPE testsuites><testsuites/>', 'DTD', 1, /DTDs and entity declarations/],
    ['an entity declaration outside a DTD', '<testsuites>\n<!ENTITY x "y"></testsuites>', 'MALFORMED', 2, /malformed XML/],
    ['only a comment', '<?xml version="1.0"?><!-- nothing -->', 'ROOT', 1, /no root element/],
    ['text before the root', '<!-- c --> hello <testsuites/>', 'NOT_XML', 1, /text before the root element/],
    ['two roots', '<testsuite/>\n<testsuite/>', 'MALFORMED', 2, /more after the end of the root element/],
    ['a case without a name', '<testsuite>\n<testcase classname="c"/></testsuite>', 'INVALID', 2, /a <testcase> without a name attribute/],
    [
      'a case inside a case',
      '<testsuite><testcase name="a"><testcase name="b"/></testcase></testsuite>',
      'INVALID',
      1,
      /a <testcase> inside another <testcase>/,
    ],
    ['a name too long', `<testsuite><t${'x'.repeat(70_000)}/></testsuite>`, 'LIMIT', 1, /name is longer than 1024 characters/],
    [
      'too many attributes',
      `<testsuite ${Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ')}/>`,
      'LIMIT',
      1,
      /more than 256 attributes/,
    ],
    [
      'too many attributes, across chunks',
      `<testsuite ${Array.from({ length: 20_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`,
      'LIMIT',
      1,
      /more than 256 attributes/,
    ],
  ])('%s', async (_label, xml, code, line, message) => {
    const { error, yielded } = await refusal(chunks([xml]), { batchSize: 1 });
    expect(error).toMatchObject({ code, line });
    expect(error.message).toMatch(message);
    expect(yielded).toEqual([]);
  });

  it('puts the column of a one-line DOCTYPE where it starts', async () => {
    const { error } = await refusal(chunks(['<?xml version="1.0"?><!DOCTYPE testsuites><testsuites/>']));
    expect(error).toMatchObject({ line: 1, column: 22 });
  });

  it('limits nesting depth (64 by default)', async () => {
    const deep = (n: number) => `<testsuites>${'<testsuite>'.repeat(n - 1)}${'</testsuite>'.repeat(n - 1)}</testsuites>`;
    expect(await readText(deep(64))).toEqual([]);
    await expect(collect(chunks([deep(65)]))).rejects.toMatchObject({
      code: 'LIMIT',
      message: 'Line 1: elements are nested more than 64 deep',
    });
    await expect(collect(chunks([deep(10)]), { maxDepth: 8 })).rejects.toMatchObject({ code: 'LIMIT' });
  });
});

describe('readJUnit streams', () => {
  it('gives identical results when each file arrives one byte, or one character, at a time', async () => {
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.xml'));
    expect(files).toHaveLength(12);
    for (const name of files) {
      const file = path.join(fixtures, name);
      const whole = await readFile(file);
      expect((await collect(chunks(bytes(readFileSync(file))))).cases, name).toEqual(whole);
      // Characters as UTF-16 units: a surrogate pair (🚀) is split between writes.
      expect((await collect(chunks(readFileSync(file, 'utf8')))).cases, name).toEqual(whole);
    }
  });

  it('reads 100,000 cases in batches of at most 1000 without holding the document', async () => {
    async function* document() {
      yield '<?xml version="1.0"?><testsuites><testsuite name="big">';
      for (let i = 0; i < 100_000; i += 500) {
        let chunk = '';
        for (let j = i; j < i + 500; j++) {
          chunk +=
            j % 97 === 0
              ? `<testcase classname="big.Suite" name="case ${j}" time="0.01"><failure message="boom ${j}">trace</failure><system-out>${'log line\n'.repeat(20)}</system-out></testcase>`
              : `<testcase classname="big.Suite" name="case ${j}" time="0.01"/>`;
        }
        yield chunk;
      }
      yield '</testsuite></testsuites>';
    }
    const before = liveHeap();
    let total = 0;
    let failed = 0;
    let largest = 0;
    let peak = before;
    const keys = new Set<string>();
    for await (const batch of readJUnit(document())) {
      total += batch.length;
      failed += batch.filter((c) => c.status === 'FAILED').length;
      largest = Math.max(largest, batch.length);
      if (total % 10_000 === 0) {
        keys.add(batch[0]!.key);
        peak = Math.max(peak, liveHeap());
      }
    }
    expect(total).toBe(100_000);
    expect(failed).toBe(Math.ceil(100_000 / 97));
    expect(largest).toBe(1000);
    expect(keys.has('big.Suite::case 9000')).toBe(true);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    expect(liveHeap() - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('yields bounded batches from one huge chunk too', async () => {
    const xml = `<testsuite>${'<testcase name="c"/>'.repeat(20_000)}</testsuite>`;
    const { batches } = await collect(chunks([xml]), { batchSize: 100 });
    expect(batches).toEqual(Array(200).fill(100));
  });

  // saxes keeps a whole text node in one string; the reader caps it. 64 MB of
  // output must not become a 64 MB string (that would show as heap growth).
  it.each([
    ['<system-out> text', '<system-out>', '</system-out>'],
    ['<system-out> CDATA', '<system-out><![CDATA[', ']]></system-out>'],
    ['failure text', '<failure>', '</failure>'],
    ['a comment', '<!--', '-->'],
  ])(
    'keeps memory bounded under 64 MB of %s',
    async (_label, open, close) => {
      const block = Buffer.from(`${'x'.repeat(1023)}\n`.repeat(64)); // 64 KB, decoded afresh each time
      let peak = 0;
      async function* document() {
        yield `<testsuites><testsuite name="s"><testcase name="noisy">${open}`;
        for (let i = 0; i < 1024; i++) {
          yield block;
          if (i % 256 === 255) peak = Math.max(peak, liveHeap());
        }
        yield `${close}</testcase></testsuite></testsuites>`;
      }
      const before = liveHeap();
      const { cases } = await collect(document());
      expect(cases).toHaveLength(1);
      if (open === '<failure>') expect(cases[0]!.message!.length).toBeLessThanOrEqual(500);
      // Capped, the reader holds a few slices; uncapped, this grows past 60 MB.
      expect(peak - before).toBeLessThan(16 * 1024 * 1024);
    },
    60_000,
  );
});
