#!/usr/bin/env node
// Entry point of `npx envelock`: runs the compiled CLI (npm ci builds it via `prepare`).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/electron/cli/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('envelock: the CLI is not built yet.\n  fix: run `npm run build` (npm ci does it for you).\n');
  process.exit(1);
}
const { runCli } = await import(compiled.href);
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
