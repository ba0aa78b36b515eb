// Streams a JUnit XML report into batches of test cases, so a 100,000-case
// file never becomes one object graph and memory stays bounded whatever the
// file holds. Accepts what real producers write (Surefire, Gradle, pytest,
// Playwright, Jest/Vitest, mocha, go-junit-report): <testsuites> or a bare
// <testsuite>, nested suites, properties, CDATA, output. Refuses, with a
// JUnitError and before yielding anything more, DTDs and entity declarations
// (XXE, entity bombs), undefined entities, malformed XML and non-XML bodies.
//
// A case is yielded as soon as its batch fills, so a document that turns out
// malformed after more than one batch has already yielded cases: callers store
// batches in one transaction (src/services/ingest-junit.ts). Duplicate keys
// are all yielded, in document order; the caller decides (the later one wins).
import { checkTag, createBoundedParser, limitBuffers, type BoundedParser } from './bounded-parser.js';
import { CaseCollector } from './case-collector.js';
import { dtdError, encodingError, fromParserError, JUnitError } from './junit-error.js';
import { Utf8Validator } from './utf8-validator.js';
import type { JUnitCase } from './junit-case.js';

export type JUnitSource = AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream;

export interface ReadJUnitOptions {
  /** Cases per yielded batch (default 1000). */
  batchSize?: number;
  /** Deepest element nesting accepted (default 64). */
  maxDepth?: number;
}

/** Parser input per write; bounds what one write can add to buffers and batches. */
const SLICE = 64 * 1024;
// The first character that is neither XML whitespace nor a byte-order mark.
const CONTENT_START = /[^ \t\r\n\uFEFF]/;

export async function* readJUnit(source: JUnitSource, options: ReadJUnitOptions = {}): AsyncGenerator<JUnitCase[], void, undefined> {
  const batchSize = whole('batchSize', options.batchSize ?? 1000, 1);
  const maxDepth = whole('maxDepth', options.maxDepth ?? 64, 2);
  const input = new DocumentInput();
  const parser = createBoundedParser();
  const where = (): [number, number] => input.position(parser);
  const collector = new CaseCollector(batchSize, maxDepth, (code, detail) => {
    throw new JUnitError(code, detail, ...where());
  });

  parser.on('doctype', (doctype) => {
    // Reported once the DOCTYPE has ended; point at the line where it began.
    // (saxes hands over the text between "<!DOCTYPE" and ">").
    const [line, column] = where();
    const lines = doctype.split('\n').length - 1;
    throw dtdError(line - lines, lines === 0 ? column - doctype.length - '<!DOCTYPE'.length : null);
  });
  parser.on('opentag', (tag) => {
    const overflow = checkTag(tag.name, tag.attributes);
    if (overflow) throw new JUnitError('LIMIT', overflow, ...where());
    collector.openElement(tag.name, tag.attributes);
  });
  parser.on('closetag', (tag) => collector.closeElement(tag.name));
  parser.on('text', (text) => collector.text(text));
  parser.on('cdata', (text) => collector.text(text));

  // Yields after every slice, so one huge chunk cannot pile up batches either.
  function* feed(text: string): Generator<JUnitCase[]> {
    for (const piece of input.accept(text)) {
      try {
        parser.write(piece);
      } catch (err) {
        throw err instanceof JUnitError ? err : fromParserError(err, ...where(), collector.sawRoot);
      }
      const overflow = limitBuffers(parser);
      if (overflow) throw new JUnitError('LIMIT', overflow, ...where());
      yield* collector.takeFull();
    }
  }

  // Bytes are checked before they are decoded: the decoder would turn a bad
  // byte into U+FFFD, and two names differing only there would become one.
  const decoder = new TextDecoder('utf-8');
  const validator = new Utf8Validator();
  let declared: string | null | undefined;
  for await (const chunk of source as AsyncIterable<unknown>) {
    // The streaming decoder keeps a character split across chunks whole.
    if (typeof chunk === 'string') yield* feed(chunk);
    else if (chunk instanceof Uint8Array) {
      declared ??= declaredEncoding(chunk);
      const bad = validator.push(chunk);
      if (bad !== -1) throw encodingError(bad, validator.leadByte, false, declared);
      yield* feed(decoder.decode(chunk, { stream: true }));
    } else throw new TypeError('readJUnit: the source must yield strings or bytes');
  }
  const unfinished = validator.end();
  if (unfinished !== -1) throw encodingError(unfinished, validator.leadByte, true, declared ?? null);
  yield* feed(decoder.decode());
  if (!input.started)
    throw new JUnitError('EMPTY', 'The body is empty; send a JUnit XML document (<testsuites> or <testsuite>)', null, null);
  try {
    parser.close();
  } catch (err) {
    throw err instanceof JUnitError ? err : fromParserError(err, ...where(), collector.sawRoot);
  }
  yield* collector.takeFull();
  const rest = collector.takeRest();
  if (rest.length > 0) yield rest;
}

/**
 * Cuts the text into parser-sized slices, and checks how the document starts:
 * whitespace and a byte-order mark before the first "<" are skipped (saxes
 * refuses an XML declaration that is not at the very start, though uploads
 * often gain a leading newline), and anything else there is refused as not XML.
 * Positions reported by the parser are shifted back by what was skipped.
 */
class DocumentInput {
  started = false;
  private skippedLines = 0;
  private skippedColumns = 0;

  *accept(text: string): Generator<string> {
    if (!this.started) {
      const first = text.search(CONTENT_START);
      this.skip(first === -1 ? text : text.slice(0, first));
      if (first === -1) return;
      this.started = true;
      text = text.slice(first);
      if (text[0] !== '<') throw this.notXml(text);
    }
    for (let i = 0; i < text.length; i += SLICE) yield text.slice(i, i + SLICE);
  }

  position(parser: BoundedParser): [number, number] {
    return [parser.line + this.skippedLines, parser.line === 1 ? parser.column + this.skippedColumns : parser.column];
  }

  private skip(space: string): void {
    const lines = space.split('\n');
    if (lines.length > 1) this.skippedColumns = 0;
    this.skippedLines += lines.length - 1;
    this.skippedColumns += lines.at(-1)!.replace(/\r/g, '').length;
  }

  private notXml(text: string): JUnitError {
    const line = this.skippedLines + 1;
    const column = this.skippedColumns + 1;
    if (text[0] === '{' || text[0] === '[') {
      return new JUnitError(
        'NOT_XML',
        'the body is JSON, not JUnit XML; send the XML report your test runner wrote (<testsuites> or <testsuite>)',
        line,
        column,
      );
    }
    const start = text.slice(0, 20).replace(/\s+/g, ' ');
    return new JUnitError(
      'NOT_XML',
      `the body is not XML (it starts with "${start}…"); send the JUnit XML report your test runner wrote`,
      line,
      column,
    );
  }
}

/** The encoding an XML declaration at the start of the bytes names, or null. */
function declaredEncoding(first: Uint8Array): string | null {
  const head = Buffer.from(first.buffer, first.byteOffset, Math.min(first.length, 200)).toString('latin1');
  return /^[\s\uFEFF\u00EF\u00BB\u00BF]*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/.exec(head)?.[1] ?? null;
}

function whole(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`readJUnit: ${name} must be a whole number of at least ${min}`);
  return value;
}
