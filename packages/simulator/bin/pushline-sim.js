#!/usr/bin/env node
// A committed entry point, so npm links `pushline-sim` at install time; the CLI itself is built into dist/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('pushline-sim is not built yet: run `npm run build` in the repository root\n');
  process.exit(1);
}
await import(cli.href);
