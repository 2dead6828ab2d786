import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initLocker, lockLocker, unlockLocker } from '../electron/core/service/lockers.js';
import { cleanupTempDirs, makeRichTree, PASS, PASSPHRASE, snapshotTree, tempDir, testContext } from './helpers.js';

afterAll(cleanupTempDirs);

describe('engine smoke', () => {
  it('locks a rich tree away and brings it back identical', async () => {
    const ctx = testContext();
    const home = join(tempDir(), 'home');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(home);
    makeRichTree(home);
    const before = snapshotTree(home);
    await initLocker(ctx, { folder: home, passphrase: PASSPHRASE, store: join(tempDir(), 'store') });
    await lockLocker(ctx, home, PASS);
    expect(readdirSync(home)).toEqual([]);
    await unlockLocker(ctx, home, PASS);
    expect(existsSync(home)).toBe(true);
    expect(snapshotTree(home)).toEqual(before);
  });
});
