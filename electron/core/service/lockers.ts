/**
 * The locker operations the CLI (and later the app) call: init, seal, lock,
 * unlock, restore, snapshots, verify, passwd, recovery keys, status.
 * Each takes the config folder, a locker reference and, when it needs keys, a
 * credential; each runs under the locker's inter-process lock, and first
 * finishes any operation a crash interrupted.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';
import type { LockerSummary, SealSummary, SnapshotSummary, VerifyReport } from '../../../shared/lockers.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { calibrateKdf, DEFAULT_TARGET_MS, type KdfParams } from '../crypto/kdf.js';
import { formatRecoveryKey, generateRecoveryKey } from '../crypto/recovery-key.js';
import { CryptoPool } from '../locker/crypto-pool.js';
import { KEYSLOTS_NAME, makePassphraseSlot, makeRecoverySlot, type Credential } from '../locker/keyslots.js';
import { materialize } from '../locker/materialize.js';
import { forEachConcurrently, PackChecker } from '../locker/pack-check.js';
import { removePlaintext } from '../locker/remove-plaintext.js';
import {
  createRepository, listSnapshots, loadChunkLocations, openRepository, readIndex, writeKeyslots,
  type Repository, type Snapshot,
} from '../locker/repository.js';
import type { PackEntry } from '../locker/index-object.js';
import { sealHome, type SealResult } from '../locker/seal.js';
import { verifyRepository } from '../locker/verify.js';
import { manifestName } from '../store/object-store.js';
import { LocalStore } from '../store/local-store.js';
import { lockerLockPath, readRegistry, updateRecord, updateRegistry, type LockerRecord } from './registry.js';
import { withFileLock } from './file-lock.js';

export interface EngineContext {
  readonly configDir: string;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly warn?: (message: string) => void;
  /** Target time of one passphrase derivation when creating keyslots. */
  readonly kdfTargetMs?: number;
}

export const MIN_PASSPHRASE_LENGTH = 10;
/** Attempts to catch up with files that keep changing during a lock. */
const LOCK_ATTEMPTS = 3;

// ---------- finding lockers ----------

function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

export function findLocker(configDir: string, ref: string): LockerRecord {
  const lockers = readRegistry(configDir);
  const path = canonical(ref);
  const found =
    lockers.find((l) => l.name === ref) ??
    lockers.find((l) => l.id === ref) ??
    lockers.find((l) => l.home === path) ??
    (ref.length >= 6 ? lockers.filter((l) => l.id.startsWith(ref)) : []).at(0);
  if (found === undefined) throw new EnvelockError('LOCKER_NOT_FOUND', `No locker is named ${JSON.stringify(ref)} (by name, id or home folder).`, { subject: ref });
  return found;
}

function storeOf(record: LockerRecord): LocalStore {
  return new LocalStore(record.store);
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function directorySize(path: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    return 0;
  }
  for (const name of names) {
    const st = statSync(join(path, name), { throwIfNoEntry: false });
    if (st === undefined) continue;
    total += st.isDirectory() ? directorySize(join(path, name)) : st.size;
  }
  return total;
}

function summarize(record: LockerRecord): LockerSummary {
  return {
    id: record.id,
    name: record.name,
    home: record.home,
    store: record.store,
    state: record.state,
    homeExists: existsSync(record.home),
    storeBytes: directorySize(record.store),
    lastSnapshot: record.seen.snapshot === null ? null : { id: record.seen.snapshot, seq: record.seen.seq },
    created: record.created,
  };
}

export function snapshotSummary(snapshot: Snapshot): SnapshotSummary {
  let files = 0;
  let folders = 0;
  let bytes = 0;
  for (const e of snapshot.manifest.entries) {
    if (e.type === 'file') {
      files++;
      bytes += e.size;
    } else if (e.type === 'dir') folders++;
  }
  const m = snapshot.manifest;
  return { id: snapshot.id, seq: m.seq, created: m.created, parents: [...m.parents], files, folders, bytes };
}

// ---------- opening with rollback checks ----------

interface Opened {
  readonly repo: Repository;
  readonly snapshots: Snapshot[];
  readonly latest: Snapshot | undefined;
}

/**
 * Opens the store with a credential and checks it against what this computer
 * has seen: an older keyslots generation or an older (or vanished) newest
 * snapshot means someone put old objects back.
 */
async function openChecked(record: LockerRecord, credential: Credential): Promise<Opened> {
  // The locker id is checked inside, before the keyslots: a damaged config is then named as such.
  const repo = await openRepository(storeOf(record), credential, record.id);
  if (repo.keyslots.generation < record.seen.keyslotGeneration) {
    throw new EnvelockError(
      'ROLLBACK_DETECTED',
      `The ${KEYSLOTS_NAME} object is generation ${repo.keyslots.generation}, but this computer has seen generation ${record.seen.keyslotGeneration}: an old keyslots file was put back.`,
      { subject: KEYSLOTS_NAME },
    );
  }
  const snapshots = await listSnapshots(repo);
  const latest = snapshots.at(-1);
  if (record.seen.snapshot !== null && !snapshots.some((s) => s.id === record.seen.snapshot)) {
    throw new EnvelockError(
      'ROLLBACK_DETECTED',
      `Snapshot ${manifestName(record.seen.snapshot)} (number ${record.seen.seq}), which this computer has seen, is gone from the store; its newest is now number ${latest?.manifest.seq ?? 0}.`,
      { subject: manifestName(record.seen.snapshot) },
    );
  }
  if ((latest?.manifest.seq ?? 0) < record.seen.seq) {
    throw new EnvelockError('ROLLBACK_DETECTED', `The store's newest snapshot is number ${latest?.manifest.seq ?? 0}, older than number ${record.seen.seq} seen before.`, {
      subject: latest === undefined ? 'manifests/' : manifestName(latest.id),
    });
  }
  const newestGeneration = Math.max(0, ...snapshots.map((s) => s.manifest.keyslotGeneration));
  if (repo.keyslots.generation < newestGeneration) {
    throw new EnvelockError(
      'ROLLBACK_DETECTED',
      `The ${KEYSLOTS_NAME} object is generation ${repo.keyslots.generation}, older than generation ${newestGeneration} named by a snapshot: an old keyslots file was put back.`,
      { subject: KEYSLOTS_NAME },
    );
  }
  return { repo, snapshots, latest };
}

/** The record with its rollback anchors moved up to what was just seen (never down). */
function withSeen(r: LockerRecord, repo: Repository, snapshot: Snapshot | undefined): LockerRecord {
  const newer = snapshot !== undefined && snapshot.manifest.seq >= r.seen.seq;
  return {
    ...r,
    seen: {
      seq: newer ? snapshot.manifest.seq : r.seen.seq,
      snapshot: newer ? snapshot.id : r.seen.snapshot,
      keyslotGeneration: Math.max(r.seen.keyslotGeneration, repo.keyslots.generation),
    },
  };
}

async function markSeen(configDir: string, record: LockerRecord, repo: Repository, snapshot: Snapshot | undefined): Promise<LockerRecord> {
  return updateRecord(configDir, record.id, (r) => withSeen(r, repo, snapshot));
}

/** Runs an operation under the locker's lock, on the freshest registry record. */
async function withLocker<T>(ctx: EngineContext, ref: string, fn: (record: LockerRecord) => Promise<T>): Promise<T> {
  const first = findLocker(ctx.configDir, ref);
  return withFileLock(lockerLockPath(ctx.configDir, first.id), `Locker ${first.name}`, 0, async () => {
    try {
      await storeOf(first).cleanup();
      return await fn(findLocker(ctx.configDir, first.id));
    } catch (error) {
      throw toEnvelockError(error);
    }
  });
}

// ---------- init ----------

export interface InitOptions {
  readonly folder: string;
  readonly passphrase: string;
  readonly store?: string;
  readonly name?: string;
}

export function checkPassphraseStrength(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new EnvelockError('WEAK_PASSPHRASE', `The passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
}

export async function initLocker(ctx: EngineContext, options: InitOptions): Promise<{ locker: LockerSummary; recoveryKey: string; kdf: Omit<KdfParams, 'salt'> }> {
  const folder = resolve(options.folder);
  const st = statSync(folder, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory()) throw new EnvelockError('FOLDER_NOT_FOUND', `${folder} is not an existing folder.`, { subject: folder });
  const home = canonical(folder);
  checkPassphraseStrength(options.passphrase);
  const lockers = readRegistry(ctx.configDir);
  const name = options.name ?? basename(home);
  if (name.length === 0 || /[/\\]/.test(name)) throw new EnvelockError('USAGE', `${JSON.stringify(name)} cannot be a locker name: use letters, digits, spaces, dots or dashes.`);
  const clash = lockers.find((l) => l.home === home || isInside(home, l.home) || isInside(l.home, home) || l.name === name);
  if (clash !== undefined) {
    throw new EnvelockError('LOCKER_EXISTS', clash.name === name && clash.home !== home ? `A locker named ${JSON.stringify(name)} already exists.` : `${home} overlaps the home of locker ${JSON.stringify(clash.name)} (${clash.home}).`, { subject: home });
  }
  const store = canonical(options.store ?? join(ctx.configDir, 'stores', `${name}-${randomBytes(4).toString('hex')}`));
  if (isInside(store, home)) throw new EnvelockError('USAGE', `The store ${store} cannot be inside the folder it locks.`, { fix: 'Choose a --store folder outside the home folder (for example in your Dropbox folder).' });
  mkdirSync(store, { recursive: true });
  const kdf = await calibrateKdf(ctx.kdfTargetMs ?? DEFAULT_TARGET_MS, randomBytes(16));
  const { repo, recoveryKey } = await createRepository(new LocalStore(store), options.passphrase, kdf);
  const record: LockerRecord = {
    id: repo.lockerId,
    name,
    home,
    store,
    created: new Date().toISOString(),
    state: 'unlocked',
    seen: { seq: 0, snapshot: null, keyslotGeneration: repo.keyslots.generation },
  };
  await updateRegistry(ctx.configDir, (all) => [...all, record]);
  const { salt: _salt, ...kdfShown } = kdf;
  return { locker: summarize(record), recoveryKey, kdf: kdfShown };
}

// ---------- seal and lock ----------

function requireHome(record: LockerRecord): void {
  const st = statSync(record.home, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory()) throw new EnvelockError('HOME_MISSING', `The home folder ${record.home} of locker ${JSON.stringify(record.name)} is missing.`, { subject: record.home });
}

async function sealOnce(ctx: EngineContext, record: LockerRecord, opened: Opened, carryOver: boolean, parent: Snapshot | undefined): Promise<SealResult> {
  const chunks = await loadChunkLocations(opened.repo);
  return sealHome(opened.repo, {
    home: record.home,
    parent,
    chunks,
    carryOver,
    ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress }),
    ...(ctx.warn === undefined ? {} : { warn: ctx.warn }),
  });
}

/** Every pack that holds chunks of the snapshot, as its indexes list it. */
async function packsOf(repo: Repository, snapshot: Snapshot): Promise<Map<string, PackEntry>> {
  const wanted = new Set<string>();
  for (const entry of snapshot.manifest.entries) if (entry.type === 'file') for (const chunk of entry.chunks) wanted.add(chunk);
  const packs = new Map<string, PackEntry>();
  for (const index of snapshot.manifest.indexes) {
    for (const pack of await readIndex(repo, index)) if (pack.blobs.some((b) => wanted.has(b.id))) packs.set(pack.pack, pack);
  }
  return packs;
}

/**
 * Lock's read-back: before any plaintext goes, every pack the snapshot needs
 * that no earlier lock read back — written by this seal, an earlier `seal`, or
 * a lock that was killed — is read from the store and authenticated.
 */
async function readBack(ctx: EngineContext, opened: Opened, snapshot: Snapshot, since: string | undefined): Promise<void> {
  const repo = opened.repo;
  const needed = await packsOf(repo, snapshot);
  const earlier = since === undefined ? undefined : opened.snapshots.find((s) => s.id === since);
  if (earlier !== undefined && earlier.id !== snapshot.id) for (const id of (await packsOf(repo, earlier)).keys()) needed.delete(id);
  else if (earlier !== undefined) return;
  if (needed.size === 0) return;
  const pool = new CryptoPool(repo.keys);
  const checker = new PackChecker(repo, pool);
  const progress: ProgressEvent = { phase: 'Reading back', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: needed.size };
  for (const pack of needed.values()) for (const blob of pack.blobs) progress.bytesTotal += blob.length;
  try {
    await forEachConcurrently([...needed.values()], 2, async (pack) => {
      await checker.check(pack, false);
      progress.filesDone++;
      for (const blob of pack.blobs) progress.bytesDone += blob.length;
      ctx.onProgress?.({ ...progress });
    });
  } finally {
    await pool.close();
  }
}

function toSealSummary(record: LockerRecord, result: SealResult): SealSummary {
  return {
    locker: record.name,
    snapshot: snapshotSummary(result.snapshot),
    changed: result.changed,
    filesRead: result.stats.filesRead,
    bytesRead: result.stats.bytesRead,
    bytesStored: result.stats.bytesStored,
  };
}

export async function sealLocker(ctx: EngineContext, ref: string, credential: Credential): Promise<SealSummary> {
  return withLocker(ctx, ref, async (record) => {
    if (record.state === 'locking' || record.state === 'unlocking') record = await finishInterrupted(ctx, record, credential);
    if (record.state === 'locked') throw new EnvelockError('NOT_UNLOCKED', `Locker ${JSON.stringify(record.name)} is locked: there is nothing in its home to seal.`);
    requireHome(record);
    const opened = await openChecked(record, credential);
    const result = await sealOnce(ctx, record, opened, false, opened.latest);
    await markSeen(ctx.configDir, record, opened.repo, result.snapshot);
    return toSealSummary(record, result);
  });
}

export interface LockSummary extends SealSummary {
  /** Files and folders removed from the home. */
  removed: number;
}

/**
 * Removes what the snapshot covers; whatever changed meanwhile is sealed on top
 * (carry-over seal) and removed in the next round. State stays 'locking' until
 * the home is empty, so a crash anywhere resumes here.
 */
async function removeCovered(ctx: EngineContext, record: LockerRecord, opened: Opened, covering: Snapshot, shred: boolean): Promise<{ record: LockerRecord; snapshot: Snapshot; removed: number }> {
  let snapshot = covering;
  let removed = 0;
  for (let attempt = 1; ; attempt++) {
    const covering = snapshot;
    record = await updateRecord(ctx.configDir, record.id, (r) => withSeen({ ...r, state: 'locking', lockingSnapshot: covering.id, readBackSnapshot: covering.id }, opened.repo, covering));
    const kept = await removePlaintext(record.home, snapshot.manifest.entries, { shred, ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress }) });
    removed += snapshot.manifest.entries.length - kept.length;
    if (kept.length === 0) break;
    if (attempt >= LOCK_ATTEMPTS) {
      throw new EnvelockError('FILE_BUSY', `${kept.length} item(s) kept changing while the locker was being locked, e.g. ${kept.slice(0, 3).join(', ')}. They are still in the home folder; everything else is safely in the locker.`, { subject: kept[0] });
    }
    const result = await sealOnce(ctx, record, opened, true, snapshot);
    await readBack(ctx, opened, result.snapshot, snapshot.id);
    snapshot = result.snapshot;
  }
  record = await updateRecord(ctx.configDir, record.id, ({ lockingSnapshot: _done, ...rest }) => ({ ...rest, state: 'locked' }));
  return { record, snapshot, removed };
}

export async function lockLocker(ctx: EngineContext, ref: string, credential: Credential, options: { shred?: boolean } = {}): Promise<LockSummary> {
  return withLocker(ctx, ref, async (record) => {
    if (record.state === 'unlocking') record = await finishInterrupted(ctx, record, credential);
    if (record.state === 'locked') throw new EnvelockError('ALREADY_LOCKED', `Locker ${JSON.stringify(record.name)} is already locked.`);
    requireHome(record);
    const opened = await openChecked(record, credential);
    const resuming = record.state === 'locking';
    const base = resuming ? opened.snapshots.find((s) => s.id === record.lockingSnapshot) ?? opened.latest : opened.latest;
    let result = await sealOnce(ctx, record, opened, resuming, base);
    for (let attempt = 1; result.changedWhileReading.length > 0; attempt++) {
      if (attempt >= LOCK_ATTEMPTS) {
        throw new EnvelockError('FILE_BUSY', `${result.changedWhileReading.length} file(s) were being written while they were sealed, e.g. ${result.changedWhileReading.slice(0, 3).join(', ')}. Nothing was removed.`, { subject: result.changedWhileReading[0] });
      }
      result = await sealOnce(ctx, record, opened, resuming, result.snapshot);
    }
    await readBack(ctx, opened, result.snapshot, record.readBackSnapshot);
    const done = await removeCovered(ctx, record, opened, result.snapshot, options.shred === true);
    return { ...toSealSummary(done.record, result), snapshot: snapshotSummary(done.snapshot), removed: done.removed };
  });
}

// ---------- unlock and restore ----------

function isEmptyDir(path: string): boolean {
  return readdirSync(path).length === 0;
}

/**
 * A fresh sibling of the home to unlock into, then renamed onto it. Its name is
 * no longer than the home's (hidden with a dot when there is room), so a tree
 * whose paths fit the OS limit in the home also fits while it is being written.
 * Only the name is chosen here: the registry records it before it is created,
 * so a crash can never leave a folder nobody knows about.
 */
function unlockFolderName(record: LockerRecord): string {
  const length = Math.max(1, Math.min(16, Buffer.byteLength(basename(record.home))));
  for (;;) {
    const random = randomBytes(12).toString('hex');
    const candidate = join(dirname(record.home), length === 1 ? random.slice(0, 1) : `.${random.slice(0, length - 1)}`);
    if (!existsSync(candidate)) return candidate;
  }
}

async function materializeLatest(ctx: EngineContext, opened: Opened, snapshot: Snapshot, target: string): Promise<{ files: number; bytes: number }> {
  const chunks = await loadChunkLocations(opened.repo, snapshot.manifest.indexes);
  return materialize(opened.repo, snapshot, chunks, target, ctx.onProgress);
}

/** Finishes what a crash interrupted: a lock is completed, a half-written unlock is redone. */
async function finishInterrupted(ctx: EngineContext, record: LockerRecord, credential: Credential): Promise<LockerRecord> {
  const opened = await openChecked(record, credential);
  if (record.state === 'locking') {
    requireHome(record);
    const base = opened.snapshots.find((s) => s.id === record.lockingSnapshot) ?? opened.latest;
    const result = await sealOnce(ctx, record, opened, true, base);
    await readBack(ctx, opened, result.snapshot, record.readBackSnapshot);
    return (await removeCovered(ctx, record, opened, result.snapshot, false)).record;
  }
  if (record.state === 'unlocking') {
    const temp = record.unlockingInto;
    const tempExists = temp !== undefined && existsSync(temp);
    const homeFilled = existsSync(record.home) && !isEmptyDir(record.home);
    // The rename into the home happened, or it did not: finish or roll back, never keep half a tree.
    const state = !tempExists && homeFilled ? 'unlocked' : 'locked';
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
    return updateRecord(ctx.configDir, record.id, ({ unlockingInto: _u, ...rest }) => ({ ...rest, state }));
  }
  return record;
}

export interface UnlockSummary {
  locker: string;
  home: string;
  snapshot: SnapshotSummary | null;
  files: number;
  bytes: number;
}

export async function unlockLocker(ctx: EngineContext, ref: string, credential: Credential): Promise<UnlockSummary> {
  return withLocker(ctx, ref, async (record) => {
    if (record.state === 'locking' || record.state === 'unlocking') record = await finishInterrupted(ctx, record, credential);
    if (record.state === 'unlocked') throw new EnvelockError('ALREADY_UNLOCKED', `Locker ${JSON.stringify(record.name)} is already unlocked.`);
    if (existsSync(record.home) && !isEmptyDir(record.home)) {
      throw new EnvelockError('HOME_NOT_EMPTY', `The home folder ${record.home} is not empty, so unlocking could overwrite files that are not in the locker.`, { subject: record.home });
    }
    const opened = await openChecked(record, credential);
    const snapshot = opened.latest;
    const temp = unlockFolderName(record);
    record = await updateRecord(ctx.configDir, record.id, (r) => ({ ...r, state: 'unlocking', unlockingInto: temp }));
    let stats = { files: 0, bytes: 0 };
    try {
      mkdirSync(temp, { mode: 0o700 });
      if (snapshot !== undefined) stats = await materializeLatest(ctx, opened, snapshot, temp);
    } catch (error) {
      // A damaged store must not leave half a tree of plaintext beside the home.
      rmSync(temp, { recursive: true, force: true });
      await updateRecord(ctx.configDir, record.id, ({ unlockingInto: _u, ...rest }) => ({ ...rest, state: 'locked' }));
      throw error;
    }
    // The home keeps its own permissions; a missing home is created private.
    const homeStat = statSync(record.home, { throwIfNoEntry: false });
    if (homeStat !== undefined) {
      chmodSync(temp, homeStat.mode & 0o7777);
      rmdirSync(record.home);
    }
    renameSync(temp, record.home);
    await updateRecord(ctx.configDir, record.id, ({ unlockingInto: _u, ...rest }) => withSeen({ ...rest, state: 'unlocked' }, opened.repo, snapshot));
    return { locker: record.name, home: record.home, snapshot: snapshot === undefined ? null : snapshotSummary(snapshot), ...stats };
  });
}

function pickSnapshot(snapshots: readonly Snapshot[], id: string | undefined): Snapshot {
  if (id === undefined) {
    const latest = snapshots.at(-1);
    if (latest === undefined) throw new EnvelockError('SNAPSHOT_NOT_FOUND', 'This locker has no snapshots yet: seal or lock it first.');
    return latest;
  }
  const matches = snapshots.filter((s) => s.id.startsWith(id.toLowerCase()) || String(s.manifest.seq) === id);
  if (matches.length !== 1) throw new EnvelockError('SNAPSHOT_NOT_FOUND', matches.length === 0 ? `No snapshot matches ${JSON.stringify(id)}.` : `${JSON.stringify(id)} matches ${matches.length} snapshots: give more of the id.`, { subject: id });
  return matches[0] as Snapshot;
}

export async function restoreLocker(ctx: EngineContext, ref: string, credential: Credential, options: { to: string; snapshot?: string }): Promise<UnlockSummary> {
  return withLocker(ctx, ref, async (record) => {
    const target = resolve(options.to);
    if (existsSync(target)) {
      if (!statSync(target).isDirectory() || !isEmptyDir(target)) throw new EnvelockError('TARGET_NOT_EMPTY', `${target} exists and is not an empty folder.`, { subject: target });
    }
    const opened = await openChecked(record, credential);
    const snapshot = pickSnapshot(opened.snapshots, options.snapshot);
    const created = !existsSync(target);
    mkdirSync(target, { recursive: true });
    let stats;
    try {
      stats = await materializeLatest(ctx, opened, snapshot, target);
    } catch (error) {
      // The target was empty or new: take back the partial tree rather than leave half a snapshot.
      if (created) rmSync(target, { recursive: true, force: true });
      else for (const name of readdirSync(target)) rmSync(join(target, name), { recursive: true, force: true });
      throw error;
    }
    return { locker: record.name, home: target, snapshot: snapshotSummary(snapshot), ...stats };
  });
}

// ---------- reports ----------

export async function listLockerSnapshots(ctx: EngineContext, ref: string, credential: Credential): Promise<SnapshotSummary[]> {
  return withLocker(ctx, ref, async (record) => {
    const opened = await openChecked(record, credential);
    await markSeen(ctx.configDir, record, opened.repo, opened.latest);
    return opened.snapshots.map(snapshotSummary);
  });
}

export async function verifyLocker(ctx: EngineContext, ref: string, credential: Credential): Promise<VerifyReport> {
  return withLocker(ctx, ref, async (record) => {
    let opened: Opened;
    try {
      opened = await openChecked(record, credential);
    } catch (error) {
      const e = toEnvelockError(error);
      if (e.code === 'WRONG_PASSPHRASE' || e.code === 'WRONG_RECOVERY_KEY' || e.code === 'INVALID_RECOVERY_KEY') throw e;
      return { ok: false, problems: [e.toInfo()], unreferenced: [], counts: { packs: 0, indexes: 0, manifests: 0, chunks: 0, bytes: 0 }, latest: null };
    }
    return verifyRepository(opened.repo, ctx.onProgress);
  });
}

export function lockerStatus(ctx: EngineContext, ref?: string): LockerSummary[] {
  const records = ref === undefined ? readRegistry(ctx.configDir) : [findLocker(ctx.configDir, ref)];
  return records.map(summarize);
}

// ---------- keys ----------

export async function changePassphrase(ctx: EngineContext, ref: string, credential: Credential, newPassphrase: string): Promise<{ keyslotGeneration: number }> {
  checkPassphraseStrength(newPassphrase);
  return withLocker(ctx, ref, async (record) => {
    const { repo } = await openChecked(record, credential);
    const oldSlots = repo.keyslots.slots;
    const template = oldSlots.find((s) => s.type === 'passphrase');
    const kdf = template?.type === 'passphrase' ? { ...template.kdf, salt: randomBytes(16) } : await calibrateKdf(ctx.kdfTargetMs ?? DEFAULT_TARGET_MS, randomBytes(16));
    const slot = await makePassphraseSlot(`passphrase-${repo.keyslots.generation + 1}`, newPassphrase, kdf, repo.lmk, repo.config.lockerId);
    const next = await writeKeyslots(repo, [slot, ...oldSlots.filter((s) => s.type !== 'passphrase')]);
    await markSeen(ctx.configDir, record, next, undefined);
    return { keyslotGeneration: next.keyslots.generation };
  });
}

/** Adds a recovery key, replacing any earlier one; returns the new key to show once. */
export async function addRecoveryKey(ctx: EngineContext, ref: string, credential: Credential): Promise<{ recoveryKey: string; keyslotGeneration: number }> {
  return withLocker(ctx, ref, async (record) => {
    const { repo } = await openChecked(record, credential);
    const key = generateRecoveryKey();
    const slot = makeRecoverySlot(`recovery-${repo.keyslots.generation + 1}`, key, repo.lmk, repo.config.lockerId);
    const next = await writeKeyslots(repo, [...repo.keyslots.slots.filter((s) => s.type !== 'recovery'), slot]);
    await markSeen(ctx.configDir, record, next, undefined);
    return { recoveryKey: formatRecoveryKey(key), keyslotGeneration: next.keyslots.generation };
  });
}

export async function removeRecoveryKey(ctx: EngineContext, ref: string, credential: Credential): Promise<{ keyslotGeneration: number; removed: number }> {
  return withLocker(ctx, ref, async (record) => {
    const { repo } = await openChecked(record, credential);
    const remaining = repo.keyslots.slots.filter((s) => s.type !== 'recovery');
    const removed = repo.keyslots.slots.length - remaining.length;
    if (removed === 0) return { keyslotGeneration: repo.keyslots.generation, removed };
    if (remaining.length === 0) throw new EnvelockError('LAST_KEYSLOT', 'The recovery key is the only way into this locker; set a passphrase first.');
    const next = await writeKeyslots(repo, remaining);
    await markSeen(ctx.configDir, record, next, undefined);
    return { keyslotGeneration: next.keyslots.generation, removed };
  });
}
