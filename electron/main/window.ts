/** The main window's options: every renderer hardening flag in one pure function. */
import type { BrowserWindowConstructorOptions } from 'electron';

export const WINDOW_DEFAULT = { width: 1280, height: 800 } as const;
export const WINDOW_MIN = { width: 900, height: 600 } as const;
export const WINDOW_BACKGROUND = '#111827';

export function getMainWindowOptions(preloadPath: string, options: { devTools?: boolean; icon?: string } = {}): BrowserWindowConstructorOptions {
  const windowOptions: BrowserWindowConstructorOptions = {
    title: 'Envelock',
    width: WINDOW_DEFAULT.width,
    height: WINDOW_DEFAULT.height,
    minWidth: WINDOW_MIN.width,
    minHeight: WINDOW_MIN.height,
    // Shown on 'ready-to-show', so the user never sees an empty white frame.
    show: false,
    backgroundColor: WINDOW_BACKGROUND,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: options.devTools ?? false,
    },
  };
  if (options.icon !== undefined) windowOptions.icon = options.icon;
  return windowOptions;
}
