/**
 * Walks a home folder without following links: folders, regular files and
 * symlinks become entries; sockets, FIFOs and devices are skipped with a
 * warning. Times come from lstat in nanoseconds.
 */
import { lstatSync, readdirSync, readlinkSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';
import { comparePaths } from './manifest.js';

export interface ScannedEntry {
  readonly path: string;
  readonly type: 'dir' | 'file' | 'symlink';
  readonly mode: number;
  readonly mtimeNs: string;
  readonly size: number;
  readonly target?: string;
}

export function statEntry(path: string): BigIntStats {
  return lstatSync(path, { bigint: true });
}

export function scanHome(home: string, warn: (message: string) => void): ScannedEntry[] {
  const entries: ScannedEntry[] = [];
  const walk = (absolute: string, relative: string): void => {
    let names: string[];
    try {
      names = readdirSync(absolute);
    } catch (error) {
      throw toEnvelockError(error);
    }
    for (const name of names) {
      const childAbs = join(absolute, name);
      const childRel = relative === '' ? name : `${relative}/${name}`;
      let st: BigIntStats;
      try {
        st = statEntry(childAbs);
      } catch (error) {
        // readdir decodes names as UTF-8; a name that is not comes back altered and cannot be found.
        if ((error as { code?: string }).code === 'ENOENT' && name.includes('\uFFFD')) {
          throw new EnvelockError('NAME_NOT_UTF8', `The name of ${childAbs} is not valid UTF-8, and lockers store names as UTF-8.`, { subject: childAbs });
        }
        throw toEnvelockError(error);
      }
      const base = { path: childRel, mode: Number(st.mode & 0o7777n), mtimeNs: st.mtimeNs.toString() };
      if (st.isDirectory()) {
        entries.push({ ...base, type: 'dir', size: 0 });
        walk(childAbs, childRel);
      } else if (st.isFile()) {
        entries.push({ ...base, type: 'file', size: Number(st.size) });
      } else if (st.isSymbolicLink()) {
        entries.push({ ...base, type: 'symlink', size: 0, target: readlinkSync(childAbs) });
      } else {
        warn(`Skipped ${childRel}: sockets, FIFOs and device files cannot be stored in a locker (they hold no data; lock removes them).`);
      }
    }
  };
  walk(home, '');
  return entries.sort((a, b) => comparePaths(a.path, b.path));
}
