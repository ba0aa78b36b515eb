#!/bin/sh
# The production install, in the two steps the Dockerfile runs and test/e2e/production-install.test.ts
# runs for real (that test reads them from the Dockerfile, so the two cannot drift apart):
#
#   sh scripts/production-install.sh pack <out>          in a clone with every dependency installed
#                                                        (npm ci): builds dist/ unless it is current,
#                                                        packs it, and puts the tarball and the
#                                                        lockfile in <out>
#   sh scripts/production-install.sh install <out> <app> anywhere with Node and npm: unpacks the
#                                                        tarball into <app> and installs the runtime
#                                                        dependencies only, at the locked versions
#
# Then `node <app>/bin/shipgate.js serve` (or `npx shipgate serve` in <app>) starts the server.
#
# Why `npm install --omit=dev` without devDependencies rather than `npm ci --omit=dev`: @prisma/client
# declares the Prisma CLI (and TypeScript) as optional peers, so npm marks them "devOptional" and
# `--omit=dev` keeps them: `npm ci --omit=dev` installs 411 packages (461 MB, with the Prisma CLI's
# engine download) where the server needs 291 (about 200 MB). Deleting devDependencies from the
# unpacked package.json leaves those peers unrequested; the lockfile still pins every version.
#
# better-sqlite3 is native: its install downloads a prebuilt binary when it can, and otherwise
# compiles (python3, make and a C++ compiler needed; the node:*-bookworm images have them).
set -eu

usage() {
  echo "usage: sh scripts/production-install.sh pack <out-dir> | install <out-dir> <app-dir>" >&2
  exit 2
}

[ $# -ge 1 ] || usage
step=$1
shift

case "$step" in
pack)
  [ $# -eq 1 ] || usage
  mkdir -p "$1"
  out=$(cd "$1" && pwd)
  cd "$(dirname "$0")/.."
  # prepack builds dist/ when the sources changed since the last build (scripts/build-stamp.mjs).
  npm pack --pack-destination "$out" --no-audit --no-fund
  cp package-lock.json "$out/package-lock.json"
  ;;
install)
  [ $# -eq 2 ] || usage
  out=$1
  app=$2
  set -- "$out"/shipgate-*.tgz
  if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "production-install: expected exactly one shipgate-*.tgz in $out (from the pack step)" >&2
    exit 1
  fi
  mkdir -p "$app"
  tar -xzf "$1" -C "$app" --strip-components=1
  cp "$out/package-lock.json" "$app/package-lock.json"
  cd "$app"
  npm pkg delete devDependencies
  npm install --omit=dev --prefer-offline --no-audit --no-fund
  node bin/shipgate.js --version
  ;;
*)
  usage
  ;;
esac
