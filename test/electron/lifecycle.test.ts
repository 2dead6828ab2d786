/** Auto-lock decisions and timer, lock-before-quit, and the menus. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUTO_LOCK_POLL_MS, shouldAutoLock, startAutoLock } from '../../electron/main/auto-lock.js';
import { buildAppMenuTemplate, buildTrayMenuTemplate, devToolsAllowed } from '../../electron/main/menu.js';
import { describeQuitProblem, installQuitGuard } from '../../electron/main/quit.js';

describe('shouldAutoLock', () => {
  it('locks once idle reaches the setting, never when the setting is 0', () => {
    expect(shouldAutoLock(0, 5)).toBe(false);
    expect(shouldAutoLock(299, 5)).toBe(false);
    expect(shouldAutoLock(300, 5)).toBe(true);
    expect(shouldAutoLock(10_000, 5)).toBe(true);
    expect(shouldAutoLock(10_000, 0)).toBe(false);
    expect(shouldAutoLock(10_000, -1)).toBe(false);
    expect(shouldAutoLock(10_000, Number.NaN)).toBe(false);
  });
});

describe('startAutoLock', () => {
  afterEach(() => vi.useRealTimers());

  function setup(minutes: number) {
    vi.useFakeTimers();
    const listeners = new Map<string, () => void>();
    let idle = 0;
    const powerMonitor = { getSystemIdleTime: vi.fn(() => idle), on: vi.fn((name: string, listener: () => void) => listeners.set(name, listener)) };
    const lockAll = vi.fn(async () => undefined);
    const stop = startAutoLock({ powerMonitor: powerMonitor as never, autoLockMinutes: async () => minutes, lockAll });
    return { listeners, lockAll, stop, setIdle: (seconds: number) => { idle = seconds; } };
  }

  it('locks once per idle stretch and re-arms after activity', async () => {
    const { lockAll, stop, setIdle } = setup(5);
    await vi.advanceTimersByTimeAsync(AUTO_LOCK_POLL_MS);
    expect(lockAll).not.toHaveBeenCalled();
    setIdle(301);
    await vi.advanceTimersByTimeAsync(AUTO_LOCK_POLL_MS);
    expect(lockAll).toHaveBeenCalledExactlyOnceWith('idle');
    await vi.advanceTimersByTimeAsync(AUTO_LOCK_POLL_MS * 3);
    expect(lockAll).toHaveBeenCalledOnce();
    setIdle(1);
    await vi.advanceTimersByTimeAsync(AUTO_LOCK_POLL_MS);
    setIdle(400);
    await vi.advanceTimersByTimeAsync(AUTO_LOCK_POLL_MS);
    expect(lockAll).toHaveBeenCalledTimes(2);
    stop();
  });

  it('never locks on idle when the setting is 0, but always on lock-screen and suspend', async () => {
    const { listeners, lockAll, stop, setIdle } = setup(0);
    setIdle(100_000);
    await vi.advanceTimersByTimeAsync(AUTO_LOCK_POLL_MS * 4);
    expect(lockAll).not.toHaveBeenCalled();
    listeners.get('lock-screen')?.();
    await vi.advanceTimersByTimeAsync(0);
    listeners.get('suspend')?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(lockAll.mock.calls).toEqual([['lock-screen'], ['suspend']]);
    stop();
  });
});

describe('installQuitGuard', () => {
  function setup(result: { locked: string[]; needPassphrase: string[] } | Error, quitAnyway: boolean) {
    let beforeQuit: ((event: { preventDefault: () => void }) => void) | undefined;
    const app = { on: vi.fn((_name: string, listener: typeof beforeQuit) => { beforeQuit = listener; }), exit: vi.fn() };
    const lockAllRemembered = vi.fn(async () => {
      if (result instanceof Error) throw result;
      return result;
    });
    const showWindow = vi.fn();
    const confirmQuit = vi.fn(async () => quitAnyway);
    installQuitGuard({ app: app as never, lockAllRemembered, showWindow, confirmQuit });
    const quit = async (): Promise<ReturnType<typeof vi.fn>> => {
      const preventDefault = vi.fn();
      beforeQuit?.({ preventDefault });
      await new Promise((done) => setTimeout(done, 0));
      return preventDefault;
    };
    return { app, lockAllRemembered, showWindow, confirmQuit, quit };
  }

  it('locks every remembered locker, then exits', async () => {
    const { app, lockAllRemembered, confirmQuit, quit } = setup({ locked: ['Taxes'], needPassphrase: [] }, false);
    expect(await quit()).toHaveBeenCalledOnce();
    expect(lockAllRemembered).toHaveBeenCalledOnce();
    expect(confirmQuit).not.toHaveBeenCalled();
    expect(app.exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('asks when lockers need a passphrase; cancel keeps the app running', async () => {
    const { app, showWindow, confirmQuit, quit } = setup({ locked: [], needPassphrase: ['Photos'] }, false);
    await quit();
    expect(showWindow).toHaveBeenCalled();
    expect(confirmQuit).toHaveBeenCalledExactlyOnceWith({ kind: 'need-passphrase', lockers: ['Photos'] });
    expect(app.exit).not.toHaveBeenCalled();
    await quit();
    expect(confirmQuit).toHaveBeenCalledTimes(2);
  });

  it('quit anyway exits; a failed lock is asked about too', async () => {
    const first = setup({ locked: [], needPassphrase: ['Photos'] }, true);
    await first.quit();
    expect(first.app.exit).toHaveBeenCalledExactlyOnceWith(0);
    const failing = setup(new Error('The file is busy: /home/me/x (EBUSY).'), false);
    await failing.quit();
    expect(failing.confirmQuit).toHaveBeenCalledExactlyOnceWith({ kind: 'lock-failed', message: 'The file is busy: /home/me/x (EBUSY).' });
    expect(failing.app.exit).not.toHaveBeenCalled();
  });

  it('names the lockers that stay unlocked', () => {
    const text = describeQuitProblem({ kind: 'need-passphrase', lockers: ['Photos', 'Taxes'] });
    expect(text.message).toBe('2 lockers stay unlocked');
    expect(text.detail).toContain('• Photos');
    expect(text.detail).toContain('• Taxes');
  });
});

describe('menus', () => {
  const roles = (template: ReturnType<typeof buildAppMenuTemplate>): string[] =>
    template.flatMap((item) => [String(item.role ?? item.label), ...(Array.isArray(item.submenu) ? item.submenu.map((sub) => String(sub.role ?? sub.label ?? sub.type)) : [])]);

  it('has no devtools or reload unless ENVELOCK_DEVTOOLS=1', () => {
    expect(devToolsAllowed({})).toBe(false);
    expect(devToolsAllowed({ ENVELOCK_DEVTOOLS: 'true' })).toBe(false);
    expect(devToolsAllowed({ ENVELOCK_DEVTOOLS: '1' })).toBe(true);
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(roles(buildAppMenuTemplate(platform, false))).not.toContain('toggleDevTools');
      expect(roles(buildAppMenuTemplate(platform, false))).not.toContain('reload');
      expect(roles(buildAppMenuTemplate(platform, true))).toContain('toggleDevTools');
      expect(roles(buildAppMenuTemplate(platform, false))).toContain('editMenu');
    }
  });

  it('tray menu: Open Envelock, Lock all, Quit', () => {
    const actions = { open: vi.fn(), lockAll: vi.fn(), quit: vi.fn() };
    const template = buildTrayMenuTemplate(actions);
    expect(template.filter((item) => item.type !== 'separator').map((item) => item.label)).toEqual(['Open Envelock', 'Lock all', 'Quit']);
    for (const item of template) (item.click as (() => void) | undefined)?.();
    expect(actions.open).toHaveBeenCalledOnce();
    expect(actions.lockAll).toHaveBeenCalledOnce();
    expect(actions.quit).toHaveBeenCalledOnce();
  });
});
