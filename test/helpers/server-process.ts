// Starts `shipgate serve` as a real process on a free port and stops it with a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, cleanEnv } from './run-cli.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  logs(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServerCommand {
  /** Program and arguments; the built clone's `node bin/shipgate.js serve` unless given. */
  argv?: string[];
  cwd?: string;
}

export function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 20_000,
  { argv = [process.execPath, BIN, 'serve'], cwd }: ServerCommand = {},
): Promise<ServerProcess> {
  const [program, ...args] = argv;
  const child = spawn(program!, args, {
    cwd,
    env: { ...cleanEnv(), PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*Shipgate listening/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${match[1]}`,
          child,
          logs: () => output,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
}
