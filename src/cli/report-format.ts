// Which report a file holds, told by its content rather than its name: a JSON
// document (first character `{` after a BOM and whitespace) is CTRF, anything
// else is sent as JUnit XML (the server names the problem if it is neither).
import { open } from 'node:fs/promises';

export interface ReportFormat {
  name: 'JUnit' | 'CTRF';
  /** The upload's path under the run. */
  path: 'junit' | 'ctrf';
  contentType: string;
}

const JUNIT: ReportFormat = { name: 'JUnit', path: 'junit', contentType: 'application/xml' };
const CTRF: ReportFormat = { name: 'CTRF', path: 'ctrf', contentType: 'application/json' };

export function formatOfStart(head: string): ReportFormat {
  return head
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? CTRF
    : JUNIT;
}

export async function detectReportFormat(file: string): Promise<ReportFormat> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return formatOfStart(buf.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}
