#!/usr/bin/env node
// The `shipgate` command. The TypeScript sources are compiled to dist/ by
// `npm run build` (which `npm start` and `npm test` run first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('shipgate: not built yet. Run `npm run build` (or `npm start`, which builds first).');
  process.exit(2);
}
await import(entry.href);
