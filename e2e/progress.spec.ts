/**
 * A 300 MB lock shows live progress: the progressbar's value moves forward
 * while the engine seals, not only at the end; and its Stop button stops it
 * with every file still in the home.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PASSPHRASE } from '../test/helpers.js';
import { expect, screenshot, skipIfNoChromium, test } from './fixtures.js';
import { button, createLocker, messages, progressBar, SLOW } from './flows.js';

skipIfNoChromium();

const MiB = 1024 * 1024;
/** Chunks are at least 512 KiB, so a counter this often makes every chunk unique (nothing dedupes). */
const COUNTER_EVERY = 64 * 1024;

/** Writes `files` files of `mib` MiB each: one random MiB reused, stamped with a running counter. */
function writeIncompressibleFolder(folder: string, files: number, mib: number): void {
  mkdirSync(folder, { recursive: true });
  const block = randomBytes(MiB);
  let counter = 0;
  for (let f = 0; f < files; f++) {
    const fd = openSync(join(folder, `data-${f}.bin`), 'w');
    try {
      for (let m = 0; m < mib; m++) {
        for (let at = 0; at < MiB; at += COUNTER_EVERY) block.writeUInt32LE(counter++, at);
        writeSync(fd, block);
      }
    } finally {
      closeSync(fd);
    }
  }
}

test('locking 300 MB moves the progressbar forward while it runs', async ({ page, workDir }) => {
  const home = join(workDir, 'Big');
  writeIncompressibleFolder(home, 3, 100);
  await createLocker(page, { folder: home, passphrase: PASSPHRASE });

  await button(page, 'Lock Big').click();
  const finished = button(page, 'Unlock Big');
  const region = page.getByRole('region', { name: 'Locking Big' });
  let regionSeen = false;
  const values: number[] = [];
  let forwardSteps = 0;
  // Poll from here rather than wait for the end: the bar exists only while the lock runs.
  while (!(await finished.isVisible())) {
    const value = await progressBar(page)
      .evaluate((bar) => (bar as unknown as { value: number }).value, undefined, { timeout: 50 })
      .catch(() => undefined);
    if (value === undefined) continue;
    regionSeen ||= await region.isVisible();
    const last = values.at(-1);
    if (last !== undefined && value > last) forwardSteps++;
    if (value !== last) values.push(value);
  }

  test.info().annotations.push({ type: 'progress values', description: values.join(', ') });
  expect(forwardSteps, `progress values seen: ${values.join(', ')}`).toBeGreaterThanOrEqual(2);
  expect(regionSeen, 'a region named "Locking Big" holds the progressbar').toBe(true);
  expect(readdirSync(home)).toEqual([]);
});

test('Stop during a 300 MB lock stops it where nothing is lost', async ({ page, workDir }) => {
  const home = join(workDir, 'Stoppable');
  writeIncompressibleFolder(home, 3, 100);
  const before = readdirSync(home).map((name) => [name, statSync(join(home, name)).size]);
  await createLocker(page, { folder: home, passphrase: PASSPHRASE });

  await button(page, 'Lock Stoppable').click();
  const region = page.getByRole('region', { name: 'Locking Stoppable' });
  const stop = button(region, 'Stop');
  await stop.waitFor();
  await screenshot(page, 'progress-lock');
  await stop.click();
  await expect(messages(page)).toContainText('Cancelled:', { timeout: SLOW });
  await expect(button(page, 'Lock Stoppable')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(readdirSync(home).map((name) => [name, statSync(join(home, name)).size])).toEqual(before);
});
