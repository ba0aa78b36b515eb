// The `shipgate` command line: one file per command under commands/.
import { Command, CommanderError } from 'commander';
import { registerServe } from './commands/serve.js';
import { registerMigrate } from './commands/migrate.js';
import { registerProject } from './commands/project.js';
import { registerApiKey } from './commands/apikey.js';
import { registerMilestone } from './commands/milestone.js';
import { registerReport } from './commands/report.js';
import { registerCheck } from './commands/check.js';
import { registerDigest } from './commands/digest.js';
import { registerTick } from './commands/tick.js';
import { registerJira } from './commands/jira.js';
import { registerDoctor } from './commands/doctor.js';
import { loadDotEnv } from './load-dot-env.js';

loadDotEnv();

const program = new Command('shipgate')
  .description('Shipgate: go/no-go verdicts for release milestones, in Slack, over a REST API and from CI.')
  .version(process.env.npm_package_version ?? '0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerServe(program);
registerMigrate(program);
registerProject(program);
registerApiKey(program);
registerMilestone(program);
registerTick(program);
registerJira(program);
registerReport(program);
registerCheck(program);
registerDigest(program);
registerDoctor(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit 0; usage errors have been printed already.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    throw err;
  }
}
