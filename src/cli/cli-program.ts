// The commander program both `shipgate` binaries start from: the full one (main.ts: the server, the
// administration and the CI commands) and the light @shipgate/cli (light-main.ts: the CI commands only).
// The commands themselves are registered by the same builders under commands/, so an option, its help
// and its exit codes are the same in both.
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';

export function createProgram(description: string, version: string): Command {
  return new Command('shipgate').description(description).version(version).showHelpAfterError('(run with --help for usage)').exitOverride();
}

export async function runProgram(program: Command, argv: readonly string[] = process.argv): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors have been printed already.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
    } else {
      throw err;
    }
  }
}
