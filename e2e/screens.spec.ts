/**
 * Screenshots of every main screen at a desktop and a small window size, for
 * a person to look at (e2e/screenshots/, git-ignored), and a check that no
 * screen scrolls sideways.
 */
import { expect, screenshot, skipIfNoChromium, test } from './fixtures.js';
import { tourMainScreens } from './tour.js';

skipIfNoChromium();

const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 },
];

for (const size of SIZES) {
  test(`main screens at ${size.width}x${size.height} fit without horizontal scrolling`, async ({ page, workDir }) => {
    await page.setViewportSize(size);
    const overflowing: string[] = [];
    await tourMainScreens(page, workDir, async (screen) => {
      await screenshot(page, screen);
      const { scrollWidth, clientWidth } = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
      });
      if (scrollWidth > clientWidth) overflowing.push(`${screen}: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}`);
    });
    expect(overflowing, 'screens that scroll sideways').toEqual([]);
  });
}
