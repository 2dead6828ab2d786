#!/usr/bin/env node
// Entry point of `npx envelock`: runs the compiled CLI (npm ci builds it via `prepare`).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/electron/cli/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('envelock: the CLI is not built yet.\n  fix: run `npm run build` (npm ci does it for you).\n');
  process.exit(1);
}
const { runCli } = await import(compiled.href);
// First Ctrl-C: stop at the next point where nothing is lost (exit 130). Second: stop at
// once, as a crash would; the next command finishes or rolls back what was interrupted.
const cancel = new AbortController();
process.on('SIGINT', () => {
  if (cancel.signal.aborted) process.exit(130);
  cancel.abort();
  process.stderr.write('\nenvelock: stopping where nothing is lost... (Ctrl-C again stops at once; the next command then finishes the job)\n');
});
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: cancel.signal });
