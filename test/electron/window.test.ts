/** The main window's hardening flags: each one asserted, so dropping one fails here. */
import { describe, expect, it } from 'vitest';
import { WINDOW_MIN, getMainWindowOptions } from '../../electron/main/window.js';

describe('getMainWindowOptions', () => {
  const options = getMainWindowOptions('/app/dist/preload/index.cjs');
  const web = options.webPreferences ?? {};

  it('isolates and sandboxes the renderer with no Node anywhere', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and experimental surfaces off', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web).not.toHaveProperty('enableBlinkFeatures');
    expect(web.webviewTag).toBe(false);
    expect(web.spellcheck).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web.safeDialogs).toBe(true);
  });

  it('uses the bundled preload and no devtools unless asked', () => {
    expect(web.preload).toBe('/app/dist/preload/index.cjs');
    expect(web.devTools).toBe(false);
    expect(getMainWindowOptions('/p.cjs', { devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('stays hidden until ready-to-show, with a sensible size and title', () => {
    expect(options.show).toBe(false);
    expect(options.title).toBe('Envelock');
    expect(options.width).toBe(1280);
    expect(options.height).toBe(800);
    expect(options.minWidth).toBe(WINDOW_MIN.width);
    expect(options.minHeight).toBe(WINDOW_MIN.height);
    expect(WINDOW_MIN).toEqual({ width: 900, height: 600 });
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });
});
