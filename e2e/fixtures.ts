/**
 * The browser specs' fixtures: each test gets its own harness (real handlers on
 * a fresh config folder, in a child process), a temp work folder for the
 * folders it locks, and a page with the bridge injected, opened at the app.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { cleanupTempDirs, ROOT, tempDir } from '../test/helpers.js';
import { CHROMIUM_PATH } from './chromium.js';
import { BRIDGE_NAMES, installBridge } from './harness/bridge.js';
import { startHarness, type Harness } from './harness/server.js';

export { expect } from '@playwright/test';

interface E2eFixtures {
  harness: Harness;
  /** A fresh folder for the homes, restore targets and other files a test makes. */
  workDir: string;
  /** Removes this test's temp folders after every other fixture closed. */
  tempDirCleanup: void;
}

export const test = base.extend<E2eFixtures>({
  tempDirCleanup: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => {
      await use();
      cleanupTempDirs();
    },
    { auto: true },
  ],
  harness: async ({ tempDirCleanup: _cleanup }, use) => {
    const harness = await startHarness();
    await use(harness);
    await harness.close();
  },
  workDir: async ({ tempDirCleanup: _cleanup }, use) => {
    await use(tempDir('envelock-e2e-work-'));
  },
  page: async ({ page, harness }, use) => {
    await page.addInitScript(installBridge, BRIDGE_NAMES);
    await page.goto(harness.url);
    await use(page);
  },
});

/** Skips the calling spec file when the browser is missing, instead of failing at launch. */
export function skipIfNoChromium(): void {
  test.skip(!existsSync(CHROMIUM_PATH), 'Chromium not installed: apt-get install chromium');
}

const SCREENSHOT_DIR = join(ROOT, 'e2e', 'screenshots');

/** Saves e2e/screenshots/<name>-<width>x<height>.png (git-ignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const size = page.viewportSize();
  const path = join(SCREENSHOT_DIR, `${name}-${size?.width ?? 0}x${size?.height ?? 0}.png`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}
