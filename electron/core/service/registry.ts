/**
 * The locker registry: which lockers this computer knows, their home and store
 * folders, their state, and what this computer has already seen of each store
 * (the newest snapshot and keyslots generation: the rollback anchors).
 * Saved atomically as <config>/lockers.json.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';
import type { LockerState } from '../../../shared/lockers.js';
import { durableStep } from '../crash-points.js';
import { withFileLock } from './file-lock.js';

export interface LockerRecord {
  readonly id: string;
  readonly name: string;
  readonly home: string;
  readonly store: string;
  readonly created: string;
  readonly state: LockerState;
  /** While state is 'locking': the snapshot that covers everything removed so far. */
  readonly lockingSnapshot?: string;
  /** The newest snapshot whose packs were all read back and authenticated by a lock. */
  readonly readBackSnapshot?: string;
  /** While state is 'unlocking': the folder being filled before it becomes the home. */
  readonly unlockingInto?: string;
  /** The newest snapshot and keyslots generation this computer has seen in the store. */
  readonly seen: { readonly seq: number; readonly snapshot: string | null; readonly keyslotGeneration: number };
}

interface RegistryFile {
  version: 1;
  lockers: LockerRecord[];
}

const FILE = 'lockers.json';

export function readRegistry(configDir: string): LockerRecord[] {
  let text: string;
  try {
    text = readFileSync(join(configDir, FILE), 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw toEnvelockError(error);
  }
  try {
    const parsed = JSON.parse(text) as RegistryFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.lockers)) throw new Error('shape');
    return parsed.lockers;
  } catch {
    throw new EnvelockError('IO_ERROR', `The locker registry ${join(configDir, FILE)} is damaged.`, {
      subject: join(configDir, FILE),
      fix: 'Restore it from a backup, or move it away and add the lockers again with `envelock init --store <existing store>`.',
    });
  }
}

function writeRegistry(configDir: string, lockers: readonly LockerRecord[]): void {
  mkdirSync(configDir, { recursive: true });
  const path = join(configDir, FILE);
  const tmp = `${path}.tmp`; // one name: we hold the registry lock, and a crash leaves nothing new behind
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify({ version: 1, lockers: [...lockers] } satisfies RegistryFile, null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(configDir, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  durableStep();
}

/** Read-modify-write under the registry lock, so two processes never lose each other's change. */
export async function updateRegistry(configDir: string, change: (lockers: LockerRecord[]) => LockerRecord[]): Promise<LockerRecord[]> {
  return withFileLock(join(configDir, 'locks', 'registry.lock'), 'The locker registry', 10_000, async () => {
    const next = change(readRegistry(configDir));
    try {
      writeRegistry(configDir, next);
    } catch (error) {
      throw toEnvelockError(error);
    }
    return next;
  });
}

export async function updateRecord(configDir: string, id: string, change: (record: LockerRecord) => LockerRecord): Promise<LockerRecord> {
  let updated: LockerRecord | undefined;
  await updateRegistry(configDir, (lockers) =>
    lockers.map((record) => {
      if (record.id !== id) return record;
      updated = change(record);
      return updated;
    }),
  );
  if (updated === undefined) throw new EnvelockError('LOCKER_NOT_FOUND', `Locker ${id} is no longer in the registry.`, { subject: id });
  return updated;
}

export function lockerLockPath(configDir: string, id: string): string {
  return join(configDir, 'locks', `${id}.lock`);
}
