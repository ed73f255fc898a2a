#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the `prepare` script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('ssot: dist/cli.js is missing; run `npm install` (or `npm run build`) in the ssot-kit folder first.\n');
  process.exit(2);
}
await import(cli.href);
