/**
 * Seal and lock, and finishing a lock (or an unlock) that a crash interrupted:
 * seal, read back what no earlier lock authenticated, then remove the plaintext
 * the snapshot covers (docs/ARCHITECTURE.md, "Lock").
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { EnvelockError } from '../../../shared/errors.js';
import type { SealSummary } from '../../../shared/lockers.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { CryptoPool } from '../locker/crypto-pool.js';
import type { Credential } from '../locker/keyslots.js';
import { forEachConcurrently } from '../concurrency.js';
import { stopIfCancelled } from '../cancel.js';
import { PackChecker } from '../locker/pack-check.js';
import { removePlaintext } from '../locker/remove-plaintext.js';
import { loadChunkLocations, readIndex, type Repository, type Snapshot } from '../locker/repository.js';
import type { PackEntry } from '../locker/index-object.js';
import { sealHome, type SealResult } from '../locker/seal.js';
import { updateRecord, type LockerRecord } from './registry.js';
import type { EngineContext } from './context.js';
import { isEmptyDir, snapshotSummary } from './lookup.js';
import { markSeen, openChecked, withLocker, withSeen, type Opened } from './opened.js';

const LOCK_CANCELLED = 'the locker stays unlocked and every file is still in its home folder.';

/**
 * The context without its cancel signal: a lock that removes plaintext (or
 * resumes one that did) runs to its end rather than stop with the home half
 * emptied.
 */
function uncancellable(ctx: EngineContext): EngineContext {
  const { signal: _ignored, ...rest } = ctx;
  return rest;
}

/** Attempts to catch up with files that keep changing during a lock. */
const LOCK_ATTEMPTS = 3;

export function requireHome(record: LockerRecord): void {
  const st = statSync(record.home, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory()) throw new EnvelockError('HOME_MISSING', `The home folder ${record.home} of locker ${JSON.stringify(record.name)} is missing.`, { subject: record.home });
}

async function sealOnce(ctx: EngineContext, record: LockerRecord, opened: Opened, carryOver: boolean, parent: Snapshot | undefined, readBack?: ReadBack): Promise<SealResult> {
  const chunks = await loadChunkLocations(opened.repo);
  return sealHome(opened.repo, {
    home: record.home,
    parent,
    chunks,
    carryOver,
    ...(readBack === undefined ? {} : { pool: readBack.pool, onPackDurable: readBack.early }),
    ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress }),
    ...(ctx.warn === undefined ? {} : { warn: ctx.warn }),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
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
 * a lock that was killed — is read from the store and authenticated. Packs this
 * lock writes are checked as soon as each is durable, while the seal goes on;
 * the rest at the end.
 */
class ReadBack {
  readonly pool: CryptoPool;
  private readonly checker: PackChecker;
  private readonly checked = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: EngineContext, private readonly opened: Opened) {
    this.pool = new CryptoPool(opened.repo.keys);
    this.checker = new PackChecker(opened.repo, this.pool);
  }

  /** Checks a pack in the background, one at a time (memory stays flat). */
  readonly early = (pack: PackEntry): void => {
    if (this.checked.has(pack.pack)) return;
    this.checked.add(pack.pack);
    this.queue = this.queue.then(() => this.checker.check(pack, false).then(() => undefined));
    this.queue.catch(() => undefined); // surfaced by finish()
  };

  /** Waits for the early checks, then checks whatever else the snapshot needs. */
  async finish(snapshot: Snapshot, since: string | undefined): Promise<void> {
    await this.queue;
    const repo = this.opened.repo;
    const needed = await packsOf(repo, snapshot);
    for (const id of this.checked) needed.delete(id);
    const earlier = since === undefined ? undefined : this.opened.snapshots.find((s) => s.id === since);
    if (earlier !== undefined && earlier.id === snapshot.id) return;
    if (earlier !== undefined) for (const id of (await packsOf(repo, earlier)).keys()) needed.delete(id);
    const progress: ProgressEvent = { phase: 'Reading back', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: needed.size, cancellable: this.ctx.signal !== undefined };
    for (const pack of needed.values()) for (const blob of pack.blobs) progress.bytesTotal += blob.length;
    await forEachConcurrently([...needed.values()], 2, async (pack) => {
      stopIfCancelled(this.ctx.signal, LOCK_CANCELLED);
      await this.checker.check(pack, false);
      this.checked.add(pack.pack);
      progress.filesDone++;
      for (const blob of pack.blobs) progress.bytesDone += blob.length;
      this.ctx.onProgress?.({ ...progress });
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.pool.close();
  }
}

/** Seals (again while files change under it), reading new packs back as they land, then the rest. */
async function sealAndReadBack(ctx: EngineContext, record: LockerRecord, opened: Opened, carryOver: boolean, parent: Snapshot | undefined, since: string | undefined): Promise<SealResult> {
  const check = new ReadBack(ctx, opened);
  try {
    let result = await sealOnce(ctx, record, opened, carryOver, parent, check);
    for (let attempt = 1; result.changedWhileReading.length > 0; attempt++) {
      if (attempt >= LOCK_ATTEMPTS) {
        const files = result.changedWhileReading;
        throw new EnvelockError('FILE_BUSY', `${files.length} file(s) were being written while they were sealed, e.g. ${files.slice(0, 3).join(', ')}. They stay in the home folder.`, { subject: files[0] });
      }
      result = await sealOnce(ctx, record, opened, carryOver, result.snapshot, check);
    }
    await check.finish(result.snapshot, since);
    return result;
  } finally {
    await check.close();
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
    snapshot = (await sealAndReadBack(ctx, record, opened, true, snapshot, snapshot.id)).snapshot;
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
    // Resuming a lock some plaintext is already gone: that one runs to its end too.
    const steps = resuming ? uncancellable(ctx) : ctx;
    const result = await sealAndReadBack(steps, record, opened, resuming, base, record.readBackSnapshot);
    stopIfCancelled(steps.signal, LOCK_CANCELLED);
    const done = await removeCovered(uncancellable(ctx), record, opened, result.snapshot, options.shred === true);
    return { ...toSealSummary(done.record, result), snapshot: snapshotSummary(done.snapshot), removed: done.removed };
  });
}

/** Finishes what a crash interrupted: a lock is completed, a half-written unlock is redone. */
export async function finishInterrupted(ctx: EngineContext, record: LockerRecord, credential: Credential): Promise<LockerRecord> {
  const opened = await openChecked(record, credential);
  if (record.state === 'locking') {
    requireHome(record);
    const base = opened.snapshots.find((s) => s.id === record.lockingSnapshot) ?? opened.latest;
    const steps = uncancellable(ctx);
    const result = await sealAndReadBack(steps, record, opened, true, base, record.readBackSnapshot);
    return (await removeCovered(steps, record, opened, result.snapshot, false)).record;
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
