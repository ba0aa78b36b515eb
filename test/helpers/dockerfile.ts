// Reads the repository's Dockerfile into stages and instructions, so tests can run its steps and hold
// it to its promises without a Docker engine (none runs on the machines Shipgate is developed on).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DOCKERFILE = fileURLToPath(new URL('../../Dockerfile', import.meta.url));
export const PRODUCTION_INSTALL_SCRIPT = 'scripts/production-install.sh';

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string;
}

export interface Stage {
  /** The image as written after FROM, e.g. `${NODE_IMAGE}-slim`. */
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Global ARG defaults (those before the first FROM). */
  args: Record<string, string>;
  stages: Stage[];
}

export function readDockerfile(text = readFileSync(DOCKERFILE, 'utf8')): Dockerfile {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (pending && line.startsWith('#')) continue; // comments inside a continued instruction
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1).trim() + ' ';
      continue;
    }
    logical.push((pending + line).trim());
    pending = '';
  }
  if (pending) logical.push(pending.trim());

  const result: Dockerfile = { args: {}, stages: [] };
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/s.exec(line)!;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile: cannot read FROM ${args}`);
      result.stages.push({ from: from[1]!, name: from[2], instructions: [] });
    } else if (result.stages.length === 0) {
      if (keyword !== 'ARG') throw new Error(`Dockerfile: ${keyword} before the first FROM`);
      const [name, value = ''] = args.split('=');
      result.args[name!] = value;
    } else {
      result.stages.at(-1)!.instructions.push({ keyword, args });
    }
  }
  return result;
}

/** A stage's FROM with the global ARG defaults substituted. */
export function baseImage(file: Dockerfile, stage: Stage): string {
  return stage.from.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => file.args[(a ?? b)!] ?? '');
}

/** The arguments of each `RUN sh scripts/production-install.sh …`, in file order. */
export function productionInstallSteps(file: Dockerfile): string[][] {
  const prefix = `sh ${PRODUCTION_INSTALL_SCRIPT} `;
  return file.stages
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'RUN' && i.args.startsWith(prefix))
    .map((i) => i.args.slice(prefix.length).trim().split(/\s+/));
}

/** The exec form (JSON array) of a CMD, or of a HEALTHCHECK's CMD after its options. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((a): a is string => typeof a === 'string')) {
    throw new Error(`not an exec form: ${args}`);
  }
  return parsed;
}

export function finalStage(file: Dockerfile): Stage {
  const last = file.stages.at(-1);
  if (!last) throw new Error('Dockerfile: no FROM');
  return last;
}

export function instructionsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}
