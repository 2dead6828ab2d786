/** Unlock (the newest snapshot into the home) and restore (any snapshot into another folder). */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EnvelockError } from '../../../shared/errors.js';
import type { SnapshotSummary } from '../../../shared/lockers.js';
import type { Credential } from '../locker/keyslots.js';
import { materialize } from '../locker/materialize.js';
import { loadChunkLocations, type Snapshot } from '../locker/repository.js';
import { updateRecord, type LockerRecord } from './registry.js';
import type { EngineContext } from './context.js';
import { isEmptyDir, snapshotSummary } from './lookup.js';
import { openChecked, withLocker, withSeen, type Opened } from './opened.js';
import { finishInterrupted } from './lock.js';

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
  return materialize(opened.repo, snapshot, chunks, target, ctx);
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
