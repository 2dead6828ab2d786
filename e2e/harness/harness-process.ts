/**
 * Child-process entry of the harness (started by startHarness with tsx):
 * `harness-process.ts <configDir>` prints `{"url": …}` on one line once it
 * listens, and exits when its stdin closes, so it never outlives the test.
 */
import { serveHarness } from './server.js';

const configDir = process.argv[2];
if (configDir === undefined) throw new Error('usage: harness-process.ts <configDir>');

const server = await serveHarness(configDir);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
