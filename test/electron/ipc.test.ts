/**
 * registerContract: exactly the contract's channels; a foreign sender or a bad
 * argument is refused before any service runs; a good call reaches the service.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../electron/core/app/handlers.js';
import { createEmitter, registerContract } from '../../electron/main/ipc.js';
import { isTrustedSender } from '../../electron/main/sender.js';
import { CHANNELS, ipcChannel, ipcEvent, type Channel, type IpcResult } from '../../shared/ipc/contract.js';

type Invoke = (event: { senderFrame: unknown }, args: unknown) => Promise<IpcResult<unknown>>;

const TOP = { url: 'app://envelock/index.html', parent: null };

function setup() {
  const registered = new Map<string, Invoke>();
  const ipcMain = { handle: vi.fn((channel: string, listener: Invoke) => void registered.set(channel, listener)) };
  const spies = Object.fromEntries(CHANNELS.map((name) => [name, vi.fn(async (args: unknown) => ({ reached: name, args }))])) as Record<Channel, ReturnType<typeof vi.fn>>;
  registerContract(ipcMain as never, spies as unknown as Handlers);
  const call = (name: Channel, args: unknown, senderFrame: unknown = TOP): Promise<IpcResult<unknown>> => {
    const listener = registered.get(ipcChannel(name));
    if (listener === undefined) throw new Error(`not registered: ${name}`);
    return listener({ senderFrame }, args);
  };
  const noServiceRan = (): void => {
    for (const spy of Object.values(spies)) expect(spy).not.toHaveBeenCalled();
  };
  return { ipcMain, registered, spies, call, noServiceRan };
}

describe('isTrustedSender', () => {
  it('accepts only the app origin top frame', () => {
    expect(isTrustedSender(TOP as never)).toBe(true);
    expect(isTrustedSender({ url: 'app://envelock/', parent: null } as never)).toBe(true);
  });

  it.each([
    ['null frame', null],
    ['undefined frame', undefined],
    ['other origin', { url: 'https://evil.example/', parent: null }],
    ['file origin', { url: 'file:///app/dist/renderer/index.html', parent: null }],
    ['other app host', { url: 'app://evil/index.html', parent: null }],
    ['subframe of the app', { url: 'app://envelock/index.html', parent: TOP }],
    ['about:blank', { url: 'about:blank', parent: null }],
    ['disposed frame', { get url(): string { throw new Error('Render frame was disposed'); }, parent: null }],
  ])('rejects a %s', (_label, frame) => {
    expect(isTrustedSender(frame as never)).toBe(false);
  });
});

describe('registerContract', () => {
  it('registers exactly the contract channels, nothing else', () => {
    const { ipcMain, registered } = setup();
    expect(ipcMain.handle).toHaveBeenCalledTimes(CHANNELS.length);
    expect([...registered.keys()].sort()).toEqual(CHANNELS.map(ipcChannel).sort());
  });

  it('refuses foreign senders before any service runs', async () => {
    const { call, noServiceRan } = setup();
    for (const frame of [null, { url: 'https://evil.example/', parent: null }, { url: 'app://envelock/index.html', parent: TOP }]) {
      const result = await call('listLockers', {}, frame);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('FORBIDDEN_SENDER');
      const lock = await call('lockLocker', { id: 'abc', passphrase: 'correct horse battery' }, frame);
      expect(lock.ok).toBe(false);
    }
    noServiceRan();
  });

  it('a trusted call with valid arguments reaches the service with the validated arguments', async () => {
    const { call, spies } = setup();
    const result = await call('unlockLocker', { id: 'abc', passphrase: 'correct horse battery' });
    expect(result).toEqual({ ok: true, value: { reached: 'unlockLocker', args: { id: 'abc', passphrase: 'correct horse battery' } } });
    expect(spies.unlockLocker).toHaveBeenCalledOnce();
    expect(await call('getSettings', {})).toMatchObject({ ok: true });
  });

  const BAD: Array<[Channel, unknown, RegExp]> = [
    ['listLockers', undefined, /must be an object/],
    ['listLockers', [], /must be an object/],
    ['listLockers', { extra: 1 }, /extra must be absent/],
    ['createLocker', { folder: 'relative/dir', passphrase: 'p' }, /folder must be an absolute folder path/],
    ['createLocker', { folder: '/home/me/docs\0/x', passphrase: 'p' }, /folder must be an absolute folder path/],
    ['createLocker', { folder: '/home/me/docs' }, /passphrase must be present/],
    ['createLocker', { folder: '/home/me/docs', passphrase: 42 }, /passphrase/],
    ['createLocker', { folder: '/home/me/docs', passphrase: 'p', name: 'a/b' }, /name/],
    ['createLocker', { folder: '/home/me/docs', passphrase: 'p', admin: true }, /admin must be absent/],
    ['unlockLocker', { id: '../../etc', passphrase: 'p' }, /id must be a locker id/],
    ['unlockLocker', { passphrase: 'p' }, /id must be present/],
    ['unlockLocker', { id: 'abc', passphrase: 'p\0' }, /passphrase/],
    ['restoreSnapshot', { id: 'abc', to: 'C:relative' }, /to must be an absolute folder path/],
    ['restoreSnapshot', { id: 'abc', to: '/tmp/out', snapshot: 'NOT-HEX' }, /snapshot/],
    ['setSettings', { autoLockMinutes: '5', kdfStrength: 'standard' }, /autoLockMinutes/],
    ['setSettings', { autoLockMinutes: 5.5, kdfStrength: 'standard' }, /autoLockMinutes/],
    ['setSettings', { autoLockMinutes: 5, kdfStrength: 'weak' }, /kdfStrength/],
    ['pickFolder', { purpose: 'anything' }, /purpose/],
    ['openDocs', { topic: 'https://evil.example/' }, /topic/],
    ['forgetLocker', { id: 'abc' }, /confirmName must be present/],
  ];

  it.each(BAD)('%s refuses %j before any service runs', async (name, args, message) => {
    const { call, noServiceRan } = setup();
    const result = await call(name, args);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_ARGUMENT');
      expect(result.error.message).toMatch(message);
    }
    noServiceRan();
  });

  it('a service failure comes back as a value, not a throw', async () => {
    const { call, spies } = setup();
    spies.listLockers?.mockRejectedValueOnce(Object.assign(new Error('disk'), { code: 'EACCES', path: '/x' }));
    const result = await call('listLockers', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
  });
});

describe('createEmitter', () => {
  it('sends contract events to the main window, and nothing once it is gone', () => {
    const target = { send: vi.fn(), isDestroyed: vi.fn(() => false) };
    let current: typeof target | null = target;
    const emit = createEmitter(() => current);
    emit('lockersChanged', { reason: 'locked' });
    expect(target.send).toHaveBeenCalledExactlyOnceWith(ipcEvent('lockersChanged'), { reason: 'locked' });
    target.isDestroyed.mockReturnValue(true);
    emit('lockersChanged', { reason: 'again' });
    current = null;
    emit('lockersChanged', { reason: 'again' });
    expect(target.send).toHaveBeenCalledOnce();
  });
});
