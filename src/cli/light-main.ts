// `shipgate` as the light package @shipgate/cli (packages/cli): only the CI commands, `report`, `check`
// and `digest`, which talk to a Shipgate server over HTTP. scripts/bundle-cli.mjs bundles this file and
// what it imports into packages/cli/dist/shipgate.mjs, which installs as one package with no dependency,
// so nothing reachable from here may import the database, the server's configuration, Slack or Jira (the
// bundle script refuses to build when it does). The commands are the full `shipgate`'s own builders.
import { registerCheck } from './commands/check.js';
import { registerDigest } from './commands/digest.js';
import { registerReport } from './commands/report.js';
import { createProgram, runProgram } from './cli-program.js';
import { loadDotEnv } from './load-dot-env.js';

// Replaced by the bundle script with packages/cli/package.json's version.
declare const __SHIPGATE_CLI_VERSION__: string | undefined;
const version = typeof __SHIPGATE_CLI_VERSION__ === 'string' ? __SHIPGATE_CLI_VERSION__ : '0.0.0-unbundled';

loadDotEnv();

const program = createProgram(
  "Shipgate's CI commands: upload test reports, gate a deploy on a milestone's verdict, print the digest. " +
    'They talk to a Shipgate server (SHIPGATE_URL) with a project API key (SHIPGATE_API_KEY).',
  version,
).addHelpText(
  'after',
  '\nThe server and the administration commands (serve, migrate, project, apikey, milestone…)\nare in the full shipgate package.',
);

registerReport(program);
registerCheck(program);
registerDigest(program);

await runProgram(program);
