/**
 * Writes a snapshot out as plain files: unlock (into a fresh folder that then
 * becomes the home) and restore. Chunks are read from packs in manifest order,
 * decrypted by the workers in batches, and written in order; folders get their
 * modes and times last, links are created last so no write passes through one.
 */
import { chmodSync, closeSync, futimesSync, fchmodSync, lutimesSync, mkdirSync, openSync, symlinkSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { manifestName } from '../store/object-store.js';
import { BlobFailed, CryptoPool } from './crypto-pool.js';
import type { FileEntry } from './manifest.js';
import { nsToSeconds } from './file-times.js';
import { corrupted } from './object-header.js';
import type { ChunkLocation, Repository, Snapshot } from './repository.js';

const BATCH_BYTES = 4 * 1024 * 1024;
const BATCH_BLOBS = 256;
const BATCHES_IN_FLIGHT = 4;

interface Item {
  readonly file: number;
  readonly id: string;
  readonly location: ChunkLocation;
}

export async function materialize(
  repo: Repository,
  snapshot: Snapshot,
  chunks: ReadonlyMap<string, ChunkLocation>,
  target: string,
  onProgress?: (event: ProgressEvent) => void,
): Promise<{ files: number; bytes: number }> {
  const { manifest } = snapshot;
  const subject = manifestName(snapshot.id);
  const files = manifest.entries.filter((e): e is FileEntry => e.type === 'file');
  const progress: ProgressEvent = { phase: 'Unlocking', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: files.length };
  for (const f of files) progress.bytesTotal += f.size;
  const report = () => onProgress?.({ ...progress });
  const abs = (path: string) => join(target, ...path.split('/'));

  const pool = new CryptoPool(repo.keys);
  let openFd: number | undefined;
  try {
    for (const entry of manifest.entries) if (entry.type === 'dir') mkdirSync(abs(entry.path), { mode: 0o700 });

    // Writer: consumes decrypted chunks in manifest order.
    let current = -1;
    let written = 0;
    const finishFile = (index: number) => {
      const file = files[index] as FileEntry;
      if (written !== file.size) throw corrupted(subject, `file entry ${JSON.stringify(file.path)} says ${file.size} bytes but its chunks hold ${written}`);
      const fd = openFd as number;
      fchmodSync(fd, file.mode);
      futimesSync(fd, nsToSeconds(file.mtimeNs), nsToSeconds(file.mtimeNs));
      closeSync(fd);
      openFd = undefined;
      progress.filesDone++;
    };
    const startFile = (index: number) => {
      while (current < index) {
        if (current >= 0) finishFile(current);
        current++;
        openFd = openSync(abs((files[current] as FileEntry).path), 'wx', 0o600);
        written = 0;
      }
    };
    const write = (item: Item, plain: Buffer) => {
      startFile(item.file);
      let done = 0;
      while (done < plain.length) done += writeSync(openFd as number, plain, done, plain.length - done);
      written += plain.length;
      progress.bytesDone += plain.length;
    };

    const inFlight: Promise<void>[] = [];
    let batch: Item[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      batchBytes = 0;
      const data = Buffer.concat(await Promise.all(items.map((i) => repo.store.getRange(i.location.pack, i.location.offset, i.location.length))));
      const ids = Buffer.concat(items.map((i) => Buffer.from(i.id, 'hex')));
      const job = pool.decrypt(data, 0, ids, items.map((i) => i.location.length), false).catch((error: unknown) => {
        if (error instanceof BlobFailed) {
          const bad = items[error.index] as Item;
          throw corrupted(bad.location.pack, `the blob at offset ${bad.location.offset} fails authentication (modified, or from another locker)`);
        }
        throw error;
      });
      const previous = inFlight.at(-1) ?? Promise.resolve();
      const done = Promise.all([job, previous]).then(([{ bodies }]) => {
        items.forEach((item, i) => write(item, bodies[i] as Buffer));
        report();
      });
      done.catch(() => undefined);
      inFlight.push(done);
      if (inFlight.length >= BATCHES_IN_FLIGHT) await inFlight.shift();
    };

    for (let f = 0; f < files.length; f++) {
      const file = files[f] as FileEntry;
      for (const chunk of file.chunks) {
        const location = chunks.get(chunk);
        if (location === undefined) throw corrupted(subject, `file entry ${JSON.stringify(file.path)} refers to a chunk that none of its indexes lists`);
        batch.push({ file: f, id: chunk, location });
        batchBytes += location.length;
        if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_BLOBS) await flush();
      }
    }
    await flush();
    await Promise.all(inFlight.splice(0));
    if (files.length > 0) {
      startFile(files.length - 1);
      finishFile(files.length - 1);
    }

    for (const entry of manifest.entries) {
      if (entry.type !== 'symlink') continue;
      symlinkSync(entry.target, abs(entry.path));
      lutimesSync(abs(entry.path), nsToSeconds(entry.mtimeNs), nsToSeconds(entry.mtimeNs));
    }
    for (const entry of [...manifest.entries].reverse()) {
      if (entry.type !== 'dir') continue;
      chmodSync(abs(entry.path), entry.mode);
      utimesSync(abs(entry.path), nsToSeconds(entry.mtimeNs), nsToSeconds(entry.mtimeNs));
    }
    progress.phase = 'Unlocked';
    report();
    return { files: files.length, bytes: progress.bytesDone };
  } catch (error) {
    if (openFd !== undefined) closeSync(openFd);
    throw error instanceof EnvelockError ? error : toEnvelockError(error);
  } finally {
    await pool.close();
  }
}
