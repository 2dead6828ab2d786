/**
 * The file calls crypto workers make for small files: read one whole file
 * (seal) and write one whole file with its mode and times (unlock). Plain
 * synchronous calls: a worker has nothing else to do meanwhile, and a thread
 * hop per call is what made thousands of small files slow.
 */
import { closeSync, fchmodSync, fstatSync, futimesSync, openSync, readSync, writeSync } from 'node:fs';
import type { FileTarget, IoFailure } from './worker-protocol.js';

/** The failure as plain data (it crosses to the main thread), or the error itself if it is not a system error. */
export function ioFailure(error: unknown, path: string): IoFailure {
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (typeof code !== 'string') throw error;
  return { code, path, syscall: typeof syscall === 'string' ? syscall : 'unknown' };
}

/**
 * Reads up to into.length bytes of the file. `changed` is true when the file's
 * size or mtime afterwards differ from what the scan saw (it was written to
 * meanwhile): the caller seals what was read and reports the file.
 */
export function readWholeFile(path: string, into: Buffer, expectedMtimeNs: string): { length: number; changed: boolean } {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    while (length < into.length) {
      const n = readSync(fd, into, length, into.length - length, null);
      if (n === 0) break;
      length += n;
    }
    const after = fstatSync(fd, { bigint: true });
    return { length, changed: Number(after.size) !== into.length || length !== into.length || after.mtimeNs.toString() !== expectedMtimeNs };
  } finally {
    closeSync(fd);
  }
}

/** Creates the file (never overwriting one), writes body, then sets mode and times. */
export function writeWholeFile(target: FileTarget, body: Uint8Array): void {
  const fd = openSync(target.path, 'wx', 0o600);
  try {
    for (let done = 0; done < body.length; ) done += writeSync(fd, body, done, body.length - done);
    fchmodSync(fd, target.mode);
    futimesSync(fd, target.mtime, target.mtime);
  } finally {
    closeSync(fd);
  }
}
