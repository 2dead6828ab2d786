/**
 * The renderer's Content-Security-Policy holds in a real browser: injected
 * inline script and script from another origin never run. The harness sends
 * the policy of renderer/index.html as a header, as the app:// protocol does.
 */
import type { Page } from '@playwright/test';
import { expect, skipIfNoChromium, test } from './fixtures.js';
import { heading1 } from './flows.js';

skipIfNoChromium();

interface PageState {
  __injected?: number;
  __otherOrigin?: number;
  __violations: string[];
}

/** Adds a <script> to the page and reports what the CSP did with it. */
function injectScript(script: { inline?: string; src?: string }): Promise<void> {
  const doc = (globalThis as unknown as { document: { createElement(tag: string): Record<string, unknown>; head: { append(node: unknown): void } } }).document;
  const element = doc.createElement('script');
  if (script.inline !== undefined) element.textContent = script.inline;
  if (script.src !== undefined) element.src = script.src;
  doc.head.append(element);
  // Violations are reported asynchronously; give the event loop a turn.
  return new Promise((done) => setTimeout(done, 200));
}

test.beforeEach(async ({ page }) => {
  await expect(heading1(page)).toHaveText('Lockers');
  await page.evaluate(() => {
    const state = globalThis as unknown as PageState & { addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void };
    state.__violations = [];
    state.addEventListener('securitypolicyviolation', (event) => state.__violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
});

const pageState = (page: Page): Promise<PageState> =>
  page.evaluate(() => {
    const state = globalThis as unknown as PageState;
    return { __injected: state.__injected, __otherOrigin: state.__otherOrigin, __violations: state.__violations } as PageState;
  });

test('an injected inline script is blocked', async ({ page }) => {
  await page.evaluate(injectScript, { inline: 'window.__injected = 1;' });
  const state = await pageState(page);
  expect(state.__injected).toBeUndefined();
  expect(state.__violations.some((v) => v.startsWith('script-src'))).toBe(true);
});

test('a script from another origin is blocked', async ({ page, harness }) => {
  // localhost is another origin than 127.0.0.1, yet the same harness: the script would run if allowed.
  const otherOrigin = new URL('/test/other-origin.js', harness.url.replace('127.0.0.1', 'localhost')).href;
  await page.evaluate(injectScript, { src: otherOrigin });
  const state = await pageState(page);
  expect(state.__otherOrigin).toBeUndefined();
  expect(state.__violations).toContainEqual(expect.stringContaining(otherOrigin));
});
