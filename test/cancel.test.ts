/**
 * Cancelling (the app's Stop button, the CLI's first Ctrl-C): an operation
 * stops only where nothing is lost, says so with CANCELLED, and leaves the
 * locker as it was — and once lock has started removing plaintext, it is not
 * stopped at all. Each case cancels from the operation's own progress events,
 * so the point of cancellation is deterministic.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvelockError } from '../shared/errors.js';
import type { ProgressEvent } from '../shared/progress.js';
import {
  initLocker, listLockerSnapshots, lockerStatus, lockLocker, restoreLocker, sealLocker, unlockLocker, verifyLocker, type EngineContext,
} from '../electron/core/service/lockers.js';
import { cleanupTempDirs, makeRichTree, PASS, PASSPHRASE, snapshotTree, tempDir, testContext } from './helpers.js';

afterAll(cleanupTempDirs);

/** A context whose signal is aborted at the first progress event `when` accepts; `phases` records what was reported. */
function cancelling(base: EngineContext, when: (event: ProgressEvent) => boolean): { ctx: EngineContext; phases: string[]; cancellable: Map<string, boolean> } {
  const controller = new AbortController();
  const phases: string[] = [];
  const cancellable = new Map<string, boolean>();
  const ctx: EngineContext = {
    ...base,
    signal: controller.signal,
    onProgress: (event) => {
      if (phases.at(-1) !== event.phase) phases.push(event.phase);
      cancellable.set(event.phase, event.cancellable === true);
      if (when(event)) controller.abort();
    },
  };
  return { ctx, phases, cancellable };
}

async function cancelled(run: Promise<unknown>): Promise<EnvelockError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvelockError);
  expect((error as EnvelockError).code).toBe('CANCELLED');
  expect((error as EnvelockError).exitCode).toBe(130);
  return error as EnvelockError;
}

async function fixture() {
  const ctx = testContext();
  const home = join(tempDir('envelock-cancel-'), 'Home');
  makeRichTree(home);
  const { locker } = await initLocker(ctx, { folder: home, passphrase: PASSPHRASE });
  return { ctx, home, id: locker.id, original: snapshotTree(home) };
}

function stateOf(ctx: EngineContext, id: string): string | undefined {
  return lockerStatus(ctx, id)[0]?.state;
}

describe('cancel', () => {
  it('lock, while sealing: the locker stays unlocked with every file in place; the next lock works', async () => {
    const f = await fixture();
    const c = cancelling(f.ctx, (e) => e.phase === 'Sealing');
    const error = await cancelled(lockLocker(c.ctx, f.id, PASS));
    expect(error.message).toBe('Cancelled: the home folder is untouched and no new snapshot was saved.');
    expect(c.cancellable.get('Sealing')).toBe(true);
    expect(stateOf(f.ctx, f.id)).toBe('unlocked');
    expect(snapshotTree(f.home)).toEqual(f.original);
    await lockLocker(f.ctx, f.id, PASS);
    expect(readdirSync(f.home)).toEqual([]);
  });

  it('lock, after sealing and before removal: stops with the files in place', async () => {
    const f = await fixture();
    const c = cancelling(f.ctx, (e) => e.phase === 'Sealed');
    await cancelled(lockLocker(c.ctx, f.id, PASS));
    expect(c.phases).not.toContain('Removing plaintext');
    expect(stateOf(f.ctx, f.id)).toBe('unlocked');
    expect(snapshotTree(f.home)).toEqual(f.original);
  });

  it('lock, once removal has started: not cancellable, and it runs to the end', async () => {
    const f = await fixture();
    const c = cancelling(f.ctx, (e) => e.phase === 'Removing plaintext');
    await lockLocker(c.ctx, f.id, PASS);
    expect(c.cancellable.get('Removing plaintext')).toBe(false);
    expect(stateOf(f.ctx, f.id)).toBe('locked');
    expect(readdirSync(f.home)).toEqual([]);
  });

  it('seal: no new snapshot', async () => {
    const f = await fixture();
    await sealLocker(f.ctx, f.id, PASS);
    const before = await listLockerSnapshots(f.ctx, f.id, PASS);
    const c = cancelling(f.ctx, (e) => e.phase === 'Sealing');
    await cancelled(sealLocker(c.ctx, f.id, PASS));
    expect(await listLockerSnapshots(f.ctx, f.id, PASS)).toEqual(before);
    expect(snapshotTree(f.home)).toEqual(f.original);
  });

  it('unlock: the partial folder is taken back and the locker stays locked; the next unlock works', async () => {
    const f = await fixture();
    await lockLocker(f.ctx, f.id, PASS);
    const siblings = readdirSync(dirname(f.home)).sort();
    const c = cancelling(f.ctx, (e) => e.phase === 'Unlocking' && e.bytesDone > 0);
    await cancelled(unlockLocker(c.ctx, f.id, PASS));
    expect(c.cancellable.get('Unlocking')).toBe(true);
    expect(stateOf(f.ctx, f.id)).toBe('locked');
    expect(readdirSync(f.home)).toEqual([]);
    expect(readdirSync(dirname(f.home)).sort()).toEqual(siblings);
    await unlockLocker(f.ctx, f.id, PASS);
    expect(snapshotTree(f.home)).toEqual(f.original);
  });

  it('restore: the target folder is taken back', async () => {
    const f = await fixture();
    await sealLocker(f.ctx, f.id, PASS);
    const target = join(tempDir('envelock-cancel-restore-'), 'restored');
    const c = cancelling(f.ctx, (e) => e.phase === 'Unlocking' && e.bytesDone > 0);
    await cancelled(restoreLocker(c.ctx, f.id, PASS, { to: target }));
    expect(existsSync(target)).toBe(false);
  });

  it('verify: stops before checking anything when asked at once', async () => {
    const f = await fixture();
    await sealLocker(f.ctx, f.id, PASS);
    const controller = new AbortController();
    controller.abort();
    await cancelled(verifyLocker({ ...f.ctx, signal: controller.signal }, f.id, PASS));
    expect((await verifyLocker(f.ctx, f.id, PASS)).ok).toBe(true);
  });
});
