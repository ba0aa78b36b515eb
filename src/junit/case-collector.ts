// Follows the element events of a JUnit report and collects finished test
// cases into batches. Knows JUnit's shapes (suites, cases, outcomes, Surefire's
// re-runs, properties), nothing about bytes or the parser. Text is kept only
// where it may become a message or a property value, and only its first KB.
import {
  caseKey,
  clip,
  isTrueValue,
  NAME_MAX_BYTES,
  SUITE_SEPARATOR,
  toJUnitCase,
  type CaseFacts,
  type CasePlace,
  type JUnitCase,
} from './junit-case.js';

type Refuse = (code: 'ROOT' | 'INVALID' | 'LIMIT', detail: string) => never;

/** Where character data currently goes: a message with no `message` attribute, or a text-valued critical property. */
interface TextSink {
  kind: 'message' | 'critical';
  /** Depth of the element that opened the sink; its close ends the sink. */
  depth: number;
  value: string;
}

const ROOTS = new Set(['testsuites', 'testsuite']);
/** Kept of a message attribute. */
export const MESSAGE_ATTRIBUTE_MAX = 2000;
/** Kept of a message taken from element text (a stack trace, usually). */
export const MESSAGE_TEXT_MAX = 500;

export class CaseCollector {
  sawRoot = false;
  private readonly open: string[] = [];
  private readonly suites: string[] = [];
  private place: CasePlace = { suitePath: null, innermostSuite: null };
  private facts: CaseFacts | null = null;
  private sink: TextSink | null = null;
  private batch: JUnitCase[] = [];
  private full: JUnitCase[][] = [];

  constructor(
    private readonly batchSize: number,
    private readonly maxDepth: number,
    private readonly refuse: Refuse,
  ) {}

  openElement(name: string, attributes: Record<string, string>): void {
    this.open.push(name);
    const depth = this.open.length;
    if (depth > this.maxDepth) this.refuse('LIMIT', `elements are nested more than ${this.maxDepth} deep`);
    if (depth === 1) {
      if (!ROOTS.has(name)) this.refuse('ROOT', `the root element is <${name}>; a JUnit report is a <testsuites> or <testsuite> element`);
      this.sawRoot = true;
    }
    if (name === 'testsuite') return this.enterSuite(attributes.name);
    if (name === 'testcase') return this.startCase(attributes);
    const facts = this.facts;
    if (!facts) return;
    const parent = this.open[depth - 2];
    // Outcomes count only as direct children: Surefire nests <stackTrace>,
    // <system-out> and the like inside its flaky and rerun elements.
    if (parent === 'testcase') {
      switch (name) {
        case 'failure':
        case 'error':
          if (facts.outcome !== 'FAILED') {
            facts.outcome = 'FAILED'; // over a <skipped>, too: a failure is the stronger fact
            this.takeMessage(facts, attributes.message, depth);
          }
          return;
        case 'skipped':
          if (facts.outcome === null) {
            facts.outcome = 'SKIPPED';
            this.takeMessage(facts, attributes.message, depth);
          }
          return;
        case 'flakyFailure':
        case 'flakyError':
          facts.flakes++;
          return;
        case 'rerunFailure':
        case 'rerunError':
          facts.reruns++;
          return;
      }
    } else if (name === 'property' && parent === 'properties' && this.open[depth - 3] === 'testcase') {
      if (attributes.name?.trim().toLowerCase() !== 'critical') return;
      // Some producers write the value as element text instead of an attribute.
      if (attributes.value !== undefined) facts.criticalProperty ||= isTrueValue(attributes.value);
      else this.sink = { kind: 'critical', depth, value: '' };
    }
  }

  closeElement(name: string): void {
    const depth = this.open.length;
    this.open.pop();
    if (this.sink && this.sink.depth === depth) this.endSink(this.sink);
    if (name === 'testsuite') this.leaveSuite();
    else if (name === 'testcase' && this.facts) this.finishCase(this.facts);
  }

  text(text: string): void {
    const sink = this.sink;
    if (!sink || sink.value.length >= MESSAGE_ATTRIBUTE_MAX) return;
    // Leading indentation would otherwise use up the budget before the message starts.
    const piece = sink.value === '' ? text.trimStart() : text;
    sink.value += piece.slice(0, MESSAGE_ATTRIBUTE_MAX - sink.value.length);
  }

  /** Batches filled since the last call. */
  takeFull(): JUnitCase[][] {
    const full = this.full;
    this.full = [];
    return full;
  }

  /** The last, partly filled batch (empty when the cases divided evenly). */
  takeRest(): JUnitCase[] {
    const rest = this.batch;
    this.batch = [];
    return rest;
  }

  private enterSuite(name: string | undefined): void {
    const suite = name?.trim() ?? '';
    this.checkLength('the <testsuite> name', suite);
    this.suites.push(suite);
    this.updatePlace();
  }

  private leaveSuite(): void {
    this.suites.pop();
    this.updatePlace();
  }

  // Computed when suites change, not per case: a 100,000-case suite joins once.
  private updatePlace(): void {
    const named = this.suites.filter((s) => s !== '');
    this.place = { suitePath: named.join(SUITE_SEPARATOR) || null, innermostSuite: named.at(-1) ?? null };
  }

  private startCase(attributes: Record<string, string>): void {
    if (this.facts) this.refuse('INVALID', 'a <testcase> inside another <testcase>');
    // Names are kept whole: cut, two cases that differ after the cut would become one.
    const name = attributes.name?.trim() ?? '';
    if (!name) this.refuse('INVALID', 'a <testcase> without a name attribute; every case needs a name to be tracked across runs');
    const classname = attributes.classname?.trim() || null;
    this.checkLength('the key (classname::name) of the test case', caseKey(classname ?? this.place.innermostSuite, name));
    this.facts = {
      name,
      classname,
      time: attributes.time,
      outcome: null,
      message: null,
      flakes: 0,
      reruns: 0,
      criticalProperty: false,
    };
  }

  /** Refuses a name or key longer than NAME_MAX_BYTES, naming it by its first 80 characters. */
  private checkLength(what: string, value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes <= NAME_MAX_BYTES) return;
    const shown = value.length > 80 ? `${clip(value, 80)}…` : value;
    this.refuse(
      'LIMIT',
      `${what} "${shown}" is ${bytes} bytes long; names and keys may be at most ${NAME_MAX_BYTES} bytes in UTF-8 (${NAME_MAX_BYTES} ASCII characters): shorten it`,
    );
  }

  private takeMessage(facts: CaseFacts, attribute: string | undefined, depth: number): void {
    const message = attribute?.trim();
    facts.message = message ? clip(message, MESSAGE_ATTRIBUTE_MAX) : null;
    this.sink = message ? null : { kind: 'message', depth, value: '' };
  }

  private endSink(sink: TextSink): void {
    this.sink = null;
    if (!this.facts) return;
    if (sink.kind === 'critical') this.facts.criticalProperty ||= isTrueValue(sink.value);
    else this.facts.message = firstLines(sink.value.trim(), MESSAGE_TEXT_MAX) || null;
  }

  private finishCase(facts: CaseFacts): void {
    this.facts = null;
    this.sink = null;
    this.batch.push(toJUnitCase(facts, this.place));
    if (this.batch.length >= this.batchSize) {
      this.full.push(this.batch);
      this.batch = [];
    }
  }
}

/** About `max` characters of a stack trace, cut at a line end when one is near, so no line is left half. */
function firstLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const clipped = clip(text, max);
  const lineEnd = clipped.lastIndexOf('\n');
  return (lineEnd >= max / 2 ? clipped.slice(0, lineEnd) : clipped).trimEnd();
}
