/** Finding lockers in the registry and describing them, without any key. */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { EnvelockError } from '../../../shared/errors.js';
import type { LockerSummary, SnapshotSummary } from '../../../shared/lockers.js';
import type { Snapshot } from '../locker/repository.js';
import { LocalStore } from '../store/local-store.js';
import { readRegistry, type LockerRecord } from './registry.js';
import type { EngineContext } from './context.js';

export function canonical(path: string): string {
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

export function storeOf(record: LockerRecord): LocalStore {
  return new LocalStore(record.store);
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function isEmptyDir(path: string): boolean {
  return readdirSync(path).length === 0;
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

export function summarize(record: LockerRecord): LockerSummary {
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

export function lockerStatus(ctx: EngineContext, ref?: string): LockerSummary[] {
  const records = ref === undefined ? readRegistry(ctx.configDir) : [findLocker(ctx.configDir, ref)];
  return records.map(summarize);
}
