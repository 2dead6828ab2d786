/** The preload exposes exactly the contract on window.envelock, and only the arguments cross. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENTS, ipcChannel, ipcEvent } from '../../shared/ipc/contract.js';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => ({ ok: true, value: null })), on: vi.fn(), removeListener: vi.fn() },
}));
vi.mock('electron', () => ({ ...electron, default: electron }));

describe('preload', () => {
  beforeEach(() => {
    vi.resetModules();
    electron.contextBridge.exposeInMainWorld.mockClear();
    electron.ipcRenderer.invoke.mockClear();
  });

  async function exposed(): Promise<Record<string, (...args: unknown[]) => unknown>> {
    await import('../../electron/preload/index.js');
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    const [key, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, Record<string, (...args: unknown[]) => unknown>];
    expect(key).toBe('envelock');
    return api;
  }

  it('exposes one object under "envelock" with exactly the contract names plus on', async () => {
    const api = await exposed();
    expect(Object.keys(api).sort()).toEqual([...CHANNELS, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('each function invokes its namespaced channel with only the arguments', async () => {
    const api = await exposed();
    for (const name of CHANNELS) {
      electron.ipcRenderer.invoke.mockClear();
      const args = { marker: name };
      await api[name]?.(args, 'extra', 'ignored');
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(ipcChannel(name), args);
    }
  });

  it('on subscribes to contract events only and unsubscribes', async () => {
    const api = await exposed();
    const listener = vi.fn();
    const off = api.on?.(EVENTS[0], listener) as () => void;
    const [channel, wrapped] = electron.ipcRenderer.on.mock.calls.at(-1) as [string, (event: unknown, payload: unknown) => void];
    expect(channel).toBe(ipcEvent(EVENTS[0] ?? 'progress'));
    wrapped({ sender: 'ipc event object' }, { reason: 'x' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ reason: 'x' });
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(channel, wrapped);
    expect(() => api.on?.('not-an-event', listener)).toThrow();
  });
});
