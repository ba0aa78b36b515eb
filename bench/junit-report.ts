// A JUnit XML report of n generated cases, written to a file as a stream (the
// benchmark's memory stays flat whatever n is), and the rows it describes, so a
// baseline can insert exactly the rows the server was sent.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const SUITES = 200;

export interface Row {
  key: string;
  title: string;
  suite: string;
  status: 'PASSED' | 'FAILED' | 'SKIPPED';
  durationMs: number;
  message: string | null;
}

/** Case i: its key is `<suite>::<title>`, as the server derives it from a testcase element. */
export function row(i: number): Row {
  const suite = `com.acme.pay.module${i % SUITES}.CheckoutTest`;
  const title = `handles scenario ${i}`;
  const status = i % 50 === 0 ? 'FAILED' : i % 97 === 0 ? 'SKIPPED' : 'PASSED';
  return {
    key: `${suite}::${title}`,
    title,
    suite,
    status,
    durationMs: (i * 7) % 1000,
    message: status === 'FAILED' ? `expected 200 but was 500 (case ${i})` : null,
  };
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** Writes cases 0 … cases-1 as one <testsuites> document of SUITES suites. */
export async function writeReport(file: string, cases: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench" tests="${cases}">\n`);
  for (let s = 0; s < SUITES; s++) {
    await write(`  <testsuite name="com.acme.pay.module${s}.CheckoutTest">\n`);
    for (let i = s; i < cases; i += SUITES) {
      const r = row(i);
      const head = `    <testcase classname="${xmlEscape(r.suite)}" name="${xmlEscape(r.title)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.status === 'FAILED')
        await write(
          `${head}>\n      <failure message="${xmlEscape(r.message!)}" type="AssertionError">at CheckoutTest.java:${i}</failure>\n    </testcase>\n`,
        );
      else if (r.status === 'SKIPPED') await write(`${head}>\n      <skipped/>\n    </testcase>\n`);
      else await write(`${head}/>\n`);
    }
    await write('  </testsuite>\n');
  }
  await write('</testsuites>\n');
  out.end();
  await once(out, 'finish');
}
