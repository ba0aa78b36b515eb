// Runs a CLI command against the REST API: builds the client from the
// environment and turns every failure into one line on stderr and an exit
// code (2 for setup, network and server errors unless the command says otherwise).
import { configOrExit, EXIT_USAGE } from './run-command.js';
import { ApiError, apiClientFromConfig, CliSetupError, type ApiClient } from './api-client.js';
import { UsageError } from './usage-error.js';

export async function withApi(fn: (api: ApiClient) => Promise<number>, errorExit = EXIT_USAGE): Promise<void> {
  const config = configOrExit();
  try {
    const api = apiClientFromConfig(config.cli);
    process.exitCode = await fn(api);
  } catch (err) {
    if (err instanceof CliSetupError) {
      process.stderr.write(`shipgate: ${err.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (err instanceof ApiError || err instanceof UsageError) {
      process.stderr.write(`shipgate: ${err.message}\n`);
      process.exitCode = err instanceof UsageError ? EXIT_USAGE : errorExit;
    } else {
      throw err;
    }
  }
}
