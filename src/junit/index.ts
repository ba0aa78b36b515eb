export { readJUnit, JUnitError, type JUnitCase, type JUnitStatus, type ReadJUnitOptions } from './read-junit.js';
