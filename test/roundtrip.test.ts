/**
 * Round trips over every kind of entry a home folder can hold, through the
 * engine API. After lock the home holds nothing and no store object carries a
 * file or folder name or any 16-byte run of any file's content; after unlock
 * the tree is identical (content, modes, times, empty folders, links). Also:
 * big files, dedupe, older snapshots, no-op seals and the refusals.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync, existsSync, lstatSync, lutimesSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync,
  symlinkSync, utimesSync, writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvelockError, type ErrorCode } from '../shared/errors.js';
import { openRepository, listSnapshots } from '../electron/core/locker/repository.js';
import type { FileEntry } from '../electron/core/locker/manifest.js';
import { LocalStore } from '../electron/core/store/local-store.js';
import {
  initLocker, listLockerSnapshots, lockerStatus, lockLocker, restoreLocker, sealLocker, unlockLocker, type EngineContext,
} from '../electron/core/service/lockers.js';
import { cleanupTempDirs, PASS, PASSPHRASE, snapshotTree, tempDir, testContext, type TreeEntry } from './helpers.js';

afterAll(cleanupTempDirs);

const MiB = 1024 * 1024;

// ---------- fixtures local to this file ----------

interface Locker {
  readonly ctx: EngineContext;
  readonly warnings: string[];
  readonly home: string;
  readonly store: string;
}

/** A fresh config folder, an empty home (given name) and a store beside it, with a locker created over them. */
async function newLocker(homeName = 'my-private-home'): Promise<Locker> {
  const base = realpathSync(tempDir('envelock-rt-'));
  const home = join(base, homeName);
  mkdirSync(home);
  const store = join(base, 'store');
  const warnings: string[] = [];
  const ctx: EngineContext = { ...testContext(), warn: (message) => warnings.push(message) };
  await initLocker(ctx, { folder: home, passphrase: PASSPHRASE, store });
  return { ctx, warnings, home, store };
}

async function rejection(promise: Promise<unknown>, code: ErrorCode): Promise<EnvelockError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(EnvelockError);
  expect((error as EnvelockError).code).toBe(code);
  return error as EnvelockError;
}

/** Every object in the store (any file under it), by its path relative to the store. */
function storeObjects(store: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(join(dir, name));
      if (st.isDirectory()) walk(join(dir, name), path);
      else out.set(path, readFileSync(join(dir, name)));
    }
  };
  walk(store, '');
  return out;
}

/** Path → size of every store object: equal listings mean nothing was written. */
function storeListing(store: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, bytes] of storeObjects(store)) out[name] = bytes.length;
  return out;
}

function bytesUnder(store: string, prefix: string): number {
  let total = 0;
  for (const [name, size] of Object.entries(storeListing(store))) if (name.startsWith(prefix)) total += size;
  return total;
}

const WINDOW = 16;

/**
 * Exact leak search: every 16-byte window (at every offset) of every plaintext
 * is a key; every offset of every object is looked up. Names are searched as
 * UTF-8 bytes. Returns one line per leak found.
 */
function findLeaks(objects: ReadonlyMap<string, Buffer>, plaintexts: readonly Buffer[], names: readonly string[]): string[] {
  const windows = new Set<string>();
  for (const p of plaintexts) for (let i = 0; i + WINDOW <= p.length; i++) windows.add(p.toString('latin1', i, i + WINDOW));
  const needles = names.map((n) => Buffer.from(n, 'utf8'));
  const leaks: string[] = [];
  for (const [object, bytes] of objects) {
    for (let i = 0; i + WINDOW <= bytes.length; i++) {
      if (windows.has(bytes.toString('latin1', i, i + WINDOW))) {
        leaks.push(`${object} holds 16 plaintext bytes at offset ${i}`);
        break;
      }
    }
    for (const needle of needles) {
      if (bytes.indexOf(needle) >= 0 || Buffer.from(object, 'utf8').indexOf(needle) >= 0) leaks.push(`${object} holds the name ${JSON.stringify(needle.toString('utf8'))}`);
    }
  }
  return leaks;
}

/** Every name (path segment) and link target of a tree of at least 4 UTF-8 bytes. */
function namesOf(tree: Record<string, TreeEntry>): string[] {
  const names = new Set<string>();
  for (const [path, entry] of Object.entries(tree)) {
    for (const segment of path.split('/')) names.add(segment);
    if (entry.target !== undefined) names.add(entry.target);
  }
  return [...names].filter((n) => Buffer.byteLength(n, 'utf8') >= 4);
}

/** Regular file contents under a folder (never opens anything else). */
function contentsUnder(root: string): Buffer[] {
  const out: Buffer[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const st = lstatSync(join(dir, name));
      if (st.isDirectory()) walk(join(dir, name));
      else if (st.isFile()) out.push(readFileSync(join(dir, name)));
    }
  };
  walk(root);
  return out;
}


/** Text that cannot be mistaken for store metadata, at least `bytes` long. */
function prose(seed: string, bytes: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; Buffer.byteLength(lines.join('\n')) < bytes; i++) lines.push(`${seed} line ${i}: the quick brown fox ${createHash('sha256').update(`${seed}${i}`).digest('hex')}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

// Times written as strings: Node turns a negative *number* into "now".
const TIMES = {
  precise: '1234567890.123456',
  before1970: '-315619199.876543',
  future: '4102444800.000001',
  epoch: '0',
};

/** Names at the OS limit: 255 bytes of UTF-8 in one path segment. */
const NAME_255_TWO_BYTE = `${'é'.repeat(127)}x`;
const NAME_255_FOUR_BYTE = `${'📁'.repeat(63)}xyz`;
const NAME_255_ASCII = `${'n'.repeat(251)}.txt`;

/**
 * Every kind of entry, about 1.3 MiB of content in all (so the exact leak
 * search stays cheap). Returns the content of a file outside the home that a
 * link points at, which must never be read into the store.
 */
function makeKindsTree(home: string, outside: string): Buffer {
  const at = (...parts: string[]) => join(home, ...parts);
  const outsideSecret = randomBytes(64 * 1024);
  writeFileSync(join(outside, 'outside-secret.bin'), outsideSecret);
  mkdirSync(join(outside, 'outside-folder'));
  writeFileSync(join(outside, 'outside-folder', 'outside-folder-file.txt'), prose('outside folder', 2000));

  // Regular files, nested folders, empty files and folders.
  mkdirSync(at('Documents', 'Nested Folder', 'Deeper Level'), { recursive: true });
  writeFileSync(at('Documents', 'quarterly-report.txt'), prose('quarterly report', 3000));
  writeFileSync(at('Documents', 'photo-raw.bin'), randomBytes(700 * 1024));
  writeFileSync(at('Documents', 'Nested Folder', 'Deeper Level', 'deepest-note.md'), prose('deepest note', 500));
  writeFileSync(at('Documents', 'Nested Folder', 'archive-part.bin'), randomBytes(500 * 1024 + 13));
  writeFileSync(at('zero-bytes-file'), '');
  writeFileSync(at('Documents', 'Nested Folder', 'another-empty-file'), '');
  writeFileSync(at('tiny-file'), 'x');
  mkdirSync(at('Empty Folder'));
  mkdirSync(at('Empty Chain', 'level-one', 'level-two'), { recursive: true });
  writeFileSync(at('.hidden-settings'), prose('hidden settings', 200));
  writeFileSync(at('-leading-dash'), prose('leading dash', 100));

  // Unicode: composed and decomposed spellings are different names and both stay.
  mkdirSync(at('Ünïcödé Földer 文件夹'));
  writeFileSync(at('Ünïcödé Földer 文件夹', '日本語のファイル.txt'), prose('japanese name', 300));
  writeFileSync(at('Ünïcödé Földer 文件夹', 'caf\u00e9 composed.txt'), prose('composed', 120));
  writeFileSync(at('Ünïcödé Földer 文件夹', 'cafe\u0301 decomposed.txt'), prose('decomposed', 140));
  writeFileSync(at('emoji 🗝️ name.txt'), prose('emoji', 90));
  writeFileSync(at('line\nbreak and\ttab.txt'), prose('control characters', 80));
  writeFileSync(at('back\\slash name.txt'), prose('backslash', 70));

  // Names of exactly 255 bytes (the usual NAME_MAX), as files and as a folder.
  writeFileSync(at(NAME_255_TWO_BYTE), prose('two-byte long name', 60));
  writeFileSync(at(NAME_255_ASCII), prose('ascii long name', 60));
  mkdirSync(at(NAME_255_FOUR_BYTE));
  writeFileSync(at(NAME_255_FOUR_BYTE, 'inside-long-folder.txt'), prose('inside long folder', 60));

  // Mode bits, including setuid/setgid/sticky and a read-only folder with content.
  writeFileSync(at('run-me.sh'), '#!/bin/sh\necho "run me, I am a script"\n');
  chmodSync(at('run-me.sh'), 0o755);
  writeFileSync(at('private-key.pem'), prose('private key', 400));
  chmodSync(at('private-key.pem'), 0o600);
  writeFileSync(at('readonly-doc.txt'), prose('read only document', 150));
  chmodSync(at('readonly-doc.txt'), 0o444);
  writeFileSync(at('setuid-tool'), prose('setuid tool', 50));
  chmodSync(at('setuid-tool'), 0o4755);
  writeFileSync(at('setgid-shared'), prose('setgid shared', 50));
  chmodSync(at('setgid-shared'), 0o2640);
  mkdirSync(at('Sticky Dropbox'));
  writeFileSync(at('Sticky Dropbox', 'dropped-file.txt'), prose('dropped', 50));
  chmodSync(at('Sticky Dropbox'), 0o1777);
  mkdirSync(at('Private Folder'));
  chmodSync(at('Private Folder'), 0o700);
  mkdirSync(at('Read Only Folder'));
  writeFileSync(at('Read Only Folder', 'inside-read-only.txt'), prose('inside read only', 80));

  // Links: inside, to a folder, dangling, absolute outside, a loop. None is followed.
  symlinkSync('Documents/quarterly-report.txt', at('link-to-report'));
  symlinkSync('Documents', at('link-to-documents'));
  symlinkSync('../no/such/target-anywhere', at('Documents', 'dangling-link'));
  symlinkSync(join(outside, 'outside-secret.bin'), at('absolute-outside-link'));
  symlinkSync(join(outside, 'outside-folder'), at('outside-folder-link'));
  symlinkSync('loop-link-second', at('loop-link-first'));
  symlinkSync('loop-link-first', at('loop-link-second'));

  // Times: sub-second, before 1970, far future, the epoch; links and folders too.
  utimesSync(at('Documents', 'quarterly-report.txt'), TIMES.precise, TIMES.precise);
  utimesSync(at('readonly-doc.txt'), TIMES.before1970, TIMES.before1970);
  utimesSync(at('tiny-file'), TIMES.future, TIMES.future);
  utimesSync(at('zero-bytes-file'), TIMES.epoch, TIMES.epoch);
  lutimesSync(at('link-to-report'), TIMES.precise, TIMES.precise);
  lutimesSync(at('absolute-outside-link'), TIMES.before1970, TIMES.before1970);
  return outsideSecret;
}

/** Sets folder times last (creating entries changes their parent's time), deepest first. */
function setFolderTimes(home: string): void {
  utimesSync(join(home, 'Empty Chain', 'level-one', 'level-two'), TIMES.before1970, TIMES.before1970);
  utimesSync(join(home, 'Empty Folder'), TIMES.precise, TIMES.precise);
  utimesSync(join(home, 'Documents', 'Nested Folder'), TIMES.future, TIMES.future);
  chmodSync(join(home, 'Read Only Folder'), 0o555);
}

function startSocket(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

function homeIsEmpty(home: string): boolean {
  return readdirSync(home).length === 0;
}

/** Leftovers of an unlock (its temp folder) beside the home. */
function unlockLeftovers(home: string): string[] {
  return readdirSync(dirname(home)).filter((n) => n.includes('envelock-unlock'));
}

// ---------- the tests ----------

describe('lock and unlock round trip over every file kind', () => {
  it('leaves no plaintext in the home and nothing readable in the store, then restores the tree exactly', async () => {
    const { ctx, warnings, home, store } = await newLocker();
    const outside = realpathSync(tempDir('envelock-outside-'));
    const outsideSecret = makeKindsTree(home, outside);
    // Special files: skipped with a warning, never stored.
    mkdirSync(join(home, 'Special Files'));
    const fifo = spawnSync('mkfifo', [join(home, 'Special Files', 'named-pipe')]);
    expect(fifo.status, `mkfifo: ${fifo.stderr?.toString() ?? ''}`).toBe(0);
    const server = await startSocket(join(home, 'app-socket.sock'));
    try {
      setFolderTimes(home);
      expect(lstatSync(join(home, 'Special Files', 'named-pipe')).isFIFO()).toBe(true);
      expect(lstatSync(join(home, 'app-socket.sock')).isSocket()).toBe(true);
      for (const name of [NAME_255_TWO_BYTE, NAME_255_FOUR_BYTE, NAME_255_ASCII]) expect(Buffer.byteLength(name, 'utf8')).toBe(255);

      const before = snapshotTree(home);
      const plaintexts = contentsUnder(home);
      const names = [...namesOf(before), 'Special Files', 'named-pipe', 'app-socket.sock', basename(home), 'outside-secret.bin', 'outside-folder-file.txt'];
      const outsideFolderFile = readFileSync(join(outside, 'outside-folder', 'outside-folder-file.txt'));
      expect(plaintexts.reduce((n, p) => n + p.length, 0)).toBeLessThan(2 * MiB);
      // The search can fail: run over the home itself it finds every file of 16 bytes or more, and names.
      const homeLeaks = findLeaks(new Map(plaintexts.map((p, i) => [`plain-${i}`, p])), plaintexts, []);
      expect(homeLeaks.length).toBe(plaintexts.filter((p) => p.length >= WINDOW).length);
      expect(findLeaks(new Map([['x', Buffer.from(`a ${NAME_255_FOUR_BYTE} b`)]]), [], names)).not.toEqual([]);

      const locked = await lockLocker(ctx, home, PASS);
      expect(locked.changed).toBe(true);
      expect(locked.snapshot.seq).toBe(1);
      const entries = Object.values(before);
      expect(locked.snapshot.files).toBe(entries.filter((e) => e.type === 'file').length);
      expect(locked.snapshot.folders).toBe(entries.filter((e) => e.type === 'dir').length);

      // The home holds nothing at all; special files were reported, not stored.
      expect(readdirSync(home)).toEqual([]);
      expect(existsSync(home)).toBe(true);
      expect(unlockLeftovers(home)).toEqual([]);
      expect(warnings.some((w) => w.includes('Special Files/named-pipe'))).toBe(true);
      expect(warnings.some((w) => w.includes('app-socket.sock'))).toBe(true);
      expect(lockerStatus(ctx, home)[0]?.state).toBe('locked');

      // Links were not followed out of the home: the targets are untouched and not in the store.
      expect(readFileSync(join(outside, 'outside-secret.bin')).equals(outsideSecret)).toBe(true);
      expect(readFileSync(join(outside, 'outside-folder', 'outside-folder-file.txt')).equals(outsideFolderFile)).toBe(true);

      const objects = storeObjects(store);
      expect([...objects.keys()].some((n) => n.startsWith('packs/'))).toBe(true);
      expect([...objects.keys()].some((n) => n.startsWith('manifests/'))).toBe(true);
      expect(findLeaks(objects, [...plaintexts, outsideSecret, outsideFolderFile], names)).toEqual([]);

      const unlocked = await unlockLocker(ctx, home, PASS);
      expect(unlocked.files).toBe(locked.snapshot.files);
      expect(snapshotTree(home)).toEqual(before);
      expect(lockerStatus(ctx, home)[0]?.state).toBe('unlocked');
      expect(unlockLeftovers(home)).toEqual([]);
      expect(readFileSync(join(outside, 'outside-secret.bin')).equals(outsideSecret)).toBe(true);
      // The links still point where they pointed, out of the home included.
      expect(readlinkSync(join(home, 'absolute-outside-link'))).toBe(join(outside, 'outside-secret.bin'));
      expect(lstatSync(join(home, 'loop-link-first')).isSymbolicLink()).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('carries files over 4 MiB (several chunks, past the read buffer) and a 0-byte file', async () => {
    const { ctx, home, store } = await newLocker();
    const sizes = {
      'zero.bin': 0,
      'one-byte.bin': 1,
      'exactly-4MiB.bin': 4 * MiB,
      '4MiB-plus-one.bin': 4 * MiB + 1,
      'seventeen-MiB.bin': 17 * MiB + 3,
    };
    for (const [name, size] of Object.entries(sizes)) writeFileSync(join(home, name), randomBytes(size));
    writeFileSync(join(home, 'nine-MiB-of-zeros.bin'), Buffer.alloc(9 * MiB));
    const before = snapshotTree(home);

    await lockLocker(ctx, home, PASS);
    expect(homeIsEmpty(home)).toBe(true);

    const repo = await openRepository(new LocalStore(store), PASS);
    const [snapshot] = await listSnapshots(repo);
    const byName = new Map((snapshot?.manifest.entries ?? []).filter((e): e is FileEntry => e.type === 'file').map((e) => [e.path, e]));
    expect(byName.get('zero.bin')).toMatchObject({ size: 0, chunks: [] });
    expect(byName.get('seventeen-MiB.bin')?.size).toBe(17 * MiB + 3);
    expect(byName.get('seventeen-MiB.bin')?.chunks.length).toBeGreaterThanOrEqual(5); // no chunk exceeds 4 MiB
    expect(byName.get('4MiB-plus-one.bin')?.chunks.length).toBeGreaterThanOrEqual(2);
    expect(byName.get('nine-MiB-of-zeros.bin')?.chunks.length).toBeGreaterThanOrEqual(3);

    await unlockLocker(ctx, home, PASS);
    expect(snapshotTree(home)).toEqual(before);
  });

  it('stores two identical 2 MiB files once', async () => {
    const content = randomBytes(2 * MiB);
    const single = await newLocker();
    writeFileSync(join(single.home, 'only-copy.bin'), content);
    await sealLocker(single.ctx, single.home, PASS);

    const twice = await newLocker();
    mkdirSync(join(twice.home, 'Elsewhere'));
    writeFileSync(join(twice.home, 'first-copy.bin'), content);
    writeFileSync(join(twice.home, 'Elsewhere', 'second-copy.bin'), content);
    const sealed = await sealLocker(twice.ctx, twice.home, PASS);
    expect(sealed.bytesRead).toBe(4 * MiB);

    const singlePacks = bytesUnder(single.store, 'packs/');
    const twicePacks = bytesUnder(twice.store, 'packs/');
    expect(singlePacks).toBeGreaterThan(2 * MiB);
    // Chunk boundaries are keyed per locker, so allow a few chunk tags and a pack header of difference.
    expect(Math.abs(twicePacks - singlePacks)).toBeLessThan(4096);
    expect(sealed.bytesStored).toBeLessThan(2 * MiB + 4096);

    // A third copy adds no pack at all.
    const packsBefore = Object.keys(storeListing(twice.store)).filter((n) => n.startsWith('packs/'));
    writeFileSync(join(twice.home, 'third-copy.bin'), content);
    const again = await sealLocker(twice.ctx, twice.home, PASS);
    expect(again.changed).toBe(true);
    expect(again.filesRead).toBe(1);
    expect(again.bytesStored).toBe(0);
    expect(Object.keys(storeListing(twice.store)).filter((n) => n.startsWith('packs/'))).toEqual(packsBefore);
    expect(bytesUnder(twice.store, 'packs/')).toBe(twicePacks);
  });

  it('restores an older snapshot into another folder', async () => {
    const { ctx, home } = await newLocker();
    mkdirSync(join(home, 'Projects', 'alpha'), { recursive: true });
    writeFileSync(join(home, 'Projects', 'alpha', 'plan.txt'), prose('plan v1', 400));
    writeFileSync(join(home, 'to-be-deleted.txt'), prose('deleted later', 200));
    writeFileSync(join(home, 'becomes-a-link.txt'), prose('becomes a link', 100));
    writeFileSync(join(home, 'big-v1.bin'), randomBytes(MiB + 5));
    utimesSync(join(home, 'Projects', 'alpha'), TIMES.precise, TIMES.precise);
    const v1 = snapshotTree(home);
    const first = await sealLocker(ctx, home, PASS);
    expect(first.changed).toBe(true);

    writeFileSync(join(home, 'Projects', 'alpha', 'plan.txt'), prose('plan v2, longer now', 900));
    rmSync(join(home, 'to-be-deleted.txt'));
    rmSync(join(home, 'becomes-a-link.txt'));
    symlinkSync('Projects/alpha/plan.txt', join(home, 'becomes-a-link.txt'));
    mkdirSync(join(home, 'New Empty Folder'));
    chmodSync(join(home, 'Projects'), 0o711);
    writeFileSync(join(home, 'big-v1.bin'), randomBytes(MiB + 5));
    const v2 = snapshotTree(home);
    const second = await sealLocker(ctx, home, PASS);
    expect(second.changed).toBe(true);
    expect(second.snapshot.seq).toBe(2);
    expect(second.snapshot.parents).toEqual([first.snapshot.id]);

    const snapshots = await listLockerSnapshots(ctx, home, PASS);
    expect(snapshots.map((s) => s.seq)).toEqual([1, 2]);

    const older = join(tempDir(), 'restored-v1');
    const restored = await restoreLocker(ctx, home, PASS, { to: older, snapshot: first.snapshot.id });
    expect(restored.snapshot?.id).toBe(first.snapshot.id);
    expect(snapshotTree(older)).toEqual(v1);

    const latest = join(tempDir(), 'restored-latest');
    await restoreLocker(ctx, home, PASS, { to: latest });
    expect(snapshotTree(latest)).toEqual(v2);

    // Restoring never writes into a folder that holds something, nor touches the home.
    await rejection(restoreLocker(ctx, home, PASS, { to: older, snapshot: '1' }), 'TARGET_NOT_EMPTY');
    expect(snapshotTree(home)).toEqual(v2);
  });

  it('writes no new snapshot when nothing changed (seal, lock, and again after an unlock)', async () => {
    const { ctx, home, store } = await newLocker();
    mkdirSync(join(home, 'Some Folder', 'Empty Inside'), { recursive: true });
    writeFileSync(join(home, 'Some Folder', 'unchanging.txt'), prose('unchanging', 5000));
    symlinkSync('Some Folder/unchanging.txt', join(home, 'link-to-unchanging'));
    // Nanosecond times, which unlock can restore only to the microsecond.
    for (const path of ['Some Folder/unchanging.txt', 'link-to-unchanging', 'Some Folder/Empty Inside', 'Some Folder']) {
      const touched = spawnSync('touch', ['-h', '-d', '@1577836800.123456789', join(home, path)], { encoding: 'utf8' });
      expect(touched.status, touched.stderr).toBe(0);
    }
    expect(lstatSync(join(home, 'Some Folder'), { bigint: true }).mtimeNs % 1000n).toBe(789n);
    const before = snapshotTree(home);
    const first = await sealLocker(ctx, home, PASS);
    expect(first.changed).toBe(true);
    const listing = storeListing(store);

    const second = await sealLocker(ctx, home, PASS);
    expect(second.changed).toBe(false);
    expect(second.snapshot.id).toBe(first.snapshot.id);
    expect(second.bytesStored).toBe(0);
    expect(storeListing(store)).toEqual(listing);

    const locked = await lockLocker(ctx, home, PASS);
    expect(locked.changed).toBe(false);
    expect(locked.snapshot.id).toBe(first.snapshot.id);
    expect(storeListing(store)).toEqual(listing);
    expect(homeIsEmpty(home)).toBe(true);

    await unlockLocker(ctx, home, PASS);
    expect(snapshotTree(home)).toEqual(before);

    // Unlocked and untouched: neither a seal nor a lock writes anything.
    const afterUnlock = await sealLocker(ctx, home, PASS);
    expect(afterUnlock.changed).toBe(false);
    expect(afterUnlock.snapshot.id).toBe(first.snapshot.id);
    const relocked = await lockLocker(ctx, home, PASS);
    expect(relocked.changed).toBe(false);
    expect(relocked.snapshot.id).toBe(first.snapshot.id);
    expect(storeListing(store)).toEqual(listing);
    expect(homeIsEmpty(home)).toBe(true);
    await unlockLocker(ctx, home, PASS);
    expect(snapshotTree(home)).toEqual(before);
  });

  it('refuses: lock when locked, unlock with a wrong passphrase or into a non-empty home; changes nothing', async () => {
    const { ctx, home, store } = await newLocker();
    mkdirSync(join(home, 'Keep Me'));
    writeFileSync(join(home, 'Keep Me', 'precious.txt'), prose('precious', 3000));
    writeFileSync(join(home, 'precious.bin'), randomBytes(300 * 1024));
    const before = snapshotTree(home);
    await lockLocker(ctx, home, PASS);
    expect(homeIsEmpty(home)).toBe(true);
    const listing = storeListing(store);
    const status = lockerStatus(ctx, home)[0];

    await rejection(lockLocker(ctx, home, PASS), 'ALREADY_LOCKED');
    await rejection(sealLocker(ctx, home, PASS), 'NOT_UNLOCKED');

    await rejection(unlockLocker(ctx, home, { kind: 'passphrase', passphrase: 'not the right passphrase' }), 'WRONG_PASSPHRASE');
    expect(homeIsEmpty(home)).toBe(true);
    expect(unlockLeftovers(home)).toEqual([]);

    writeFileSync(join(home, 'stray-file.txt'), 'not part of the locker\n');
    const strayMtime = statSync(join(home, 'stray-file.txt')).mtimeMs;
    await rejection(unlockLocker(ctx, home, PASS), 'HOME_NOT_EMPTY');
    expect(readdirSync(home)).toEqual(['stray-file.txt']);
    expect(readFileSync(join(home, 'stray-file.txt'), 'utf8')).toBe('not part of the locker\n');
    expect(statSync(join(home, 'stray-file.txt')).mtimeMs).toBe(strayMtime);
    expect(unlockLeftovers(home)).toEqual([]);

    // None of the refusals wrote to the store or moved the locker's state.
    expect(storeListing(store)).toEqual(listing);
    expect(lockerStatus(ctx, home)[0]).toEqual(status);

    rmSync(join(home, 'stray-file.txt'));
    await unlockLocker(ctx, home, PASS);
    expect(snapshotTree(home)).toEqual(before);
    await rejection(unlockLocker(ctx, home, PASS), 'ALREADY_UNLOCKED');
  });
});

// ---------- paths at and past the OS's path limit ----------

const PATH_MAX = 4096;

/** Snapshot of a tree that may be deeper than PATH_MAX: walks by changing directory, one level at a time. */
function snapshotDeep(root: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const start = process.cwd();
  const walk = (rel: string) => {
    for (const name of readdirSync('.').sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(name, { bigint: true });
      const base = { mode: Number(st.mode & 0o7777n), mtimeUs: Number(st.mtimeNs / 1000n) };
      if (st.isDirectory()) {
        out[path] = { type: 'dir', ...base };
        process.chdir(name);
        walk(path);
        process.chdir('..');
      } else if (st.isSymbolicLink()) {
        out[path] = { type: 'symlink', mode: 0, mtimeUs: base.mtimeUs, target: readlinkSync(name) };
      } else {
        out[path] = { type: 'file', ...base, sha256: createHash('sha256').update(readFileSync(name)).digest('hex') };
      }
    }
  };
  try {
    process.chdir(root);
    walk('');
  } finally {
    process.chdir(start);
  }
  return out;
}

/** Removes a folder that may hold paths longer than PATH_MAX (rm walks by descriptor). */
function removeDeep(path: string): void {
  spawnSync('rm', ['-rf', path]);
}

describe('paths at and past PATH_MAX', () => {
  it('round-trips a file whose absolute path is exactly the longest the OS accepts (4095 bytes)', async () => {
    const { ctx, home } = await newLocker('h');
    // Folders of up to 250 bytes, then a file name of 200 or 201 bytes: 4095 bytes in all.
    let dir = home;
    let room = PATH_MAX - 1 - Buffer.byteLength(home) - 201;
    for (let level = 1; room >= 2; level++) {
      const length = room >= 253 ? 250 : room - 1;
      dir = join(dir, `${String(level).padStart(2, '0')}${'p'.repeat(length - 2)}`);
      room -= length + 1;
    }
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'f'.repeat(200 + room));
    expect(Buffer.byteLength(file)).toBe(PATH_MAX - 1);
    writeFileSync(file, prose('at the limit', 100));
    const before = snapshotTree(home);

    await lockLocker(ctx, home, PASS);
    expect(homeIsEmpty(home)).toBe(true);
    await unlockLocker(ctx, home, PASS);
    expect(snapshotTree(home)).toEqual(before);
  });

  it('refuses a folder tree deeper than 4096 bytes with a clear error, removing nothing', async ({ skip }) => {
    // Such a tree can only be made one level at a time (cd -P, *at() calls); Node has no
    // descriptor-relative file calls, so the engine's limit is the OS's PATH_MAX per path.
    const { ctx, home } = await newLocker();
    const script = 'cd "$1" && i=0 && while [ $i -lt 22 ]; do i=$((i+1)); d="deep-$(printf %02d $i)-$2"; mkdir "$d" && cd -P "$d" || exit 1; ' +
      'if [ $i -eq 11 ]; then printf "halfway down\\n" > halfway-file.txt; fi; done && printf "at the bottom\\n" > bottom-file.txt && mkdir empty-at-bottom && pwd -P';
    const made = spawnSync('sh', ['-c', script, 'sh', home, 'd'.repeat(192)], { encoding: 'utf8' });
    try {
      if (made.status !== 0) skip(`this OS does not allow a path that deep: ${made.stderr}`);
      expect(Buffer.byteLength(made.stdout.trim())).toBeGreaterThan(PATH_MAX);
      const before = snapshotDeep(home);
      expect(Object.keys(before).some((p) => p.endsWith('/bottom-file.txt'))).toBe(true);

      await rejection(lockLocker(ctx, home, PASS), 'PATH_TOO_LONG');
      expect(snapshotDeep(home)).toEqual(before);
      expect(lockerStatus(ctx, home)[0]?.state).toBe('unlocked');
    } finally {
      removeDeep(dirname(home));
    }
  });
});
