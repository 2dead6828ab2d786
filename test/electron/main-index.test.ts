/**
 * electron/main/index.ts wired against a mocked 'electron': sandbox and scheme before
 * ready, then policies, app:// handler, exactly the contract on ipcMain (backed by the
 * real handler table on a temp config dir), the hardened window on app://envelock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DOCS_URLS } from '../../electron/core/app/handlers.js';
import { APP_SCHEME_PRIVILEGES } from '../../electron/main/protocol.js';
import { getMainWindowOptions } from '../../electron/main/window.js';
import { CHANNELS, ipcChannel, type IpcResult } from '../../shared/ipc/contract.js';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const appListeners = new Map<string, Array<(...args: unknown[]) => unknown>>();
  const handlers = new Map<string, (event: unknown, args: unknown) => Promise<unknown>>();
  const windows: Array<{ options: unknown; loadURL: ReturnType<typeof vi.fn>; once: ReturnType<typeof vi.fn> }> = [];
  const state = { singleInstance: true };
  const app = {
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => state.singleInstance),
    quit: vi.fn(),
    exit: vi.fn(),
    getAppPath: vi.fn(() => '/opt/envelock/resources/app.asar'),
    getVersion: vi.fn(() => '0.1.0'),
    whenReady: vi.fn(() => Promise.resolve()),
    setAppUserModelId: vi.fn(),
    on: vi.fn((name: string, listener: (...args: unknown[]) => unknown) => {
      appListeners.set(name, [...(appListeners.get(name) ?? []), listener]);
      return app;
    }),
  };
  class BrowserWindow {
    readonly options: unknown;
    readonly loadURL = vi.fn(async () => undefined);
    readonly once = vi.fn();
    readonly on = vi.fn();
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly isDestroyed = vi.fn(() => false);
    readonly isMinimized = vi.fn(() => false);
    readonly webContents = { send: vi.fn(), isDestroyed: () => false };
    constructor(options: unknown) {
      this.options = options;
      windows.push(this);
    }
  }
  class Tray {
    setToolTip = vi.fn();
    setContextMenu = vi.fn();
    on = vi.fn();
    destroy = vi.fn();
  }
  const electron = {
    app,
    BrowserWindow,
    Tray,
    Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
    nativeImage: { createFromPath: vi.fn(() => ({ setTemplateImage: vi.fn() })) },
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/home/me/Documents'] })), showMessageBox: vi.fn(async () => ({ response: 0 })) },
    ipcMain: { handle: vi.fn((channel: string, listener: (event: unknown, args: unknown) => Promise<unknown>) => void handlers.set(channel, listener)) },
    powerMonitor: { getSystemIdleTime: vi.fn(() => 0), on: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
    shell: { openExternal: vi.fn(async () => undefined) },
  };
  return { electron, app, appListeners, handlers, windows, state };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const configDir = mkdtempSync(join(tmpdir(), 'envelock-main-'));
process.env.ENVELOCK_CONFIG_DIR = configDir;
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

const TRUSTED = { senderFrame: { url: 'app://envelock/index.html', parent: null } };

async function start(singleInstance = true): Promise<void> {
  fake.state.singleInstance = singleInstance;
  await import('../../electron/main/index.js');
  await new Promise((done) => setTimeout(done, 0));
}

async function call(name: (typeof CHANNELS)[number], args: unknown, event: unknown = TRUSTED): Promise<IpcResult<unknown>> {
  const handler = fake.handlers.get(ipcChannel(name));
  if (handler === undefined) throw new Error(`not registered: ${name}`);
  return (await handler(event, args)) as IpcResult<unknown>;
}

describe('electron/main/index.ts', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.clearAllMocks();
    fake.handlers.clear();
    fake.appListeners.clear();
    fake.windows.length = 0;
  });

  it('sandboxes every renderer and registers the app scheme before ready', async () => {
    await start();
    expect(fake.app.enableSandbox).toHaveBeenCalledOnce();
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([APP_SCHEME_PRIVILEGES]);
    const beforeReady = fake.electron.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0] ?? Infinity;
    expect(beforeReady).toBeLessThan(fake.app.whenReady.mock.invocationCallOrder[0] ?? -Infinity);
  });

  it('on ready: policies, app:// handler, exactly the contract, menu, tray, and the hardened window', async () => {
    await start();
    const { session, protocol, ipcMain, Menu } = fake.electron;
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(session.defaultSession.setPermissionCheckHandler).toHaveBeenCalledOnce();
    expect(fake.appListeners.has('web-contents-created')).toBe(true);
    expect(fake.appListeners.has('before-quit')).toBe(true);
    expect(fake.appListeners.has('second-instance')).toBe(true);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(ipcMain.handle).toHaveBeenCalledTimes(CHANNELS.length);
    expect([...fake.handlers.keys()].sort()).toEqual(CHANNELS.map(ipcChannel).sort());
    expect(Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(fake.windows).toHaveLength(1);
    const [window] = fake.windows;
    const preload = join('/opt/envelock/resources/app.asar', 'dist', 'preload', 'index.cjs');
    expect(window?.options).toEqual(getMainWindowOptions(preload, { devTools: false, icon: join('/opt/envelock/resources/app.asar', 'assets', 'icon.png') }));
    expect(window?.loadURL).toHaveBeenCalledExactlyOnceWith('app://envelock/index.html');
    expect(window?.once).toHaveBeenCalledWith('ready-to-show', expect.any(Function));
  });

  it('serves the contract through the real handler table; foreign senders are refused', async () => {
    await start();
    expect(await call('listLockers', {})).toEqual({ ok: true, value: [] });
    expect(await call('getAppInfo', {})).toEqual({ ok: true, value: { version: '0.1.0', platform: process.platform, configDir } });
    expect(await call('listLockers', {}, { senderFrame: { url: 'https://evil.example/', parent: null } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('pickFolder uses the native folder dialog; openDocs opens only allow-listed docs', async () => {
    await start();
    expect(await call('pickFolder', { purpose: 'home' })).toEqual({ ok: true, value: '/home/me/Documents' });
    const [, options] = fake.electron.dialog.showOpenDialog.mock.calls[0] as unknown as [unknown, { properties: string[] }];
    expect(options.properties).toEqual(['openDirectory', 'createDirectory']);
    expect(await call('openDocs', { topic: 'format' })).toEqual({ ok: true, value: null });
    expect(fake.electron.shell.openExternal).toHaveBeenCalledExactlyOnceWith(DOCS_URLS.format);
  });

  it('a second instance quits at once and registers nothing', async () => {
    await start(false);
    expect(fake.app.quit).toHaveBeenCalledOnce();
    expect(fake.electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(fake.windows).toHaveLength(0);
    expect(fake.appListeners.has('before-quit')).toBe(false);
  });

  it('second-instance focuses the existing window', async () => {
    await start();
    for (const listener of fake.appListeners.get('second-instance') ?? []) (listener as Listener)();
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]).toMatchObject({});
    expect((fake.windows[0] as unknown as { focus: ReturnType<typeof vi.fn> }).focus).toHaveBeenCalled();
  });
});
