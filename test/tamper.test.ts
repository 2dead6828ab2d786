/**
 * Tamper evidence (DESIGN "The locker format", property 4): bit flips in every
 * kind of object, truncation, blobs swapped inside a pack, objects from another
 * locker, rollback of manifests and keyslots, and hostile KDF parameters. Each
 * must fail with an error that names the damaged object, must leave the home and
 * the store as they were, and must heal once the original object is put back.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvelockError, type ErrorInfo } from '../shared/errors.js';
import { parseRecoveryKey } from '../electron/core/crypto/recovery-key.js';
import { encodeKeyslots, type Credential, type Keyslot } from '../electron/core/locker/keyslots.js';
import { openRepository, readIndex } from '../electron/core/locker/repository.js';
import {
  changePassphrase, initLocker, lockerStatus, lockLocker, sealLocker, unlockLocker, verifyLocker, type EngineContext,
} from '../electron/core/service/lockers.js';
import { LocalStore } from '../electron/core/store/local-store.js';
import { idOf, packName } from '../electron/core/store/object-store.js';
import { cleanupTempDirs, makeRichTree, PASS, PASSPHRASE, snapshotTree, storeHashes, tempDir, testContext, type TreeEntry } from './helpers.js';

afterAll(cleanupTempDirs);

// ---------- fixtures ----------

interface Fixture {
  readonly ctx: EngineContext;
  /** The home's parent: holds only `home`, so leftovers of a failed unlock show up. */
  readonly parent: string;
  readonly home: string;
  readonly store: string;
  readonly recovery: Credential;
  /** The tree as it was locked. */
  readonly tree: Record<string, TreeEntry>;
}

/** A few small files (one chunk each), two of them the same size, in a folder or two. */
function smallTree(root: string): void {
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'a.txt'), 'alpha alpha alpha alpha\n');
  writeFileSync(join(root, 'b.txt'), 'bravo bravo bravo bravo\n'); // same size as a.txt
  writeFileSync(join(root, 'sub', 'c.md'), '# charlie\n'.repeat(40));
  writeFileSync(join(root, 'sub', 'deeper', 'd.bin'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff)));
  writeFileSync(join(root, 'e.txt'), 'echo\n');
}

async function newLocker(fill: (root: string) => void, options: { lock?: boolean } = {}): Promise<Fixture> {
  const parent = tempDir('envelock-tamper-');
  const home = join(parent, 'home');
  mkdirSync(home);
  fill(home);
  const tree = snapshotTree(home);
  const ctx = testContext();
  const store = join(tempDir('envelock-store-'), 'store');
  const { recoveryKey } = await initLocker(ctx, { folder: home, passphrase: PASSPHRASE, store });
  if (options.lock !== false) await lockLocker(ctx, home, PASS);
  return { ctx, parent, home, store, tree, recovery: { kind: 'recovery', key: parseRecoveryKey(recoveryKey) } };
}

const objectsUnder = (store: string, prefix: 'packs' | 'indexes' | 'manifests'): string[] =>
  Object.keys(storeHashes(store)).filter((name) => name.startsWith(`${prefix}/`)).sort();

function onlyObject(store: string, prefix: 'packs' | 'indexes' | 'manifests'): string {
  const names = objectsUnder(store, prefix);
  expect(names).toHaveLength(1);
  return names[0] as string;
}

const read = (f: Fixture, name: string): Buffer => readFileSync(join(f.store, name));
const write = (f: Fixture, name: string, bytes: Uint8Array): void => writeFileSync(join(f.store, name), bytes);

function flipBit(bytes: Buffer, at: number, mask = 0x01): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ mask;
  return copy;
}

/** The error or problem names the object: as its subject, or in its message. */
function expectNames(info: { subject?: string | undefined; message: string }, name: string): void {
  expect(`${info.subject ?? ''} | ${info.message}`).toContain(name);
}

async function failureOf(promise: Promise<unknown>): Promise<EnvelockError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(EnvelockError);
  return outcome.error as EnvelockError;
}

/**
 * Unlock fails with one of `codes`, naming `name`; the home stays empty, nothing
 * is left beside it, the store is untouched and the locker stays locked.
 */
async function expectUnlockRefused(f: Fixture, codes: readonly string[], name: string, credential: Credential = PASS): Promise<EnvelockError> {
  const storeBefore = storeHashes(f.store);
  const error = await failureOf(unlockLocker(f.ctx, f.home, credential));
  expect(codes, `${error.code}: ${error.message}`).toContain(error.code);
  expectNames(error, name);
  expect(readdirSync(f.home)).toEqual([]);
  expect(readdirSync(f.parent)).toEqual(['home']);
  expect(storeHashes(f.store)).toEqual(storeBefore);
  expect(lockerStatus(f.ctx, f.home)[0]?.state).toBe('locked');
  return error;
}

/** Verify reports ok:false with a problem that names `name`, with one of `codes`; it changes nothing. */
async function expectVerifyFlags(f: Fixture, codes: readonly string[], name: string, credential: Credential = PASS): Promise<ErrorInfo> {
  const storeBefore = storeHashes(f.store);
  const report = await verifyLocker(f.ctx, f.home, credential);
  expect(report.ok).toBe(false);
  const problem = report.problems.find((p) => `${p.subject ?? ''} | ${p.message}`.includes(name));
  expect(problem, JSON.stringify(report.problems)).toBeDefined();
  expect(codes, JSON.stringify(problem)).toContain(problem?.code);
  expect(storeHashes(f.store)).toEqual(storeBefore);
  return problem as ErrorInfo;
}

/** After the original is back: verify is clean, unlock brings back the exact tree. */
async function expectHealed(f: Fixture, tree: Record<string, TreeEntry> = f.tree): Promise<void> {
  const report = await verifyLocker(f.ctx, f.home, PASS);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  await unlockLocker(f.ctx, f.home, PASS);
  expect(snapshotTree(f.home)).toEqual(tree);
  expect(readdirSync(f.parent)).toEqual(['home']);
}

const CORRUPTED = ['OBJECT_CORRUPTED'] as const;

/** Prefixes an assertion failure with which damage it was about. */
function rethrowWith(context: string): (error: unknown) => never {
  return (error: unknown) => {
    if (error instanceof Error) error.message = `${context}: ${error.message}`;
    throw error;
  };
}

// ---------- bit flips ----------

type Kind = 'config' | 'keyslots' | 'pack' | 'index' | 'manifest';

interface FlipCase {
  readonly where: string;
  /** Byte offset in the object, from its length. */
  readonly at: (length: number) => number;
  readonly mask?: number;
  /** Codes unlock may fail with; undefined when unlock does not read that byte (verify must catch it). */
  readonly unlock: readonly string[] | undefined;
  readonly verify: readonly string[];
}

const HEADER_MAGIC = () => 0;
const HEADER_VERSION = () => 8;
const HEADER_KIND = () => 9;
const MIDDLE = (n: number) => Math.floor(n / 2);
const LAST = (n: number) => n - 1;
const both = (where: string, at: (n: number) => number, mask?: number): FlipCase => ({ where, at, ...(mask === undefined ? {} : { mask }), unlock: CORRUPTED, verify: CORRUPTED });

const FLIPS: Record<Kind, FlipCase[]> = {
  // header ‖ locker id (16) ‖ key commitment (32): no MAC, but the registry knows the id and every slot must reproduce the commitment.
  // (Its version byte is not tested: nothing can tell a flipped one from a newer format.)
  config: [both('header magic', HEADER_MAGIC), both('header kind', HEADER_KIND), both('locker id', () => 10 + 3), both('middle (key commitment)', MIDDLE), both('last byte (key commitment)', LAST)],
  // header ‖ locker id ‖ generation ‖ body length ‖ JSON ‖ HMAC; body positions have their own tests below.
  keyslots: [
    both('header magic', HEADER_MAGIC),
    both('header kind', HEADER_KIND),
    both('locker id', () => 10 + 7),
    both('generation', () => 10 + 16 + 3),
    both('first MAC byte', (n) => n - 32, 0x80),
    both('last byte (MAC)', LAST),
  ],
  // header ‖ blobs (ciphertext ‖ tag each); unlock reads only the blobs, so header damage is verify's to find.
  pack: [
    { where: 'header magic', at: HEADER_MAGIC, unlock: undefined, verify: CORRUPTED },
    { where: 'header version', at: HEADER_VERSION, unlock: undefined, verify: CORRUPTED },
    { where: 'header kind', at: HEADER_KIND, unlock: undefined, verify: CORRUPTED },
    both('first blob byte', () => 10),
    both('middle', MIDDLE),
    both('last byte (tag)', LAST),
  ],
  // header ‖ salt ‖ AES-GCM body ‖ tag, named by the SHA-256 of all of it.
  index: [both('header magic', HEADER_MAGIC), both('header version', HEADER_VERSION), both('header kind', HEADER_KIND), both('salt', () => 10 + 5), both('middle', MIDDLE), both('last byte (tag)', LAST)],
  manifest: [both('header magic', HEADER_MAGIC), both('header version', HEADER_VERSION), both('header kind', HEADER_KIND), both('salt', () => 10 + 5), both('middle', MIDDLE), both('last byte (tag)', LAST)],
};

function objectOf(f: Fixture, kind: Kind): string {
  if (kind === 'config' || kind === 'keyslots') return kind;
  return onlyObject(f.store, kind === 'pack' ? 'packs' : kind === 'index' ? 'indexes' : 'manifests');
}

describe('a flipped bit', () => {
  it.each(Object.keys(FLIPS) as Kind[])('in the %s object (header, middle, last byte) is caught and named', async (kind) => {
    const f = await newLocker(makeRichTree);
    const name = objectOf(f, kind);
    if (kind === 'pack') expect(name).toMatch(/^packs\/([0-9a-f]{2})\/\1[0-9a-f]{62}$/);
    const original = read(f, name);
    for (const c of FLIPS[kind]) {
      const at = c.at(original.length);
      write(f, name, flipBit(original, at, c.mask));
      const context = `${name} byte ${at} (${c.where})`;
      if (c.unlock !== undefined) await expectUnlockRefused(f, c.unlock, name).catch(rethrowWith(context));
      await expectVerifyFlags(f, c.verify, name).catch(rethrowWith(context));
      if (c.unlock === undefined) {
        // Unlock does not read this byte: it may succeed, but never with wrong content.
        const outcome = await unlockLocker(f.ctx, f.home, PASS).then(() => undefined, (error: unknown) => error);
        if (outcome === undefined) {
          expect(snapshotTree(f.home), context).toEqual(f.tree);
          await lockLocker(f.ctx, f.home, PASS);
        } else {
          expect(outcome, context).toBeInstanceOf(EnvelockError);
          expectNames(outcome as EnvelockError, name);
        }
      }
    }
    write(f, name, original);
    await expectHealed(f);
  });
});

// ---------- keyslots body ----------

interface KeyslotsLayout {
  readonly bodyAt: number;
  readonly body: Record<string, unknown> & { slots: Record<string, unknown>[] };
  readonly text: string;
}

function keyslotsLayout(bytes: Buffer): KeyslotsLayout {
  const bodyAt = 10 + 16 + 8;
  const length = bytes.readUInt32BE(10 + 16 + 4);
  const text = bytes.subarray(bodyAt, bodyAt + length).toString('utf8');
  return { bodyAt, text, body: JSON.parse(text) as KeyslotsLayout['body'] };
}

/** Offset in the keyslots object of a letter inside a slot's wrapped key (flipping 0x20 keeps it base64). */
function wrappedLetterAt(bytes: Buffer, slotType: 'passphrase' | 'recovery'): number {
  const { bodyAt, text, body } = keyslotsLayout(bytes);
  const slot = body.slots.find((s) => s.type === slotType);
  const wrapped = slot?.wrapped as string;
  const start = text.indexOf(`"wrapped":"${wrapped}"`) + '"wrapped":"'.length;
  const letter = [...wrapped].findIndex((ch, i) => i >= 20 && /[A-Za-z]/.test(ch));
  expect(letter).toBeGreaterThan(0);
  return bodyAt + start + letter;
}

describe('a flipped bit in the keyslots body', () => {
  it('in the recovery slot: the passphrase still unwraps, then the MAC check names keyslots', async () => {
    const f = await newLocker(smallTree);
    const original = read(f, 'keyslots');
    write(f, 'keyslots', flipBit(original, wrappedLetterAt(original, 'recovery'), 0x20));
    const error = await expectUnlockRefused(f, CORRUPTED, 'keyslots');
    expect(error.subject).toBe('keyslots');
    await expectVerifyFlags(f, CORRUPTED, 'keyslots');
    write(f, 'keyslots', original);
    await expectHealed(f);
  });

  it('in the passphrase slot: reads as a wrong passphrase (only the MAC could tell, and it needs the key); the recovery key names keyslots', async () => {
    const f = await newLocker(smallTree);
    const original = read(f, 'keyslots');
    write(f, 'keyslots', flipBit(original, wrappedLetterAt(original, 'passphrase'), 0x20));
    await expectUnlockRefused(f, ['WRONG_PASSPHRASE'], 'keyslots');
    // With the recovery key the master key is found, and the MAC exposes the damage.
    const error = await expectUnlockRefused(f, CORRUPTED, 'keyslots', f.recovery);
    expect(error.subject).toBe('keyslots');
    await expectVerifyFlags(f, CORRUPTED, 'keyslots', f.recovery);
    write(f, 'keyslots', original);
    await expectHealed(f);
  });

  it('in the JSON syntax, the body length or the middle: names keyslots', async () => {
    const f = await newLocker(smallTree);
    const original = read(f, 'keyslots');
    const { bodyAt } = keyslotsLayout(original);
    const cases: { at: number; mask: number; codes: readonly string[] }[] = [
      { at: bodyAt, mask: 0x01, codes: CORRUPTED }, // '{' → 'z'
      { at: bodyAt - 1, mask: 0x01, codes: ['OBJECT_CORRUPTED', 'OBJECT_TRUNCATED'] }, // body length ± 1
      { at: bodyAt - 4, mask: 0x80, codes: CORRUPTED }, // body length ≫ 64 KiB
      // The middle falls in the passphrase slot's wrapped key: a wrong passphrase as far as anyone can tell without the key.
      { at: MIDDLE(original.length), mask: 0x01, codes: ['OBJECT_CORRUPTED', 'WRONG_PASSPHRASE'] },
    ];
    for (const c of cases) {
      write(f, 'keyslots', flipBit(original, c.at, c.mask));
      const error = await expectUnlockRefused(f, c.codes, 'keyslots').catch(rethrowWith(`keyslots byte ${c.at}`));
      // Whenever the passphrase cannot tell, the recovery key finds the master key and the MAC names the damage.
      if (error.code === 'WRONG_PASSPHRASE') await expectUnlockRefused(f, CORRUPTED, 'keyslots', f.recovery);
    }
    write(f, 'keyslots', original);
    await expectHealed(f);
  });
});

// ---------- truncation and missing objects ----------

describe('truncation', () => {
  it('of a pack (last byte, half, inside the header) is named with OBJECT_TRUNCATED', async () => {
    const f = await newLocker(makeRichTree);
    const name = onlyObject(f.store, 'packs');
    const original = read(f, name);
    for (const length of [original.length - 1, Math.floor(original.length / 2), 5]) {
      write(f, name, original.subarray(0, length));
      await expectUnlockRefused(f, ['OBJECT_TRUNCATED'], name).catch(rethrowWith(`${length} bytes`));
      await expectVerifyFlags(f, ['OBJECT_TRUNCATED'], name).catch(rethrowWith(`${length} bytes`));
    }
    write(f, name, original);
    await expectHealed(f);
  });

  it('of a manifest is named (a sealed object carries no length, so a long cut reads as corrupted)', async () => {
    const f = await newLocker(makeRichTree);
    const name = onlyObject(f.store, 'manifests');
    const original = read(f, name);
    const cases: [number, readonly string[]][] = [
      [original.length - 1, ['OBJECT_TRUNCATED', 'OBJECT_CORRUPTED']],
      [Math.floor(original.length / 2), ['OBJECT_TRUNCATED', 'OBJECT_CORRUPTED']],
      [10 + 32 + 8, ['OBJECT_TRUNCATED']], // shorter than header ‖ salt ‖ tag
      [4, ['OBJECT_TRUNCATED']], // shorter than the header
      [0, ['OBJECT_TRUNCATED']],
    ];
    for (const [length, codes] of cases) {
      write(f, name, original.subarray(0, length));
      await expectUnlockRefused(f, codes, name).catch(rethrowWith(`${length} bytes`));
      await expectVerifyFlags(f, codes, name).catch(rethrowWith(`${length} bytes`));
    }
    write(f, name, original);
    await expectHealed(f);
  });

  it('of the keyslots and config objects is named', async () => {
    const f = await newLocker(smallTree);
    for (const name of ['keyslots', 'config']) {
      const original = read(f, name);
      write(f, name, original.subarray(0, original.length - 1));
      await expectUnlockRefused(f, ['OBJECT_TRUNCATED'], name);
      await expectVerifyFlags(f, ['OBJECT_TRUNCATED'], name);
      write(f, name, original);
    }
    await expectHealed(f);
  });

  it('a missing pack, index or keyslots object is named with OBJECT_MISSING', async () => {
    const f = await newLocker(smallTree);
    for (const name of [onlyObject(f.store, 'packs'), onlyObject(f.store, 'indexes'), 'keyslots']) {
      const aside = join(f.parent, '..', `aside-${idOf(name)}`);
      renameSync(join(f.store, name), aside);
      await expectUnlockRefused(f, ['OBJECT_MISSING'], name);
      await expectVerifyFlags(f, ['OBJECT_MISSING'], name);
      renameSync(aside, join(f.store, name));
    }
    await expectHealed(f);
  });
});

// ---------- reordering and objects from elsewhere ----------

describe('blobs and objects moved around', () => {
  it('two equal-length blobs swapped inside a pack are caught by authentication and named', async () => {
    const f = await newLocker(smallTree);
    const name = onlyObject(f.store, 'packs');
    const repo = await openRepository(new LocalStore(f.store), PASS);
    const entries = await readIndex(repo, idOf(onlyObject(f.store, 'indexes')));
    expect(entries).toHaveLength(1);
    const blobs = entries[0]?.blobs ?? [];
    expect(packName(entries[0]?.pack ?? '')).toBe(name);
    expect(blobs.length).toBeGreaterThanOrEqual(5);
    const [a, b] = blobs.filter((x) => blobs.filter((y) => y.length === x.length).length === 2);
    if (a === undefined || b === undefined) throw new Error('no two blobs of equal length (a.txt and b.txt should give them)');
    const original = read(f, name);
    const swapped = Buffer.from(original);
    original.copy(swapped, a.offset, b.offset, b.offset + b.length);
    original.copy(swapped, b.offset, a.offset, a.offset + a.length);
    expect(swapped.length).toBe(original.length);
    expect(swapped.equals(original)).toBe(false);
    write(f, name, swapped);

    const error = await expectUnlockRefused(f, CORRUPTED, name);
    expect(error.message).toMatch(/offset (\d+)/);
    await expectVerifyFlags(f, CORRUPTED, name);
    write(f, name, original);
    await expectHealed(f);
  });

  it('a pack of another locker (same files, same layout) put under this locker\'s pack name is named', async () => {
    const a = await newLocker(smallTree);
    const b = await newLocker(smallTree);
    const name = onlyObject(a.store, 'packs');
    const original = read(a, name);
    const foreign = read(b, onlyObject(b.store, 'packs'));
    // Same files and sizes give the same blob layout: only the keys tell the packs apart.
    expect(foreign.length).toBe(original.length);
    expect(foreign.equals(original)).toBe(false);
    write(a, name, foreign);
    await expectUnlockRefused(a, CORRUPTED, name);
    await expectVerifyFlags(a, CORRUPTED, name);
    write(a, name, original);
    await expectHealed(a);
  });

  it('a manifest or an index of another locker dropped into the store is named', async () => {
    const a = await newLocker(smallTree);
    const b = await newLocker(smallTree);
    const manifest = onlyObject(b.store, 'manifests');
    const index = onlyObject(b.store, 'indexes');
    expect(objectsUnder(a.store, 'manifests')).not.toContain(manifest);
    write(a, manifest, read(b, manifest));
    await expectUnlockRefused(a, CORRUPTED, manifest);
    await expectVerifyFlags(a, CORRUPTED, manifest);
    unlinkSync(join(a.store, manifest));
    // Unlock reads only the indexes its snapshot names; verify reads them all.
    write(a, index, read(b, index));
    await expectVerifyFlags(a, CORRUPTED, index);
    unlinkSync(join(a.store, index));
    await expectHealed(a);
  });
});

// ---------- rollback ----------

describe('rollback', () => {
  async function twoSnapshots(): Promise<{ f: Fixture; older: string; newer: string; copy: string; treeAfter: Record<string, TreeEntry> }> {
    const f = await newLocker(smallTree, { lock: false });
    await sealLocker(f.ctx, f.home, PASS);
    const older = onlyObject(f.store, 'manifests');
    const copy = join(tempDir('envelock-old-store-'), 'store');
    cpSync(f.store, copy, { recursive: true });
    writeFileSync(join(f.home, 'a.txt'), 'alpha, changed after the first snapshot\n');
    writeFileSync(join(f.home, 'new.txt'), 'new in snapshot two\n');
    const treeAfter = snapshotTree(f.home);
    await lockLocker(f.ctx, f.home, PASS);
    const newer = objectsUnder(f.store, 'manifests').find((m) => m !== older);
    expect(newer).toBeDefined();
    return { f, older, newer: newer as string, copy, treeAfter };
  }

  it('deleting the newest manifest, so an older one is the latest again, is detected and names the missing manifest', async () => {
    const { f, older, newer, treeAfter } = await twoSnapshots();
    expect(objectsUnder(f.store, 'manifests')).toEqual([older, newer].sort());
    const original = read(f, newer);
    unlinkSync(join(f.store, newer));
    await expectUnlockRefused(f, ['ROLLBACK_DETECTED'], newer);
    await expectVerifyFlags(f, ['ROLLBACK_DETECTED'], newer);
    write(f, newer, original);
    await expectHealed(f, treeAfter);
  });

  it('a full copy of the older store put back over the newer one is detected', async () => {
    const { f, newer, copy, treeAfter } = await twoSnapshots();
    const current = join(tempDir('envelock-new-store-'), 'store');
    renameSync(f.store, current);
    cpSync(copy, f.store, { recursive: true });
    await expectUnlockRefused(f, ['ROLLBACK_DETECTED'], newer);
    await expectVerifyFlags(f, ['ROLLBACK_DETECTED'], newer);
    rmSync(f.store, { recursive: true });
    renameSync(current, f.store);
    await expectHealed(f, treeAfter);
  });

  it('an older keyslots object put back after a passphrase change is detected', async () => {
    const f = await newLocker(smallTree);
    const old = read(f, 'keyslots');
    const newPass = 'a brand new passphrase for the locker';
    await changePassphrase(f.ctx, f.home, PASS, newPass);
    const current = read(f, 'keyslots');
    expect(current.equals(old)).toBe(false);
    write(f, 'keyslots', old);
    // The old passphrase opens the old keyslots, but this computer has seen a newer generation.
    const error = await expectUnlockRefused(f, ['ROLLBACK_DETECTED'], 'keyslots');
    expect(error.subject).toBe('keyslots');
    await expectVerifyFlags(f, ['ROLLBACK_DETECTED'], 'keyslots');
    // The new passphrase is not in the old keyslots at all.
    await expectUnlockRefused(f, ['WRONG_PASSPHRASE'], 'keyslots', { kind: 'passphrase', passphrase: newPass });
    write(f, 'keyslots', current);
    await unlockLocker(f.ctx, f.home, { kind: 'passphrase', passphrase: newPass });
    expect(snapshotTree(f.home)).toEqual(f.tree);
  });
});

// ---------- hostile KDF parameters ----------

describe('a keyslot asking for absurd KDF parameters', () => {
  function withPassphraseKdf(bytes: Buffer, change: (kdf: Record<string, unknown>) => void): Buffer {
    const { bodyAt, body } = keyslotsLayout(bytes);
    const slot = body.slots.find((s) => s.type === 'passphrase') as { kdf: Record<string, unknown> };
    change(slot.kdf);
    const json = Buffer.from(JSON.stringify(body), 'utf8');
    const fixed = Buffer.from(bytes.subarray(0, bodyAt));
    fixed.writeUInt32BE(json.length, bodyAt - 4);
    // The old MAC stays: it is checked only after a slot unwraps, so the parameter check must come first.
    return Buffer.concat([fixed, json, bytes.subarray(bytes.length - 32)]);
  }

  it('64 GiB of memory is refused with KDF_PARAMS_REFUSED before anything is allocated', async () => {
    const f = await newLocker(smallTree);
    const original = read(f, 'keyslots');
    write(f, 'keyslots', withPassphraseKdf(original, (kdf) => (kdf.memoryKiB = 64 * 1024 * 1024)));
    const rssBefore = process.memoryUsage().rss;
    const error = await expectUnlockRefused(f, ['KDF_PARAMS_REFUSED'], 'keyslots');
    expect(error.subject).toMatch(/^keyslots\b/);
    // The recovery key does not make a hostile keyslots object acceptable either.
    await expectUnlockRefused(f, ['KDF_PARAMS_REFUSED'], 'keyslots', f.recovery);
    await expectVerifyFlags(f, ['KDF_PARAMS_REFUSED'], 'keyslots');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 1024 * 1024);
    write(f, 'keyslots', original);
    await expectHealed(f);
  });

  it('other out-of-range parameters are refused too, even in a keyslots object with a valid MAC', async () => {
    const f = await newLocker(smallTree);
    const original = read(f, 'keyslots');
    const repo = await openRepository(new LocalStore(f.store), PASS);
    const hostile: [string, (kdf: Record<string, unknown>) => void][] = [
      ['memory 64 GiB', (k) => (k.memoryKiB = 64 * 1024 * 1024)],
      ['memory 2^53 KiB', (k) => (k.memoryKiB = Number.MAX_SAFE_INTEGER)],
      ['memory as a string', (k) => (k.memoryKiB = '131072')],
      ['memory below the floor', (k) => (k.memoryKiB = 1024)],
      ['a billion iterations', (k) => (k.iterations = 1_000_000_000)],
      ['fractional iterations', (k) => (k.iterations = 3.5)],
      ['a million lanes', (k) => (k.parallelism = 1_000_000)],
      ['zero lanes', (k) => (k.parallelism = 0)],
      ['another algorithm', (k) => (k.algorithm = 'argon2d')],
      ['a 64-byte salt', (k) => (k.salt = Buffer.alloc(64, 7).toString('base64'))],
    ];
    const rssBefore = process.memoryUsage().rss;
    for (const [what, change] of hostile) {
      // Stale MAC, as an attacker without the key would write it.
      write(f, 'keyslots', withPassphraseKdf(original, change));
      const stale = await failureOf(unlockLocker(f.ctx, f.home, PASS));
      expect([stale.code, what]).toEqual(['KDF_PARAMS_REFUSED', what]);
      expectNames(stale, 'keyslots');
    }
    // A valid MAC (as someone holding the master key would write it) changes nothing.
    const slots = repo.keyslots.slots.map((s): Keyslot => (s.type === 'passphrase' ? { ...s, kdf: { ...s.kdf, memoryKiB: 64 * 1024 * 1024 } } : s));
    write(f, 'keyslots', encodeKeyslots({ generation: repo.keyslots.generation, slots }, repo.config.lockerId, repo.keys.keyslotsMacKey));
    await expectUnlockRefused(f, ['KDF_PARAMS_REFUSED'], 'keyslots');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 1024 * 1024);
    write(f, 'keyslots', original);
    await expectHealed(f);
  });
});
