/**
 * The real shell: Electron's main, preload and the built renderer, launched
 * by Playwright. Only machines with the Electron binary can run it (ours
 * install with ELECTRON_SKIP_BINARY_DOWNLOAD, see shared/TEST-INFRA.md), so it
 * skips with a reason elsewhere. The native folder dialog cannot be driven:
 * the "Folder to lock" text field is used instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron as electron } from '@playwright/test';
import { makeRichTree, PASSPHRASE, ROOT, snapshotTree, tempDir } from '../test/helpers.js';
import { expect, test } from './fixtures.js';
import { createLocker, heading1, lockFromList, unlockFromList } from './flows.js';

/** The binary require('electron') names (what _electron.launch starts), or null when it was never downloaded. */
function electronBinary(): string | null {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
test.skip(binary === null, 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD): skipping the real-shell launch test');

test('the app launches, creates, locks and unlocks a locker', async ({ workDir }) => {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  env.ENVELOCK_CONFIG_DIR = tempDir('envelock-e2e-electron-config-');

  const app = await electron.launch({ args: ['.'], cwd: ROOT, env });
  try {
    const window = await app.firstWindow();
    await expect(heading1(window)).toHaveText('Lockers');

    const home = join(workDir, 'Documents');
    makeRichTree(home);
    const original = snapshotTree(home);
    const recoveryKey = await createLocker(window, { folder: home, passphrase: PASSPHRASE });
    expect(recoveryKey).toMatch(/^ELK-/);

    await lockFromList(window, 'Documents', PASSPHRASE);
    expect(readdirSync(home)).toEqual([]);
    await unlockFromList(window, 'Documents', PASSPHRASE);
    expect(snapshotTree(home)).toEqual(original);
  } finally {
    await app.close();
  }
});
