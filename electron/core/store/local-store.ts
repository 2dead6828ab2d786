/**
 * A store in a local folder (which may itself sit inside a Dropbox, Drive or
 * OneDrive folder). Writes go to tmp/, are fsynced, renamed into place, and the
 * folder is fsynced, so a crash leaves the old object or the new one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';
import { durableStep } from '../crash-points.js';
import type { ObjectStore, ObjectWriter } from './object-store.js';

const TMP = 'tmp';

async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as { code?: string }).code === 'ENOENT';
}

export class LocalStore implements ObjectStore {
  /** Few packs are open at once while unlocking: keep their descriptors. */
  private readonly readers = new Map<string, number>();

  constructor(readonly location: string) {}

  private path(name: string): string {
    return join(this.location, ...name.split('/'));
  }

  private missing(name: string): EnvelockError {
    return new EnvelockError('OBJECT_MISSING', `Store object ${name} is missing from ${this.location}.`, { subject: name });
  }

  async get(name: string): Promise<Buffer> {
    try {
      return await readFile(this.path(name));
    } catch (error) {
      throw isMissing(error) ? this.missing(name) : toEnvelockError(error);
    }
  }

  async getRange(name: string, offset: number, length: number, into?: Buffer): Promise<Buffer> {
    let fd = this.readers.get(name);
    if (fd === undefined) {
      try {
        fd = openSync(this.path(name), 'r');
      } catch (error) {
        throw isMissing(error) ? this.missing(name) : toEnvelockError(error);
      }
      if (this.readers.size >= 8) this.closeReaders();
      this.readers.set(name, fd);
    }
    const out = into === undefined ? Buffer.allocUnsafeSlow(length) : into.subarray(0, length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, out, done, length - done, offset + done);
      if (n === 0) {
        const size = fstatSync(fd).size;
        throw new EnvelockError('OBJECT_TRUNCATED', `Store object ${name} is truncated: ${size} bytes, but a blob ends at byte ${offset + length}.`, { subject: name });
      }
      done += n;
    }
    return out;
  }

  closeReaders(): void {
    for (const fd of this.readers.values()) closeSync(fd);
    this.readers.clear();
  }

  async put(name: string, parts: readonly Uint8Array[]): Promise<void> {
    const writer = this.writer();
    try {
      for (const part of parts) writer.append(part);
    } catch (error) {
      writer.abort();
      throw error;
    }
    await writer.commit(name);
  }

  /**
   * Appends go straight into a temp file (page cache), so a 16 MiB pack never
   * sits in memory; commit fsyncs it on the thread pool, renames it into place
   * and fsyncs the folder.
   */
  writer(): ObjectWriter {
    const tmpDir = join(this.location, TMP);
    const tmp = join(tmpDir, `object.${randomBytes(8).toString('hex')}`);
    let fd: number | undefined;
    const fail = (error: unknown): never => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      rmSync(tmp, { force: true });
      throw toEnvelockError(error);
    };
    try {
      mkdirSync(tmpDir, { recursive: true });
      fd = openSync(tmp, 'w', 0o600);
    } catch (error) {
      fail(error);
    }
    return {
      append: (part) => {
        try {
          for (let done = 0; done < part.length; ) done += writeSync(fd as number, part, done, part.length - done);
        } catch (error) {
          fail(error);
        }
      },
      commit: async (name) => {
        const target = this.path(name);
        try {
          await new Promise<void>((resolve, reject) => fsync(fd as number, (error) => (error ? reject(error) : resolve())));
          closeSync(fd as number);
          fd = undefined;
          durableStep();
          await mkdir(dirname(target), { recursive: true });
          await rename(tmp, target);
          await fsyncDir(dirname(target));
          durableStep();
        } catch (error) {
          fail(error);
        }
      },
      abort: () => {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
        rmSync(tmp, { force: true });
      },
    };
  }

  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(this.path(rel), { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw toEnvelockError(error);
      }
      for (const entry of entries) {
        const child = `${rel}/${entry.name}`;
        if (entry.isDirectory()) await walk(child);
        else if (entry.isFile()) names.push(child);
      }
    };
    await walk(prefix.replace(/\/$/, ''));
    return names.sort();
  }

  async size(name: string): Promise<number> {
    try {
      return (await stat(this.path(name))).size;
    } catch (error) {
      throw isMissing(error) ? this.missing(name) : toEnvelockError(error);
    }
  }

  async exists(name: string): Promise<boolean> {
    try {
      await stat(this.path(name));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw toEnvelockError(error);
    }
  }

  async cleanup(): Promise<void> {
    this.closeReaders();
    await rm(join(this.location, TMP), { recursive: true, force: true });
  }
}
