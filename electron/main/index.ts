/**
 * Electron main: wiring only. One instance, a sandboxed window on app://envelock,
 * the contract on ipcMain, tray, auto-lock and lock-before-quit. All real work is
 * in electron/core (createHandlers); nothing here logs arguments or secrets.
 */
import { join } from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, powerMonitor, protocol, session, shell, type OpenDialogOptions, type Tray } from 'electron';
import { EnvelockError } from '../../shared/errors.js';
import { createHandlers, type AppService } from '../core/app/handlers.js';
import { defaultConfigDir } from '../core/service/config-dir.js';
import { startAutoLock } from './auto-lock.js';
import { createEmitter, registerContract } from './ipc.js';
import { buildAppMenuTemplate, devToolsAllowed } from './menu.js';
import { installPolicies, isAllowedExternalUrl } from './policy.js';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, handleAppProtocol } from './protocol.js';
import { describeQuitProblem, installQuitGuard } from './quit.js';
import { createTray } from './tray.js';
import { getMainWindowOptions } from './window.js';

app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const appRoot = app.getAppPath();
const paths = {
  preload: join(appRoot, 'dist', 'preload', 'index.cjs'),
  renderer: join(appRoot, 'dist', 'renderer'),
  assets: join(appRoot, 'assets'),
};

let mainWindow: BrowserWindow | null = null;
// Held for the app's lifetime: a tray that is garbage-collected disappears.
let tray: Tray | null = null;

function showWindow(): BrowserWindow {
  if (mainWindow === null || mainWindow.isDestroyed()) {
    const options = getMainWindowOptions(paths.preload, { devTools: devToolsAllowed(), icon: join(paths.assets, 'icon.png') });
    // The same options, with the two flags that matter most restated where the
    // window is built: reviewers and Electronegativity read this line, not
    // window.ts. main-index.test.ts asserts the window gets exactly getMainWindowOptions().
    const window = new BrowserWindow({ ...options, webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true } });
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    void window.loadURL(APP_ENTRY_URL);
    mainWindow = window;
    return window;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

async function pickFolder(purpose: 'home' | 'restore'): Promise<string | null> {
  const title = purpose === 'home' ? 'Choose the folder to lock' : 'Choose where to restore';
  const options: OpenDialogOptions = { title, properties: ['openDirectory', 'createDirectory'] };
  const result = mainWindow !== null && !mainWindow.isDestroyed() ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function openDocs(url: string): Promise<void> {
  if (!isAllowedExternalUrl(url)) throw new EnvelockError('INVALID_ARGUMENT', 'That link is not one Envelock opens.');
  await shell.openExternal(url);
}

async function lockAllFromTray(service: AppService): Promise<void> {
  try {
    const result = await service.lockAllRemembered();
    if (result.needPassphrase.length === 0) return;
    const window = showWindow();
    await dialog.showMessageBox(window, {
      type: 'info',
      buttons: ['OK'],
      message: 'Some lockers stay unlocked',
      detail: `These need their passphrase to lock (they were not unlocked in this session):\n\n${result.needPassphrase.map((name) => `• ${name}`).join('\n')}`,
    });
  } catch (error) {
    const window = showWindow();
    await dialog.showMessageBox(window, { type: 'error', buttons: ['OK'], message: 'Lock all failed', detail: error instanceof Error ? error.message : String(error) });
  }
}

function start(): void {
  const service = createHandlers({
    configDir: defaultConfigDir(),
    version: app.getVersion(),
    platform: process.platform,
    pickFolder,
    openDocs,
    emit: createEmitter(() => (mainWindow === null || mainWindow.isDestroyed() ? null : mainWindow.webContents)),
  });

  installQuitGuard({
    app,
    lockAllRemembered: () => service.lockAllRemembered(),
    showWindow: () => void showWindow(),
    // Windows keeps a dead tray icon around until hovered unless it is destroyed.
    beforeExit: () => tray?.destroy(),
    confirmQuit: async (problem) => {
      const { message, detail } = describeQuitProblem(problem);
      const window = showWindow();
      const answer = await dialog.showMessageBox(window, { type: 'warning', buttons: ['Cancel', 'Quit anyway'], defaultId: 0, cancelId: 0, message, detail });
      return answer.response === 1;
    },
  });

  app.on('second-instance', () => void showWindow());
  app.on('activate', () => void showWindow());
  // Closing the window keeps Envelock in the tray, so auto-lock and "Lock all" keep working.
  app.on('window-all-closed', () => undefined);

  void app.whenReady().then(() => {
    if (process.platform === 'win32') app.setAppUserModelId('app.envelock.desktop');
    installPolicies(app, session.defaultSession, shell);
    handleAppProtocol(protocol, paths.renderer);
    registerContract(ipcMain, service);
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildAppMenuTemplate(process.platform, devToolsAllowed())));
    tray = createTray(paths.assets, {
      open: () => void showWindow(),
      lockAll: () => void lockAllFromTray(service),
      quit: () => app.quit(),
    });
    startAutoLock({
      powerMonitor,
      autoLockMinutes: async () => (await service.getSettings({})).autoLockMinutes,
      lockAll: async () => {
        await service.lockAllRemembered();
      },
    });
    showWindow();
  });
}

if (app.requestSingleInstanceLock()) {
  start();
} else {
  // Another Envelock runs: it got a 'second-instance' event and shows its window.
  app.quit();
}
