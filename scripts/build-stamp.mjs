#!/usr/bin/env node
// Lets `npm start` build only when it must. `npm run build` ends with `write`, which records a hash
// of everything the build reads in dist/.build-inputs; `ensure` (npm's prestart, and the pack step of
// scripts/production-install.sh) builds only when that hash no longer matches the sources. A fresh
// clone therefore builds on its first start and starts at once after; an installed package (no src/,
// no TypeScript, no Prisma CLI: the dev dependencies are not there) just checks dist/ is present.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'dist', '.build-inputs');
const entry = join(root, 'dist', 'cli', 'main.js');
// What the build reads: the TypeScript sources (not the generated client, which is made from the
// model), the model and its generator, the compiler settings, and the locked tool versions.
const inputs = ['src', 'prisma/models.prisma', 'scripts/generate-prisma.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const skip = new Set(['src/db/generated']);

/** The files under `rel` (itself if it is a file), sorted, as paths relative to the root. */
function files(rel) {
  const abs = join(root, rel);
  if (skip.has(rel) || !existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs)
    .sort()
    .flatMap((name) => files(`${rel}/${name}`));
}

export function inputsHash() {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(files))
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

function canBuild() {
  return ['typescript', 'prisma'].every((name) => existsSync(join(root, 'node_modules', name, 'package.json')));
}

function ensure() {
  if (!existsSync(join(root, 'src'))) {
    // An installed package: it ships dist/ and nothing to build it from.
    if (existsSync(entry)) return 0;
    console.error(`shipgate: ${relative(process.cwd(), entry) || entry} is missing and there are no sources to build it from.`);
    return 1;
  }
  const recorded = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (recorded && recorded === inputsHash() && existsSync(entry)) return 0;
  if (!canBuild()) {
    console.error(
      'shipgate: dist/ was not built from these sources, and building needs the dev dependencies (TypeScript, the Prisma CLI). ' +
        'Run `npm ci && npm run build`, then install for production (see README "Production install").',
    );
    return 1;
  }
  console.log(recorded ? 'shipgate: sources changed since the last build; building.' : 'shipgate: not built yet; building.');
  const npm = process.env.npm_execpath;
  const run = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  return run.status ?? 1;
}

function write() {
  writeFileSync(stampFile, `${inputsHash()}\n`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'ensure') process.exit(ensure());
  else if (command === 'write') process.exit(write());
  else {
    console.error('usage: node scripts/build-stamp.mjs ensure|write');
    process.exit(2);
  }
}
