// Progress of `shipgate report` on stderr: a line redrawn in place on a
// terminal, one plain line per finished file otherwise (CI logs stay readable).
import { basename } from 'node:path';

export interface UploadProgress {
  start(index: number, file: string, size: number): void;
  bytes(sent: number): void;
  done(summary: string): void;
  failed(message: string): void;
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function uploadProgress(total: number, out: NodeJS.WriteStream = process.stderr): UploadProgress {
  const tty = Boolean(out.isTTY);
  let label = '';
  let size = 0;
  let lastDraw = 0;
  const clear = () => tty && out.write('\r\x1b[2K');
  return {
    start(index, file, bytes) {
      label = `[${index + 1}/${total}] ${basename(file)}`;
      size = bytes;
      if (tty) {
        clear();
        out.write(`${label} (${mb(size)}) uploading…`);
      }
    },
    bytes(sent) {
      const now = Date.now();
      if (!tty || now - lastDraw < 100) return;
      lastDraw = now;
      clear();
      const pct = size ? Math.min(100, Math.floor((sent * 100) / size)) : 100;
      out.write(`${label} ${pct}% of ${mb(size)}${pct === 100 ? ', waiting for the server…' : ''}`);
    },
    done(summary) {
      clear();
      out.write(`${label}: ${summary}\n`);
    },
    failed(message) {
      clear();
      out.write(`${label}: FAILED — ${message}\n`);
    },
  };
}
