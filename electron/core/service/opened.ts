/**
 * Opening a locker's store with a credential, checked against what this
 * computer has seen (rollback anchors), under the locker's inter-process lock.
 */
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';
import { KEYSLOTS_NAME, type Credential } from '../locker/keyslots.js';
import { listSnapshots, openRepository, type Repository, type Snapshot } from '../locker/repository.js';
import { manifestName } from '../store/object-store.js';
import { lockerLockPath, updateRecord, type LockerRecord } from './registry.js';
import { withFileLock } from './file-lock.js';
import type { EngineContext } from './context.js';
import { findLocker, storeOf } from './lookup.js';

export interface Opened {
  readonly repo: Repository;
  readonly snapshots: Snapshot[];
  readonly latest: Snapshot | undefined;
}

/**
 * Opens the store with a credential and checks it against what this computer
 * has seen: an older keyslots generation or an older (or vanished) newest
 * snapshot means someone put old objects back.
 */
export async function openChecked(record: LockerRecord, credential: Credential): Promise<Opened> {
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
export function withSeen(r: LockerRecord, repo: Repository, snapshot: Snapshot | undefined): LockerRecord {
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

export async function markSeen(configDir: string, record: LockerRecord, repo: Repository, snapshot: Snapshot | undefined): Promise<LockerRecord> {
  return updateRecord(configDir, record.id, (r) => withSeen(r, repo, snapshot));
}

/** Runs an operation under the locker's lock, on the freshest registry record. */
export async function withLocker<T>(ctx: EngineContext, ref: string, fn: (record: LockerRecord) => Promise<T>): Promise<T> {
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
