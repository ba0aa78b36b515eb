// The streaming JUnit XML reader: readJUnit() yields batches of cases, and
// refuses bad input with a JUnitError.
export { readJUnit, type JUnitSource, type ReadJUnitOptions } from './read-junit.js';
export { JUnitError, type JUnitErrorCode } from './junit-error.js';
export { SUITE_SEPARATOR, NAME_MAX_BYTES, caseKey, clip, hasCriticalTag, type JUnitCase, type JUnitStatus } from './junit-case.js';
export { Utf8Validator, firstInvalidUtf8 } from './utf8-validator.js';
