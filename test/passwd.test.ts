/**
 * Passphrase change and recovery keys (DESIGN "The locker format", property 1):
 * each rewrites only the small keyslots object, never a pack, index or manifest.
 * The new secret opens the locker, the replaced one no longer does.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvelockError } from '../shared/errors.js';
import { parseRecoveryKey } from '../electron/core/crypto/recovery-key.js';
import { decodeKeyslots, encodeKeyslots, type Credential, type ParsedKeyslots } from '../electron/core/locker/keyslots.js';
import { openRepository } from '../electron/core/locker/repository.js';
import {
  changePassphrase, initLocker, lockerStatus, lockLocker, removeRecoveryKey, unlockLocker, type EngineContext,
} from '../electron/core/service/lockers.js';
import { LocalStore } from '../electron/core/store/local-store.js';
import { cleanupTempDirs, type CliResult, makeRichTree, PASS, PASSPHRASE, runCli, snapshotTree, storeHashes, tempDir, testContext, type TreeEntry } from './helpers.js';

afterAll(cleanupTempDirs);

const NEW_PASSPHRASE = 'violet lantern under quiet rain';
const NEWER_PASSPHRASE = 'seven otters paddle past noon';
const NEW: Credential = { kind: 'passphrase', passphrase: NEW_PASSPHRASE };

/**
 * After later seals: every earlier object is still there byte for byte (keyslots
 * aside) and no pack or index was added. A new manifest is expected once the
 * keyslots generation moved: each snapshot records it (keyslot replay detection).
 */
function expectDataKept(before: Record<string, string>, after: Record<string, string>): void {
  for (const [name, hash] of Object.entries(before)) if (name !== 'keyslots') expect([name, after[name]]).toEqual([name, hash]);
  const added = Object.keys(after).filter((name) => before[name] === undefined);
  expect(added.filter((name) => !name.startsWith('manifests/'))).toEqual([]);
}

/** The names whose content differs, plus any added or removed. */
function changedObjects(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}

function keyslotsOf(store: string): ParsedKeyslots {
  return decodeKeyslots(readFileSync(join(store, 'keyslots')));
}

interface Fixture {
  readonly ctx: EngineContext;
  readonly parent: string;
  readonly home: string;
  readonly store: string;
  readonly recoveryKey: string;
  readonly tree: Record<string, TreeEntry>;
}

/** A locked locker over a rich tree, so the store has packs, an index and a manifest to keep. */
async function lockedLocker(): Promise<Fixture> {
  const parent = tempDir('envelock-passwd-');
  const home = join(parent, 'home');
  mkdirSync(home);
  makeRichTree(home);
  const tree = snapshotTree(home);
  const ctx = testContext();
  const store = join(tempDir('envelock-store-'), 'store');
  const { recoveryKey } = await initLocker(ctx, { folder: home, passphrase: PASSPHRASE, store });
  await lockLocker(ctx, home, PASS);
  expect(readdirSync(home)).toEqual([]);
  return { ctx, parent, home, store, recoveryKey, tree };
}

const recovery = (key: string): Credential => ({ kind: 'recovery', key: parseRecoveryKey(key) });

async function failureOf(promise: Promise<unknown>): Promise<EnvelockError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(EnvelockError);
  return outcome.error as EnvelockError;
}

/** Unlock is refused with `code`; the home stays empty and the store untouched. */
async function expectUnlockRefused(f: Fixture, credential: Credential, code: string): Promise<void> {
  const before = storeHashes(f.store);
  const error = await failureOf(unlockLocker(f.ctx, f.home, credential));
  expect(error.code).toBe(code);
  expect(readdirSync(f.home)).toEqual([]);
  expect(readdirSync(f.parent)).toEqual(['home']);
  expect(storeHashes(f.store)).toEqual(before);
  expect(lockerStatus(f.ctx, f.home)[0]?.state).toBe('locked');
}

async function expectUnlocks(f: Fixture, credential: Credential): Promise<void> {
  await unlockLocker(f.ctx, f.home, credential);
  expect(snapshotTree(f.home)).toEqual(f.tree);
}

// ---------- engine ----------

describe('changePassphrase', () => {
  it('rewrites only the keyslots object; the new passphrase opens the locker, the old one fails, the recovery key opens it', async () => {
    const f = await lockedLocker();
    const before = storeHashes(f.store);
    expect(Object.keys(before).filter((n) => /^(packs|indexes|manifests)\//.test(n)).length).toBeGreaterThanOrEqual(3);
    const oldSlots = keyslotsOf(f.store);

    const result = await changePassphrase(f.ctx, f.home, PASS, NEW_PASSPHRASE);

    expect(result.keyslotGeneration).toBe(oldSlots.generation + 1);
    expect(changedObjects(before, storeHashes(f.store))).toEqual(['keyslots']);
    const newSlots = keyslotsOf(f.store);
    expect(newSlots.generation).toBe(oldSlots.generation + 1);
    expect(newSlots.lockerId.equals(oldSlots.lockerId)).toBe(true);
    // One passphrase slot, replaced (fresh salt and wrap); the recovery slot kept as it was.
    const oldPass = oldSlots.slots.filter((s) => s.type === 'passphrase');
    const newPass = newSlots.slots.filter((s) => s.type === 'passphrase');
    expect(oldPass).toHaveLength(1);
    expect(newPass).toHaveLength(1);
    const [o, n] = [oldPass[0], newPass[0]];
    if (o?.type !== 'passphrase' || n?.type !== 'passphrase') throw new Error('passphrase slots expected');
    expect(n.kdf.salt.equals(o.kdf.salt)).toBe(false);
    expect(n.wrapped.equals(o.wrapped)).toBe(false);
    expect(n.kdf.memoryKiB).toBeGreaterThanOrEqual(64 * 1024);
    expect(newSlots.slots.filter((s) => s.type === 'recovery')).toEqual(oldSlots.slots.filter((s) => s.type === 'recovery'));

    await expectUnlockRefused(f, PASS, 'WRONG_PASSPHRASE');
    await expectUnlocks(f, NEW);
    await lockLocker(f.ctx, f.home, NEW);
    await expectUnlocks(f, recovery(f.recoveryKey));
    await lockLocker(f.ctx, f.home, recovery(f.recoveryKey));
    expectDataKept(before, storeHashes(f.store));
    await expectUnlockRefused(f, PASS, 'WRONG_PASSPHRASE');
    await expectUnlocks(f, NEW);
  });

  it('refuses a weak new passphrase with WEAK_PASSPHRASE, and a wrong current one with WRONG_PASSPHRASE; nothing changes', async () => {
    const f = await lockedLocker();
    const before = storeHashes(f.store);
    const registry = readFileSync(join(f.ctx.configDir, 'lockers.json'), 'utf8');
    for (const weak of ['', 'short', 'nine char', '🔑🔑🔑🔑🔑🔑🔑🔑🔑']) {
      const error = await failureOf(changePassphrase(f.ctx, f.home, PASS, weak));
      expect([weak, error.code]).toEqual([weak, 'WEAK_PASSPHRASE']);
    }
    const wrong = await failureOf(changePassphrase(f.ctx, f.home, { kind: 'passphrase', passphrase: 'not the passphrase at all' }, NEW_PASSPHRASE));
    expect(wrong.code).toBe('WRONG_PASSPHRASE');
    expect(storeHashes(f.store)).toEqual(before);
    expect(readFileSync(join(f.ctx.configDir, 'lockers.json'), 'utf8')).toBe(registry);
    await expectUnlocks(f, PASS);
  });

  it('works with the recovery key when the passphrase is forgotten', async () => {
    const f = await lockedLocker();
    const before = storeHashes(f.store);
    await changePassphrase(f.ctx, f.home, recovery(f.recoveryKey), NEW_PASSPHRASE);
    expect(changedObjects(before, storeHashes(f.store))).toEqual(['keyslots']);
    await expectUnlockRefused(f, PASS, 'WRONG_PASSPHRASE');
    await expectUnlocks(f, NEW);
  });

  it('never removes the last way in: a locker left with only its recovery slot refuses to drop it (LAST_KEYSLOT)', async () => {
    const f = await lockedLocker();
    // Craft a genuine keyslots object (valid MAC, one generation up) that holds only the recovery slot.
    const repo = await openRepository(new LocalStore(f.store), PASS);
    const onlyRecovery = repo.keyslots.slots.filter((s) => s.type === 'recovery');
    expect(onlyRecovery).toHaveLength(1);
    writeFileSync(join(f.store, 'keyslots'), encodeKeyslots({ generation: repo.keyslots.generation + 1, slots: onlyRecovery }, repo.config.lockerId, repo.keys.keyslotsMacKey));
    const before = storeHashes(f.store);
    const error = await failureOf(removeRecoveryKey(f.ctx, f.home, recovery(f.recoveryKey)));
    expect(error.code).toBe('LAST_KEYSLOT');
    expect(storeHashes(f.store)).toEqual(before);
    await expectUnlocks(f, recovery(f.recoveryKey));
  });
});

// ---------- CLI ----------

describe('envelock passwd and recovery-key', () => {
  interface CliFixture {
    readonly env: Record<string, string>;
    readonly dir: string;
    readonly home: string;
    readonly store: string;
    readonly tree: Record<string, TreeEntry>;
    readonly recoveryKey: string;
  }

  function cli(f: CliFixture, args: string[], env: Record<string, string> = {}): CliResult {
    return runCli([...args, '--json'], { ...f.env, ...env });
  }

  function expectOk(result: CliResult): Record<string, unknown> {
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const json = result.json();
    expect(json.ok).toBe(true);
    return json;
  }

  function expectCliError(result: CliResult, code: string, exit: number): void {
    expect(result.status, result.stdout + result.stderr).toBe(exit);
    const json = result.json() as { ok: boolean; error?: { code?: string } };
    expect(json.ok).toBe(false);
    expect(json.error?.code).toBe(code);
  }

  function keyFile(f: CliFixture, name: string, text: string): string {
    const path = join(f.dir, name);
    writeFileSync(path, `${text}\n`);
    return path;
  }

  function lockedViaCli(): CliFixture {
    const dir = tempDir('envelock-passwd-cli-');
    const home = join(dir, 'home');
    mkdirSync(home);
    makeRichTree(home);
    const tree = snapshotTree(home);
    const store = join(dir, 'store');
    const env = { ENVELOCK_CONFIG_DIR: join(dir, 'config') };
    const init = runCli(['init', home, '--store', store, '--json'], env);
    expect(init.status, init.stderr).toBe(0);
    const recoveryKey = (init.json() as { recoveryKey: string }).recoveryKey;
    expect(recoveryKey).toMatch(/^ELK(-[0-9A-Z]{4}){9}$/);
    const f = { env, dir, home, store, tree, recoveryKey };
    expectOk(cli(f, ['lock', home]));
    return f;
  }

  /** Opens the locker for real: unlock, compare the tree, lock again. */
  function expectOpensWith(f: CliFixture, env: Record<string, string>, extra: string[] = []): void {
    expectOk(cli(f, ['unlock', f.home, ...extra], env));
    expect(snapshotTree(f.home)).toEqual(f.tree);
    expectOk(cli(f, ['lock', f.home, ...extra], env));
    expect(readdirSync(f.home)).toEqual([]);
  }

  it('passwd --new-passphrase-file, then ENVELOCK_NEW_PASSPHRASE: only keyslots changes, the newest passphrase opens, older ones fail', () => {
    const f = lockedViaCli();
    const before = storeHashes(f.store);

    const first = expectOk(cli(f, ['passwd', f.home, '--new-passphrase-file', keyFile(f, 'new-pass', NEW_PASSPHRASE)]));
    expect(first.keyslotGeneration).toBe(2);
    expect(changedObjects(before, storeHashes(f.store))).toEqual(['keyslots']);
    expectCliError(cli(f, ['unlock', f.home]), 'WRONG_PASSPHRASE', 3);
    expect(readdirSync(f.home)).toEqual([]);
    expectOpensWith(f, { ENVELOCK_PASSPHRASE: NEW_PASSPHRASE });

    const afterFirst = storeHashes(f.store);
    const second = expectOk(cli(f, ['passwd', f.home], { ENVELOCK_PASSPHRASE: NEW_PASSPHRASE, ENVELOCK_NEW_PASSPHRASE: NEWER_PASSPHRASE }));
    expect(second.keyslotGeneration).toBe(3);
    expect(changedObjects(afterFirst, storeHashes(f.store))).toEqual(['keyslots']);
    expectCliError(cli(f, ['unlock', f.home], { ENVELOCK_PASSPHRASE: NEW_PASSPHRASE }), 'WRONG_PASSPHRASE', 3);
    expectCliError(cli(f, ['unlock', f.home], { ENVELOCK_PASSPHRASE: PASSPHRASE }), 'WRONG_PASSPHRASE', 3);
    expectOpensWith(f, { ENVELOCK_PASSPHRASE: NEWER_PASSPHRASE });
    // The recovery key printed at init still opens it.
    expectOpensWith(f, {}, ['--recovery-key-file', keyFile(f, 'recovery', f.recoveryKey)]);
    expectDataKept(before, storeHashes(f.store));
  });

  it('passwd refuses a weak new passphrase (WEAK_PASSPHRASE, exit 3) and changes nothing', () => {
    const f = lockedViaCli();
    const before = storeHashes(f.store);
    expectCliError(cli(f, ['passwd', f.home], { ENVELOCK_NEW_PASSPHRASE: 'too-short' }), 'WEAK_PASSPHRASE', 3);
    expectCliError(cli(f, ['passwd', f.home, '--new-passphrase-file', keyFile(f, 'weak', 'abc')]), 'WEAK_PASSPHRASE', 3);
    expect(storeHashes(f.store)).toEqual(before);
    expectOpensWith(f, {});
  });

  it('recovery-key add replaces the old key; remove leaves the passphrase slot; only keyslots changes', () => {
    const f = lockedViaCli();
    const before = storeHashes(f.store);
    const oldKeyFile = keyFile(f, 'old-recovery', f.recoveryKey);

    const added = expectOk(cli(f, ['recovery-key', f.home, 'add'])) as { recoveryKey: string; keyslotGeneration: number };
    expect(added.recoveryKey).toMatch(/^ELK(-[0-9A-Z]{4}){9}$/);
    expect(added.recoveryKey).not.toBe(f.recoveryKey);
    expect(added.keyslotGeneration).toBe(2);
    expect(changedObjects(before, storeHashes(f.store))).toEqual(['keyslots']);
    expect(keyslotsOf(f.store).slots.map((s) => s.type).sort()).toEqual(['passphrase', 'recovery']);
    const newKeyFile = keyFile(f, 'new-recovery', added.recoveryKey);
    expectCliError(cli(f, ['unlock', f.home, '--recovery-key-file', oldKeyFile]), 'WRONG_RECOVERY_KEY', 3);
    expect(readdirSync(f.home)).toEqual([]);
    expectOpensWith(f, {}, ['--recovery-key-file', newKeyFile]);

    const afterAdd = storeHashes(f.store);
    const removed = expectOk(cli(f, ['recovery-key', f.home, 'remove'])) as { removed: number; keyslotGeneration: number };
    expect(removed).toMatchObject({ removed: 1, keyslotGeneration: 3 });
    expect(changedObjects(afterAdd, storeHashes(f.store))).toEqual(['keyslots']);
    // The passphrase slot stays: the locker can never be left without a way in.
    expect(keyslotsOf(f.store).slots.map((s) => s.type)).toEqual(['passphrase']);
    expectCliError(cli(f, ['unlock', f.home, '--recovery-key-file', newKeyFile]), 'WRONG_RECOVERY_KEY', 3);
    expectCliError(cli(f, ['unlock', f.home, '--recovery-key-file', oldKeyFile]), 'WRONG_RECOVERY_KEY', 3);
    expect(readdirSync(f.home)).toEqual([]);

    // Removing again is a no-op that rewrites nothing.
    const afterRemove = storeHashes(f.store);
    expect(expectOk(cli(f, ['recovery-key', f.home, 'remove']))).toMatchObject({ removed: 0, keyslotGeneration: 3 });
    expect(storeHashes(f.store)).toEqual(afterRemove);
    expectOpensWith(f, {});
    expectDataKept(before, storeHashes(f.store));
  });
});
