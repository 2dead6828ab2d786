/**
 * Browser and Electron end-to-end specs (e2e/). No webServer: every test starts
 * its own harness (e2e/harness) on a fresh config folder. Timeouts are generous:
 * every passphrase check costs ~0.6 s of Argon2id, creating a locker calibrates
 * it first, and progress.spec locks 300 MB.
 */
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium.js';

export default defineConfig({
  testDir: 'e2e',
  // Two cores: two workers, each with a Chromium and a harness process running the engine.
  workers: 2,
  fullyParallel: false,
  forbidOnly: process.env.CI !== undefined,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results/playwright',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 30_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
      },
    },
  ],
});
