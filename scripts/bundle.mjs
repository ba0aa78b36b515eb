// What scripts/bundle-action.mjs (the GitHub Action) and scripts/bundle-cli.mjs (the light @shipgate/cli)
// share: esbuild bundles an entry of src/cli/ and the npm packages it uses into one ESM file for Node, and
// each bundle is checked and written (or, with --check, compared with the committed files).
//
// The checks, which fail the build rather than ship a bundle that would break or drag the server along:
//   - nothing of the server is bundled: no database, configuration, Slack, Jira, services or their npm
//     packages (Prisma, better-sqlite3, pg, Bolt…), see SERVER_ONLY;
//   - every import left outside the bundle is one of Node's own modules, so the file runs with no
//     node_modules at all;
//   - every bundled npm package has a licence file, copied into a notices file beside the bundle (MIT and
//     its kin ask for the notice to travel with every copy; the packages carry no @license comments for
//     esbuild's legalComments to keep).
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Inputs a bundle for CI must never contain: the server's own code and its drivers. */
export const SERVER_ONLY = [
  /^src\/(db|slack|api|jobs|jira|services|notify|http|charts)\//,
  /^src\/(config|main|app-deps|logger)\.ts$/,
  /(^|\/)node_modules\/(@prisma|prisma|better-sqlite3|pg|pg-[^/]+|@slack|express|jira\.js|pino|node-cron|@resvg|vega[^/]*|zod)\//,
];

/**
 * Bundles `entry` (relative to the repository) into one ESM file; `notFor` names the bundle in messages.
 * Resolves with the file's text, the bundled inputs and the third-party notices text.
 */
export async function bundle({ entry, outfile, banner, define = {}, notFor }) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    write: false,
    outfile,
    legalComments: 'eof',
    banner: { js: banner },
    define,
    // A native module is read as nothing so that the check below, not esbuild, refuses it, naming who imports it.
    loader: { '.node': 'empty' },
    logLevel: 'warning',
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const serverOnly = (input) => SERVER_ONLY.some((re) => re.test(input)) || /\.node$/.test(input);
  const problems = new Set();
  // Named where the bundle crosses into server code: the import that pulled it in, once per edge.
  for (const [from, { imports }] of Object.entries(result.metafile.inputs)) {
    if (serverOnly(from)) continue;
    for (const { path } of imports) {
      if (serverOnly(path)) problems.add(`${from} imports ${path}: ${notFor} must carry no server code, database driver or native module`);
    }
  }
  if (inputs.some(serverOnly) && !problems.size) problems.add(`it bundles ${inputs.filter(serverOnly).join(', ')}`);
  const builtins = new Set(builtinModules);
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      const name = imported.path.replace(/^node:/, '');
      if (!builtins.has(name) && !builtins.has(name.split('/')[0])) {
        problems.add(`it imports ${imported.path} at run time, which is not one of Node's modules and would need installing`);
      }
    }
  }
  const packages = bundledPackages(inputs);
  for (const p of packages) if (!p.licenceFile) problems.add(`${p.name} ${p.version} has no licence file to copy into the notices`);
  if (problems.size) throw new Error(`${relative(ROOT, outfile)} from ${entry}:\n  - ${[...problems].join('\n  - ')}`);
  return { text: result.outputFiles[0].text, inputs, packages, notices: notices(relative(dirname(outfile), outfile), packages) };
}

/** The npm packages whose files are among the inputs (the innermost node_modules folder of each path). */
function bundledPackages(inputs) {
  const roots = new Set();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) roots.add(m[1]);
  }
  return [...roots].sort().map((root) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, root, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(join(ROOT, root)).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    return {
      name: pkg.name,
      version: pkg.version,
      license: pkg.license ?? 'see the licence text',
      homepage: pkg.homepage ?? null,
      licenceFile: licenceFile ? join(root, licenceFile) : null,
    };
  });
}

function notices(bundleName, packages) {
  const parts = [
    '# Third-party notices',
    '',
    `\`${bundleName}\` is generated from Shipgate's sources and bundles the npm packages below. Each is used under`,
    'its licence, whose text follows.',
  ];
  for (const p of packages) {
    parts.push('', `## ${p.name} ${p.version} (${p.license})`, '');
    if (p.homepage) parts.push(p.homepage, '');
    parts.push('```text', readFileSync(join(ROOT, p.licenceFile), 'utf8').trimEnd(), '```');
  }
  return `${parts.join('\n')}\n`;
}

/**
 * Writes each file, or with --check compares it with what is on disk and exits 1 naming the stale ones.
 * `files` is [{ path (absolute), text }]; `command` is what rewrites them.
 */
export function writeOrCheck(files, { command, summary }) {
  const check = process.argv.includes('--check');
  const stale = files.filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.text).map((f) => relative(ROOT, f.path));
  if (check) {
    if (stale.length) {
      console.error(`${stale.join(', ')} ${stale.length === 1 ? 'is' : 'are'} out of date: run \`${command}\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${files.map((f) => relative(ROOT, f.path)).join(', ')}: current.`);
    return;
  }
  for (const f of files) writeFileSync(f.path, f.text);
  console.log(summary);
}

/** Runs a bundle script's main part: a refused bundle prints its reasons (not a stack trace) and exits 1. */
export async function runScript(main) {
  try {
    await main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
