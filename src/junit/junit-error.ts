// The one error the JUnit reader throws. An upload that raises it is refused
// whole; the message is meant for the person who sent the file, and names the
// line to look at when there is one.

export type JUnitErrorCode =
  | 'EMPTY' // nothing but whitespace
  | 'NOT_XML' // JSON, HTML text, a log file…
  | 'DTD' // <!DOCTYPE …>: the door to XXE and entity bombs
  | 'ENTITY' // &name; that is not one of XML's five built-ins
  | 'MALFORMED' // not well-formed XML
  | 'ROOT' // no root element, or one that is not <testsuites>/<testsuite>
  | 'INVALID' // well-formed, but not a JUnit report we can read (a <testcase> without a name)
  | 'LIMIT' // nesting, names or attributes beyond what any real report needs
  | 'ENCODING'; // bytes that are not UTF-8

export class JUnitError extends Error {
  override readonly name = 'JUnitError';

  constructor(
    readonly code: JUnitErrorCode,
    detail: string,
    readonly line: number | null,
    readonly column: number | null,
    /** Where in the body's bytes, for an encoding error (which has no line: the text could not be read). */
    readonly byteOffset: number | null = null,
  ) {
    super(line === null ? detail : `Line ${line}: ${detail}`);
  }
}

/**
 * Bytes that are not UTF-8. XML declared in another encoding (ISO-8859-1,
 * windows-1252) is read as UTF-8 all the same: when it holds only ASCII the
 * two agree and it is accepted; otherwise it is refused here, with a hint,
 * rather than decoded: every JUnit producer we know writes UTF-8, and guessing
 * a legacy encoding right is harder than asking for the file to be converted.
 */
export function encodingError(byteOffset: number, byte: number, cutOff: boolean, declared: string | null): JUnitError {
  const shown = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}${cutOff ? ', a character the file ends inside' : ''}`;
  const hint =
    declared && !/^utf-?8$/i.test(declared)
      ? ` (the XML declaration says ${declared}: convert the file, e.g. iconv -f ${declared} -t UTF-8)`
      : '';
  return new JUnitError(
    'ENCODING',
    `The file is not valid UTF-8 at byte ${byteOffset} (${shown}); send the report encoded as UTF-8${hint}`,
    null,
    null,
    byteOffset,
  );
}

const DTD_REFUSED =
  'DTDs and entity declarations are not allowed in JUnit uploads (they enable XXE and entity-expansion attacks); remove the <!DOCTYPE …> block';

export function dtdError(line: number | null, column: number | null): JUnitError {
  return new JUnitError('DTD', DTD_REFUSED, line, column);
}

/**
 * Turns one of saxes' errors ("3:14: unexpected close tag.") into a JUnitError
 * that says what is wrong in words a CI user can act on. The position comes
 * from the parser, already shifted for any whitespace the reader skipped.
 */
export function fromParserError(err: unknown, line: number, column: number, sawRoot: boolean): JUnitError {
  const raw = (err instanceof Error ? err.message : String(err)).replace(/^\d+:\d+:\s*/, '');
  const unclosed = /^unclosed tag: (.+)$/.exec(raw);
  if (unclosed) {
    return new JUnitError('MALFORMED', `the file ends before <${unclosed[1]}> is closed; was the upload cut short?`, line, column);
  }
  if (/undefined entity|disallowed character in entity name/.test(raw)) {
    return new JUnitError(
      'ENTITY',
      'undefined entity reference (&…;); JUnit uploads may use only the XML built-ins (&amp; &lt; &gt; &quot; &apos;) and numeric references (HTML names such as &nbsp; are not XML: write &#160;)',
      line,
      column,
    );
  }
  if (/doctype/i.test(raw)) return dtdError(line, column);
  if (raw.startsWith('document must contain a root element')) {
    return new JUnitError('ROOT', 'no root element; a JUnit report is a <testsuites> or <testsuite> element', line, column);
  }
  if (raw.startsWith('text data outside of root node') && !sawRoot) {
    return new JUnitError('NOT_XML', 'text before the root element; a JUnit report is a <testsuites> or <testsuite> element', line, column);
  }
  if (raw.startsWith('documents may contain only one root') || raw.startsWith('text data outside of root node')) {
    return new JUnitError(
      'MALFORMED',
      `malformed XML: there is more after the end of the root element (${raw.replace(/\.$/, '')}); send one report per upload`,
      line,
      column,
    );
  }
  if (raw.startsWith('unexpected close tag')) {
    return new JUnitError('MALFORMED', 'malformed XML: a closing tag does not match the element it should close', line, column);
  }
  return new JUnitError('MALFORMED', `malformed XML: ${raw.replace(/\.$/, '')}`, line, column);
}
