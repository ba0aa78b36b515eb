// Runs a CLI command against the REST API: builds the client from SHIPGATE_URL and SHIPGATE_API_KEY and
// turns every failure into one line on stderr and an exit code (2 for setup, network and server errors
// unless the command says otherwise). Nothing of the server's configuration or database is imported here:
// the light @shipgate/cli bundle is built from the commands that use this.
import { ApiError, CliSetupError, type ApiClient } from './api-client.js';
import { apiClientFromEnv } from './api-settings.js';
import { EXIT_USAGE } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export async function withApi(fn: (api: ApiClient) => Promise<number>, errorExit = EXIT_USAGE): Promise<void> {
  try {
    const api = apiClientFromEnv(process.env);
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
