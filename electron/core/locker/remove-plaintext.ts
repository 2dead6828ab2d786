/**
 * The last step of lock: remove from the home exactly what a durable, read-back
 * snapshot covers. A file is removed only if it still matches its manifest entry
 * (type, size, mtime); anything else — written during the lock, or new — is
 * kept and reported, so a write that races the lock is never lost.
 */
import { chmodSync, closeSync, fsyncSync, lstatSync, openSync, readdirSync, rmdirSync, unlinkSync, writeSync, type BigIntStats } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { toEnvelockError } from '../../../shared/errors.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { durableStep } from '../crash-points.js';
import { forEachConcurrently } from '../concurrency.js';
import { sameMicrosecond } from './file-times.js';
import type { Entry } from './manifest.js';

function stillMatches(entry: Entry, st: BigIntStats): boolean {
  if (entry.type === 'file') return st.isFile() && Number(st.size) === entry.size && sameMicrosecond(st.mtimeNs.toString(), entry.mtimeNs);
  if (entry.type === 'symlink') return st.isSymbolicLink();
  return st.isDirectory();
}

/** Best effort only: SSDs, copy-on-write and journaling filesystems may keep old blocks. */
function overwrite(path: string, size: number): void {
  const fd = openSync(path, 'r+');
  try {
    const zeros = Buffer.alloc(Math.min(size, 1024 * 1024));
    for (let at = 0; at < size; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Sockets, FIFOs and device files hold no content and cannot be stored (scan
 * skips them with a warning). Left in place they kept their folders, and so the
 * home, from ever emptying: every lock ended in FILE_BUSY. Lock removes them.
 */
function isSpecial(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): boolean {
  return !st.isFile() && !st.isDirectory() && !st.isSymbolicLink();
}

/** Removes a folder that is empty but for special files; false if anything else is in it. */
function removeFolder(path: string): boolean {
  try {
    rmdirSync(path);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOTEMPTY' && (error as { code?: string }).code !== 'EEXIST') throw error;
  }
  const names = readdirSync(path);
  if (!names.every((name) => isSpecial(lstatSync(join(path, name))))) return false;
  for (const name of names) unlinkSync(join(path, name));
  rmdirSync(path);
  return true;
}

/** Unlinks run on the thread pool, several at once: on ext4 that is ~3x faster than one by one. */
const PARALLEL_UNLINKS = 16;

/** Returns the paths left in place (changed since sealing, or not in the snapshot). */
export async function removePlaintext(home: string, entries: readonly Entry[], options: { shred: boolean; onProgress?: (e: ProgressEvent) => void }): Promise<string[]> {
  const kept = new Set<string>();
  const progress: ProgressEvent = { phase: 'Removing plaintext', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: entries.length };
  const abs = (path: string) => join(home, ...path.split('/'));
  /**
   * A read-only folder (chmod a-w, Go's module cache) cannot lose its entries:
   * lock stopped half done with PERMISSION_DENIED, and so did every retry and
   * unlock. Such a folder is opened for its owner just before its content goes,
   * and given its mode back if it stays. (Root never noticed: it ignores modes.)
   */
  const opened = new Map<string, number>();
  const openParent = (path: string) => {
    const slash = path.lastIndexOf('/');
    if (slash < 0) return; // the home itself keeps its permissions
    const parent = path.slice(0, slash);
    if (opened.has(parent)) return;
    const mode = Number(lstatSync(abs(parent)).mode & 0o7777);
    if ((mode & 0o300) === 0o300) return;
    chmodSync(abs(parent), mode | 0o300);
    opened.set(parent, mode);
  };
  const done = () => {
    durableStep();
    progress.filesDone++;
    if (progress.filesDone % 256 === 0) options.onProgress?.({ ...progress });
  };
  /** The entry's lstat if it is still there and still matches the snapshot; a changed entry is kept. */
  const removable = (entry: Entry): BigIntStats | undefined => {
    const st = lstatSync(abs(entry.path), { bigint: true, throwIfNoEntry: false });
    if (st === undefined) return undefined; // already removed (a resumed lock)
    if (stillMatches(entry, st)) return st;
    kept.add(entry.path);
    return undefined;
  };
  try {
    // Files and links first, several at a time; each only if it still matches the snapshot.
    await forEachConcurrently(entries.filter((e) => e.type !== 'dir'), PARALLEL_UNLINKS, async (entry) => {
      const st = removable(entry);
      if (st === undefined) return;
      openParent(entry.path);
      if (options.shred && entry.type === 'file') {
        if ((st.mode & 0o200n) === 0n) chmodSync(abs(entry.path), Number(st.mode & 0o7777n) | 0o200); // a read-only file is overwritten too
        overwrite(abs(entry.path), entry.size);
      }
      await unlink(abs(entry.path));
      done();
    });
    // Then folders, children before parents, so each is empty when its turn comes.
    for (const entry of [...entries].reverse()) {
      if (entry.type !== 'dir' || removable(entry) === undefined) continue;
      openParent(entry.path);
      if (!removeFolder(abs(entry.path))) {
        kept.add(entry.path);
        continue;
      }
      done();
    }
    for (const [path, mode] of opened) if (lstatSync(abs(path), { throwIfNoEntry: false })?.isDirectory() === true) chmodSync(abs(path), mode);
    // Whatever is left in the home was not in the snapshot: new since the seal.
    const walk = (dir: string, rel: string) => {
      for (const name of readdirSync(dir)) {
        const childRel = rel === '' ? name : `${rel}/${name}`;
        const st = lstatSync(join(dir, name));
        if (st.isDirectory()) walk(join(dir, name), childRel);
        else if (isSpecial(st)) unlinkSync(join(dir, name));
        else kept.add(childRel);
      }
    };
    walk(home, '');
  } catch (error) {
    throw toEnvelockError(error);
  }
  options.onProgress?.({ ...progress });
  return [...kept];
}
