/**
 * axe-core on every main screen, in the light and the dark theme: no
 * violation of serious or critical impact. All violations are printed.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, skipIfNoChromium, test } from './fixtures.js';
import { tourMainScreens } from './tour.js';

skipIfNoChromium();

const BLOCKING = new Set(['serious', 'critical']);

/**
 * @axe-core/playwright brings its own playwright-core (1.65.2) next to the one
 * of @playwright/test (1.65.1): the Page types differ only in name, so cast.
 */
type AxePage = ConstructorParameters<typeof AxeBuilder>[0]['page'];

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every main screen passes axe in the ${colorScheme} theme`, async ({ page, workDir }) => {
    await page.emulateMedia({ colorScheme });
    const found: string[] = [];
    let blocking = 0;
    await tourMainScreens(page, workDir, async (screen) => {
      const { violations } = await new AxeBuilder({ page: page as unknown as AxePage }).analyze();
      for (const violation of violations) {
        if (BLOCKING.has(violation.impact ?? '')) blocking++;
        const where = violation.nodes.map((node) => `      ${node.target.join(' ')}: ${node.failureSummary ?? ''}`.replace(/\n/g, ' ')).join('\n');
        found.push(`[${screen}] ${violation.impact ?? 'unknown'} ${violation.id}: ${violation.help} (${violation.helpUrl})\n${where}`);
      }
    });
    expect(blocking, `axe violations (${colorScheme}):\n${found.join('\n')}`).toBe(0);
  });
}
