/**
 * The app's handler table through dispatch (what main and the e2e harness run),
 * on the real engine and real folders: arguments are validated before any
 * service runs, errors come back as values, the session remembers credentials
 * only until lock, and wrong passphrases make the next try wait.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../shared/errors.js';
import type { EventName, EventPayloads, IpcResult } from '../shared/ipc/contract.js';
import { createHandlers, type AppHost } from '../electron/core/app/handlers.js';
import { dispatch } from '../electron/core/app/dispatch.js';
import { cleanupTempDirs, makeRichTree, PASSPHRASE, snapshotTree, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

function harness(now: () => number = Date.now, onEvent?: (event: EventName, payload: unknown) => void) {
  const events: { event: EventName; payload: unknown }[] = [];
  const opened: string[] = [];
  const picks: (string | null)[] = [];
  const host: AppHost = {
    configDir: tempDir('envelock-app-cfg-'),
    version: '0.0.0-test',
    platform: 'linux',
    pickFolder: async () => picks.shift() ?? null,
    openDocs: async (url) => {
      opened.push(url);
    },
    emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => {
      events.push({ event, payload });
      onEvent?.(event, payload);
    },
    now,
  };
  const service = createHandlers(host);
  const call = (channel: string, args: unknown): Promise<IpcResult<unknown>> => dispatch(service, channel, args);
  const ok = async <T>(channel: string, args: unknown): Promise<T> => {
    const result = await call(channel, args);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  const fails = async (channel: string, args: unknown): Promise<ErrorInfo> => {
    const result = await call(channel, args);
    if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
    return result.error;
  };
  return { host, service, events, opened, picks, call, ok, fails };
}

describe('app handlers', () => {
  it('refuses bad arguments before any service runs, naming the field', async () => {
    const h = harness();
    const cases: [string, unknown, RegExp][] = [
      ['createLocker', { folder: 'relative/path', passphrase: PASSPHRASE }, /createLocker\.folder must be an absolute folder path/],
      ['createLocker', { folder: '/tmp/a\0b', passphrase: PASSPHRASE }, /createLocker\.folder/],
      ['createLocker', { folder: '/tmp', passphrase: PASSPHRASE, extra: 1 }, /createLocker\.extra must be absent/],
      ['createLocker', { folder: '/tmp' }, /createLocker\.passphrase must be present/],
      ['lockLocker', { id: '../../etc' }, /lockLocker\.id must be a locker id/],
      ['lockLocker', null, /lockLocker must be an object/],
      ['lockLocker', [], /lockLocker must be an object/],
      ['setSettings', { autoLockMinutes: 1.5, kdfStrength: 'standard' }, /autoLockMinutes must be a whole number/],
      ['setSettings', { autoLockMinutes: 5, kdfStrength: 'weak' }, /kdfStrength must be one of standard, strong, maximum/],
      ['openDocs', { topic: 'https://evil.example' }, /topic must be one of/],
      ['notAChannel', {}, /no operation called/],
    ];
    for (const [channel, args, message] of cases) {
      const error = await h.fails(channel, args);
      expect(error.code === 'INVALID_ARGUMENT' ? error.message : error.code, channel).toMatch(message);
    }
    expect(h.opened).toEqual([]);
    expect(existsSync(join(h.host.configDir, 'lockers.json'))).toBe(false);
  });

  it('creates, locks with the remembered passphrase, throttles wrong tries, unlocks, verifies, restores and forgets', async () => {
    let clock = 1_000_000;
    const h = harness(() => clock);
    const home = tempDir('envelock-app-home-');
    makeRichTree(home);
    const before = snapshotTree(home);

    const weak = await h.fails('createLocker', { folder: home, passphrase: 'aaaaaaaaaaaa' });
    expect(weak.code).toBe('WEAK_PASSPHRASE');

    const created = await h.ok<{ locker: { id: string; name: string; remembered: boolean }; recoveryKey: string; kdf: { memoryMiB: number; iterations: number } }>(
      'createLocker', { folder: home, passphrase: PASSPHRASE, name: 'Projects' },
    );
    expect(created.recoveryKey).toMatch(/^ELK-/);
    expect(created.kdf.memoryMiB).toBeGreaterThanOrEqual(64);
    expect(created.locker.remembered).toBe(true);
    const id = created.locker.id;

    // Lock needs no passphrase: this session created the locker.
    const locked = await h.ok<{ locker: { state: string; remembered: boolean }; message: string }>('lockLocker', { id });
    expect(locked.locker.state).toBe('locked');
    expect(locked.locker.remembered).toBe(false);
    expect(readdirSync(home)).toEqual([]);
    expect(h.events.some((e) => e.event === 'progress')).toBe(true);
    expect(h.events.some((e) => e.event === 'lockersChanged')).toBe(true);

    // Unlock always asks, even right after a lock in the same session.
    expect((await h.fails('unlockLocker', { id })).code).toBe('PASSPHRASE_REQUIRED');

    // Three wrong tries are free; the fourth waits, and nothing changes on disk.
    for (let i = 0; i < 3; i++) expect((await h.fails('unlockLocker', { id, passphrase: `wrong passphrase ${i}` })).code).toBe('WRONG_PASSPHRASE');
    const waiting = await h.fails('unlockLocker', { id, passphrase: PASSPHRASE });
    expect(waiting.code).toBe('TOO_MANY_ATTEMPTS');
    expect(waiting.message).toMatch(/wait 2 seconds/);
    expect(readdirSync(home)).toEqual([]);
    clock += 2_000;

    const unlocked = await h.ok<{ locker: { state: string; remembered: boolean } }>('unlockLocker', { id, passphrase: PASSPHRASE });
    expect(unlocked.locker).toMatchObject({ state: 'unlocked', remembered: true });
    expect(snapshotTree(home)).toEqual(before);

    const report = await h.ok<{ ok: boolean; problems: unknown[] }>('verifyLocker', { id });
    expect(report).toMatchObject({ ok: true, problems: [] });
    const snapshots = await h.ok<{ id: string }[]>('listSnapshots', { id });
    expect(snapshots.length).toBe(1);

    const target = join(tempDir('envelock-app-restore-'), 'restored');
    await h.ok('restoreSnapshot', { id, to: target, snapshot: snapshots[0]!.id });
    expect(snapshotTree(target)).toEqual(before);

    // Changing the passphrase asks for the current one, even while unlocked.
    expect((await h.fails('changePassphrase', { id, newPassphrase: 'seven otters paddle past noon' })).code).toBe('PASSPHRASE_REQUIRED');
    await h.ok('changePassphrase', { id, passphrase: PASSPHRASE, newPassphrase: 'seven otters paddle past noon' });
    await h.ok('lockLocker', { id });
    expect((await h.fails('unlockLocker', { id, passphrase: PASSPHRASE })).code).toBe('WRONG_PASSPHRASE');
    await h.ok('unlockLocker', { id, recoveryKey: created.recoveryKey });
    expect(snapshotTree(home)).toEqual(before);

    expect((await h.fails('forgetLocker', { id, confirmName: 'projects' })).code).toBe('USAGE');
    await h.ok('forgetLocker', { id, confirmName: 'Projects' });
    expect(await h.ok<unknown[]>('listLockers', {})).toEqual([]);
    expect(snapshotTree(home)).toEqual(before);
  });

  it('keeps settings, picks folders through the host and opens only the documented links', async () => {
    const h = harness();
    expect(await h.ok('getSettings', {})).toEqual({ autoLockMinutes: 15, kdfStrength: 'standard' });
    await h.ok('setSettings', { autoLockMinutes: 0, kdfStrength: 'strong' });
    expect(await h.ok('getSettings', {})).toEqual({ autoLockMinutes: 0, kdfStrength: 'strong' });
    h.picks.push('/some/folder');
    expect(await h.ok('pickFolder', { purpose: 'home' })).toBe('/some/folder');
    expect(await h.ok('pickFolder', { purpose: 'restore' })).toBeNull();
    await h.ok('openDocs', { topic: 'format' });
    expect(h.opened).toEqual([expect.stringMatching(/^https:\/\/github\.com\/envelock\//)]);
  });

  it('lock all locks what this session can and names the rest', async () => {
    const h = harness();
    const a = tempDir('envelock-app-a-');
    makeRichTree(a);
    const created = await h.ok<{ locker: { id: string } }>('createLocker', { folder: a, passphrase: PASSPHRASE, name: 'A' });
    const result = await h.service.lockAllRemembered();
    expect(result).toEqual({ locked: ['A'], needPassphrase: [] });
    expect(readdirSync(a)).toEqual([]);
    await h.ok('unlockLocker', { id: created.locker.id, passphrase: PASSPHRASE });
    // A fresh session (an app restart) has no credential: the locker is named, not locked.
    const restarted = createHandlers({ ...h.host });
    expect(await restarted.lockAllRemembered()).toEqual({ locked: [], needPassphrase: ['A'] });
  });

  it('cancelOperation stops a running lock where nothing is lost, and answers false when nothing runs', async () => {
    let cancel: (() => void) | undefined;
    const h = harness(Date.now, (event, payload) => {
      const progress = (payload as EventPayloads['progress']).progress;
      if (event === 'progress' && progress.phase === 'Sealing' && progress.cancellable === true) cancel?.();
    });
    const home = tempDir('envelock-app-cancel-');
    makeRichTree(home);
    const before = snapshotTree(home);
    const { locker } = await h.ok<{ locker: { id: string } }>('createLocker', { folder: home, passphrase: PASSPHRASE, name: 'Stoppable' });
    expect(await h.ok('cancelOperation', { id: locker.id })).toEqual({ cancelling: false });

    let answer: Promise<IpcResult<unknown>> | undefined;
    cancel = () => {
      answer ??= h.call('cancelOperation', { id: locker.id });
    };
    const lock = await h.call('lockLocker', { id: locker.id });
    expect(lock).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await answer).toEqual({ ok: true, value: { cancelling: true } });
    expect(snapshotTree(home)).toEqual(before);

    cancel = undefined;
    expect(await h.ok<{ locker: { state: string } }>('lockLocker', { id: locker.id })).toMatchObject({ locker: { state: 'locked' } });
    expect(await h.ok('cancelOperation', { id: locker.id })).toEqual({ cancelling: false });
  });
});
