// Streams a JUnit XML document into batches of test cases, so a 100,000-case
// file never becomes one object graph. Accepts what real producers write
// (Surefire, Gradle, pytest, Playwright, Jest/Vitest, go-junit-report):
// <testsuites> or a bare <testsuite>, nested suites, properties, CDATA.
// DTDs and entities are refused outright: they enable XXE and entity bombs.
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export type JUnitStatus = 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';

export interface JUnitCase {
  key: string;
  title: string;
  suite: string | null;
  status: JUnitStatus;
  durationMs: number | null;
  message: string | null;
  attempts: number;
  flaky: boolean;
  critical: boolean;
}

export class JUnitError extends Error {
  constructor(
    message: string,
    public readonly line: number | null,
    public readonly column: number | null,
  ) {
    super(line === null ? message : `Line ${line}: ${message}`);
    this.name = 'JUnitError';
  }
}

export interface ReadJUnitOptions {
  batchSize?: number;
  maxDepth?: number;
}

const MESSAGE_LIMIT = 2000;
const ROOTS = new Set(['testsuites', 'testsuite']);
const TRUE = new Set(['true', '1', 'yes']);

interface OpenCase {
  name: string;
  classname: string | null;
  suite: string | null;
  time: string | undefined;
  outcome: 'failure' | 'skipped' | null;
  message: string | null;
  reruns: number;
  flakes: number;
  critical: boolean;
}

export async function* readJUnit(
  source: AsyncIterable<Buffer | string>,
  options: ReadJUnitOptions = {},
): AsyncGenerator<JUnitCase[]> {
  const batchSize = options.batchSize ?? 1000;
  const maxDepth = options.maxDepth ?? 64;
  const parser = new SaxesParser({ xmlns: false, position: true });
  let pending: JUnitCase[] = [];
  let failure: JUnitError | null = null;
  const fail = (message: string) => {
    if (!failure) failure = new JUnitError(message, parser.line, parser.column);
  };

  const suites: string[] = [];
  const stack: string[] = [];
  let current: OpenCase | null = null;
  let sawRoot = false;
  // Text is kept only inside <failure>/<error>/<skipped> without a message attribute, capped.
  let collecting = false;
  let collected = '';
  let inProperties = false;

  parser.on('doctype', () =>
    fail('DTDs and entity declarations are not allowed in JUnit uploads (they enable XXE and entity-expansion attacks); remove the <!DOCTYPE …> block'),
  );
  parser.on('error', (err) => fail(cleanSaxError(err.message)));
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (failure) return;
    const name = tag.name;
    const attr = (n: string) => {
      const v = tag.attributes[n];
      return typeof v === 'string' ? v : undefined;
    };
    stack.push(name);
    if (stack.length > maxDepth) return fail(`elements are nested deeper than ${maxDepth} levels`);
    if (stack.length === 1) {
      if (!ROOTS.has(name)) return fail(`the root element is <${name}>; a JUnit report starts with <testsuites> or <testsuite>`);
      sawRoot = true;
    }
    if (name === 'testsuite') {
      suites.push(attr('name')?.trim() ?? '');
      return;
    }
    if (name === 'testcase') {
      const caseName = attr('name')?.trim();
      if (!caseName) return fail('a <testcase> has no name attribute');
      current = {
        name: caseName,
        classname: attr('classname')?.trim() || null,
        suite: suites.filter(Boolean).join(' › ') || null,
        time: attr('time'),
        outcome: null,
        message: null,
        reruns: 0,
        flakes: 0,
        critical: /(^|[\s[(])@critical\b/i.test(caseName),
      };
      return;
    }
    if (!current) return;
    switch (name) {
      case 'failure':
      case 'error':
        current.outcome = 'failure';
        current.message = attr('message')?.trim() || null;
        collecting = current.message === null;
        collected = '';
        return;
      case 'skipped':
        if (current.outcome !== 'failure') {
          current.outcome = 'skipped';
          current.message = attr('message')?.trim() || null;
        }
        return;
      case 'flakyFailure':
      case 'flakyError':
        current.flakes++;
        return;
      case 'rerunFailure':
      case 'rerunError':
        current.reruns++;
        return;
      case 'properties':
        inProperties = true;
        return;
      case 'property':
        if (inProperties && attr('name')?.toLowerCase() === 'critical' && TRUE.has((attr('value') ?? '').trim().toLowerCase())) {
          current.critical = true;
        }
        return;
    }
  });
  const onText = (text: string) => {
    if (collecting && collected.length < MESSAGE_LIMIT) collected += text.slice(0, MESSAGE_LIMIT - collected.length);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    if (failure) return;
    stack.pop();
    const name = tag.name;
    if (name === 'testsuite') suites.pop();
    else if (name === 'properties') inProperties = false;
    else if ((name === 'failure' || name === 'error') && current && collecting) {
      current.message = collected.trim().slice(0, 500) || null;
      collecting = false;
    } else if (name === 'testcase' && current) {
      pending.push(finish(current));
      current = null;
    }
  });

  let sawContent = false;
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    // A streaming decoder keeps multi-byte characters split across chunks intact.
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (!sawContent && /\S/.test(text)) sawContent = true;
    try {
      parser.write(text);
    } catch (err) {
      fail(cleanSaxError((err as Error).message));
    }
    if (failure) throw failure;
    if (pending.length >= batchSize) {
      while (pending.length >= batchSize) yield pending.splice(0, batchSize);
    }
  }
  if (!sawContent) {
    throw new JUnitError('The body is empty; send a JUnit XML document (<testsuites> or <testsuite>)', null, null);
  }
  try {
    parser.close();
  } catch (err) {
    fail(cleanSaxError((err as Error).message));
  }
  if (failure) throw failure;
  if (!sawRoot) throw new JUnitError('This is not a JUnit XML document: no <testsuites> or <testsuite> element found', null, null);
  if (pending.length) yield pending;
  pending = [];
}

function finish(c: OpenCase): JUnitCase {
  const status: JUnitStatus = c.outcome === 'failure' ? 'FAILED' : c.outcome === 'skipped' ? 'SKIPPED' : 'PASSED';
  const seconds = parseSeconds(c.time);
  const owner = c.classname ?? (c.suite ? c.suite.split(' › ').pop()! : null);
  return {
    key: owner ? `${owner}::${c.name}` : c.name,
    title: c.name,
    suite: c.suite ?? c.classname,
    status,
    durationMs: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null,
    message: status === 'PASSED' ? null : c.message,
    attempts: 1 + (status === 'PASSED' ? c.flakes : c.reruns),
    flaky: status === 'PASSED' && c.flakes > 0,
    critical: c.critical,
  };
}

// Some locales write "0,5" (decimal comma); others "1,234.5" (thousands comma).
function parseSeconds(time: string | undefined): number {
  if (time === undefined) return NaN;
  const t = time.trim();
  return Number(t.includes('.') ? t.replace(/,/g, '') : t.replace(',', '.'));
}

// saxes prefixes messages with "<file>:<line>:<col>: "; the JUnitError carries the position itself.
function cleanSaxError(message: string): string {
  const text = message.replace(/^[^:]*:\d+:\d+:\s*/, '');
  if (/undefined entity/i.test(text)) return `${text}: entities other than the five XML built-ins are not allowed`;
  if (/text not allowed|non-whitespace/i.test(text)) return `not well-formed XML (${text}); send a JUnit XML document`;
  return `malformed XML: ${text}`;
}
