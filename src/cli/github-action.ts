// The GitHub Action (action.yml at the repository root): uploads test reports to a milestone, optionally
// gates on its verdict, and writes the job summary. GitHub passes the inputs as INPUT_<NAME> environment
// variables (upper-cased, hyphens kept: INPUT_API-KEY). Bundled by scripts/bundle-action.mjs into
// action/dist/index.mjs, so the Action needs no install step: keep this file's imports free of the
// database, the configuration and commander.
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ApiError, createApiClient } from './api-client.js';
import { checkMilestone, parseAllow, type GateAnswer } from './check-milestone.js';
import { formatCheck } from './format-readiness.js';
import { formatJobSummary } from './format-job-summary.js';
import { uploadReports, type ReportResult } from './upload-reports.js';
import { UsageError } from './usage-error.js';

export interface ActionInputs {
  url: string;
  apiKey: string;
  project: string;
  milestone: string;
  environment?: string;
  files: string[];
  allow: string[];
  createMilestone: boolean;
  complete: boolean;
  gate: boolean;
}

/** An input as GitHub sets it: INPUT_ and the name upper-cased, spaces as underscores, hyphens kept. */
export function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** YAML 1.2's core-schema booleans, as GitHub's own toolkit reads them; empty takes the default. */
function booleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (!value) return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(`input ${name} is "${value}"; use true or false`);
}

/** One item per line (files are globs, so commas stay theirs); allow also splits on commas later. */
function listInput(env: NodeJS.ProcessEnv, name: string): string[] {
  return input(env, name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const required = (name: string) => {
    const value = input(env, name);
    if (!value) throw new UsageError(`input ${name} is required`);
    return value;
  };
  const inputs: ActionInputs = {
    url: required('url'),
    apiKey: required('api-key'),
    project: required('project'),
    milestone: required('milestone'),
    environment: input(env, 'environment') || undefined,
    files: listInput(env, 'files'),
    allow: listInput(env, 'allow'),
    createMilestone: booleanInput(env, 'create-milestone', false),
    complete: booleanInput(env, 'complete', true),
    gate: booleanInput(env, 'gate', true),
  };
  if (!inputs.files.length && !inputs.gate) throw new UsageError('nothing to do: give files to upload, or leave gate on');
  return inputs;
}

/** A workflow command's message: GitHub reads % CR LF as its own syntax. */
function commandText(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function error(message: string): void {
  process.stdout.write(`::error title=Shipgate::${commandText(message)}\n`);
}

/** Runs the Action against `env` (process.env in production); resolves with the step's exit code. */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    error(err.message);
    return 1;
  }
  // Secrets are masked already; a key passed another way is not, so mask it too.
  process.stdout.write(`::add-mask::${inputs.apiKey}\n`);
  const api = createApiClient(inputs.url, inputs.apiKey);
  let report: ReportResult | undefined;
  let gate: GateAnswer | undefined;
  let failure: string | undefined;
  let exitCode = 0;
  try {
    const allow = parseAllow(inputs.allow);
    if (inputs.files.length) {
      report = await uploadReports(
        api,
        inputs.files,
        {
          project: inputs.project,
          milestone: inputs.milestone,
          env: inputs.environment,
          complete: inputs.complete,
          createMilestone: inputs.createMilestone,
        },
        (milestone) => `To create milestone "${milestone}", set the input create-milestone: true.`,
      );
      if (report.exitCode !== 0) {
        error(`upload failed: ${report.summary}`);
        exitCode = 1;
      }
    }
    if (inputs.gate) {
      gate = await checkMilestone(api, inputs.project, inputs.milestone, allow);
      process.stdout.write(`${formatCheck(gate.readiness, gate.allowed)}\n`);
      if (!gate.allowed) {
        error(`${inputs.project}/${inputs.milestone} is ${gate.readiness.verdict}: it does not pass this gate`);
        exitCode = 1;
      }
    }
  } catch (err) {
    if (!(err instanceof ApiError || err instanceof UsageError)) throw err;
    failure = err.message;
    error(err.message);
    exitCode = 1;
  }
  const outputs = [
    report?.runId ? `run-id=${report.runId}` : null,
    gate ? `verdict=${gate.readiness.verdict}` : null,
    gate ? `allowed=${gate.allowed}` : null,
  ].filter(Boolean);
  if (env.GITHUB_OUTPUT && outputs.length) appendFileSync(env.GITHUB_OUTPUT, `${outputs.join('\n')}\n`);
  if (env.GITHUB_STEP_SUMMARY) {
    const summary = formatJobSummary({ project: inputs.project, milestone: inputs.milestone, report, gate, error: failure });
    appendFileSync(env.GITHUB_STEP_SUMMARY, `${summary}\n`);
  }
  return exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAction().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      error(`unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    },
  );
}
