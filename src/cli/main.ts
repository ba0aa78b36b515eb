// The `shipgate` command line: one file per command under commands/. The CI commands (report, check,
// digest) are also the light @shipgate/cli package (light-main.ts).
import { readFileSync } from 'node:fs';
import { registerServe } from './commands/serve.js';
import { registerMigrate } from './commands/migrate.js';
import { registerProject } from './commands/project.js';
import { registerApiKey } from './commands/apikey.js';
import { registerQuarantine } from './commands/quarantine.js';
import { registerMilestone } from './commands/milestone.js';
import { registerReport } from './commands/report.js';
import { registerCheck } from './commands/check.js';
import { registerDigest } from './commands/digest.js';
import { registerTick } from './commands/tick.js';
import { registerJira } from './commands/jira.js';
import { registerDoctor } from './commands/doctor.js';
import { createProgram, runProgram } from './cli-program.js';
import { loadDotEnv } from './load-dot-env.js';

loadDotEnv();

// This package's version (dist/cli/main.js → package.json), not that of whatever project npm runs in.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = createProgram('Shipgate: go/no-go verdicts for release milestones, in Slack, over a REST API and from CI.', version);

registerServe(program);
registerMigrate(program);
registerProject(program);
registerApiKey(program);
registerQuarantine(program);
registerMilestone(program);
registerTick(program);
registerJira(program);
registerReport(program);
registerCheck(program);
registerDigest(program);
registerDoctor(program);

await runProgram(program);
