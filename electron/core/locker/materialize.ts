/**
 * Writes a snapshot out as plain files: unlock (into a fresh folder that then
 * becomes the home) and restore. Chunks are read from packs in manifest order,
 * decrypted by the workers in batches, and written in order; folders get their
 * modes and times last, links are created last so no write passes through one.
 */
import { chmodSync, closeSync, futimesSync, fchmodSync, lutimesSync, mkdirSync, openSync, symlinkSync, utimesSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { manifestName } from '../store/object-store.js';
import { stopIfCancelled, type Observer } from '../cancel.js';
import { TAG_BYTES } from '../crypto/aead.js';
import { MAX_CHUNK } from './chunker.js';
import { BlobFailed, CryptoPool } from './crypto-pool.js';
import type { FileEntry } from './manifest.js';
import { nsToSeconds } from './file-times.js';
import { corrupted } from './object-header.js';
import type { ChunkLocation, Repository, Snapshot } from './repository.js';
import type { FileTarget } from './worker-protocol.js';

/** On cancel the caller takes back the partial tree, as after any failure. */
const CANCELLED = 'the files written so far were removed again; nothing else changed.';

/** A batch flushes before a blob would overflow it; the largest blob is MAX_CHUNK + 16 bytes. */
const BATCH_CAPACITY = 2 * MAX_CHUNK;
const BATCH_BLOBS = 256;
const BATCHES_IN_FLIGHT = 4;

interface Item {
  readonly file: number;
  readonly id: string;
  readonly location: ChunkLocation;
  /** The file's only chunk: the worker writes the file. */
  readonly whole: boolean;
}

export async function materialize(
  repo: Repository,
  snapshot: Snapshot,
  chunks: ReadonlyMap<string, ChunkLocation>,
  target: string,
  { onProgress, signal }: Observer = {},
): Promise<{ files: number; bytes: number }> {
  const { manifest } = snapshot;
  const subject = manifestName(snapshot.id);
  const files = manifest.entries.filter((e): e is FileEntry => e.type === 'file');
  const progress: ProgressEvent = { phase: 'Unlocking', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: files.length, cancellable: signal !== undefined };
  for (const f of files) progress.bytesTotal += f.size;
  const report = () => onProgress?.({ ...progress });
  const abs = (path: string) => join(target, ...path.split('/'));

  const pool = new CryptoPool(repo.keys);
  const writer = new TreeWriter(files, abs, subject, progress);
  try {
    for (const entry of manifest.entries) if (entry.type === 'dir') mkdirSync(abs(entry.path), { mode: 0o700 });

    const inFlight: Promise<void>[] = [];
    const freeInputs: ArrayBuffer[] = [];
    const freeOutputs: ArrayBuffer[] = [];
    let batch: Item[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      batchBytes = 0;
      const input = Buffer.from(freeInputs.pop() ?? new ArrayBuffer(BATCH_CAPACITY));
      let at = 0;
      for (const i of items) at += (await repo.store.getRange(i.location.pack, i.location.offset, i.location.length, input.subarray(at))).length;
      const ids = Buffer.concat(items.map((i) => Buffer.from(i.id, 'hex')));
      const out = freeOutputs.pop() ?? new ArrayBuffer(BATCH_CAPACITY);
      // A file of one chunk is written whole by the worker that decrypts it.
      const targets = items.map((i) => (i.whole ? writer.target(i.file) : null));
      const job = pool.decrypt(input.buffer as ArrayBuffer, 0, ids, items.map((i) => i.location.length), false, out, targets).catch((error: unknown) => {
        if (error instanceof BlobFailed) {
          const bad = items[error.index] as Item;
          throw corrupted(bad.location.pack, `the blob at offset ${bad.location.offset} fails authentication (modified, or from another locker)`);
        }
        throw error;
      });
      const previous = inFlight.at(-1) ?? Promise.resolve();
      const done = Promise.all([job, previous]).then(async ([result]) => {
        freeInputs.push(result.data);
        const plain = Buffer.from(result.out as ArrayBuffer);
        let offset = 0;
        for (const item of items) {
          const length = item.location.length - TAG_BYTES;
          if (item.whole) await writer.written(item.file, length);
          else await writer.write(item.file, plain.subarray(offset, offset + length));
          offset += length;
        }
        freeOutputs.push(result.out as ArrayBuffer); // the writer copied or wrote everything it kept
        report();
      });
      done.catch(() => undefined);
      inFlight.push(done);
      if (inFlight.length >= BATCHES_IN_FLIGHT) await inFlight.shift();
    };

    for (let f = 0; f < files.length; f++) {
      const file = files[f] as FileEntry;
      stopIfCancelled(signal, CANCELLED);
      for (const chunk of file.chunks) {
        const location = chunks.get(chunk);
        if (location === undefined) throw corrupted(subject, `file entry ${JSON.stringify(file.path)} refers to a chunk that none of its indexes lists`);
        if (batchBytes + location.length > BATCH_CAPACITY || batch.length >= BATCH_BLOBS) await flush();
        batch.push({ file: f, id: chunk, location, whole: file.chunks.length === 1 });
        batchBytes += location.length;
      }
    }
    await flush();
    await Promise.all(inFlight.splice(0));
    stopIfCancelled(signal, CANCELLED);
    await writer.finish();

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
    await writer.abort();
    throw error instanceof EnvelockError ? error : toEnvelockError(error);
  } finally {
    await pool.close();
  }
}

/** Empty files are created on the thread pool, this many at once. */
const PARALLEL_FILES = 16;

/**
 * Puts decrypted chunks into files, in manifest order. A file of one chunk is
 * written by a crypto worker (`target`, then `written` here); an empty file is
 * created here, beside others; a bigger file is written chunk by chunk as they
 * come. Mode and times are set as each closes.
 */
class TreeWriter {
  private next = 0;
  private open: { index: number; fd: number; written: number; chunksLeft: number } | undefined;
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly files: readonly FileEntry[],
    private readonly abs: (path: string) => string,
    private readonly subject: string,
    private readonly progress: ProgressEvent,
  ) {}

  private sizeMismatch(file: FileEntry, written: number): Error {
    return corrupted(this.subject, `file entry ${JSON.stringify(file.path)} says ${file.size} bytes but its chunks hold ${written}`);
  }

  /** Creates the files before `index` that have no chunks (they get no call of their own). */
  private async reach(index: number): Promise<void> {
    while (this.next < index) {
      const file = this.files[this.next++] as FileEntry;
      if (file.chunks.length === 0) await this.empty(file);
    }
  }

  private async empty(file: FileEntry): Promise<void> {
    if (file.size !== 0) throw this.sizeMismatch(file, 0);
    if (this.failure !== undefined) throw this.failure;
    while (this.pending.size >= PARALLEL_FILES) await Promise.race(this.pending);
    const task = (async () => {
      const handle = await open(this.abs(file.path), 'wx', 0o600);
      try {
        await handle.chmod(file.mode);
        await handle.utimes(nsToSeconds(file.mtimeNs), nsToSeconds(file.mtimeNs));
      } finally {
        await handle.close();
      }
      this.progress.filesDone++;
    })().catch((error: unknown) => {
      this.failure ??= error;
    });
    const tracked = task.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Where a worker writes file `index` whole. */
  target(index: number): FileTarget {
    const file = this.files[index] as FileEntry;
    return { path: this.abs(file.path), mode: file.mode, mtime: nsToSeconds(file.mtimeNs) };
  }

  /** File `index` was written whole by a worker, `length` bytes. */
  async written(index: number, length: number): Promise<void> {
    await this.reach(index);
    const file = this.files[index] as FileEntry;
    if (length !== file.size) throw this.sizeMismatch(file, length);
    this.next = index + 1;
    this.progress.bytesDone += length;
    this.progress.filesDone++;
  }

  async write(index: number, body: Buffer): Promise<void> {
    await this.reach(index);
    const file = this.files[index] as FileEntry;
    this.progress.bytesDone += body.length;
    if (this.open?.index !== index) {
      this.open = { index, fd: openSync(this.abs(file.path), 'wx', 0o600), written: 0, chunksLeft: file.chunks.length };
      this.next = index + 1;
    }
    const current = this.open;
    for (let done = 0; done < body.length; ) done += writeSync(current.fd, body, done, body.length - done);
    current.written += body.length;
    if (--current.chunksLeft > 0) return;
    this.open = undefined;
    try {
      if (current.written !== file.size) throw this.sizeMismatch(file, current.written);
      fchmodSync(current.fd, file.mode);
      futimesSync(current.fd, nsToSeconds(file.mtimeNs), nsToSeconds(file.mtimeNs));
    } finally {
      closeSync(current.fd);
    }
    this.progress.filesDone++;
  }

  async finish(): Promise<void> {
    await this.reach(this.files.length);
    await Promise.all(this.pending);
    if (this.failure !== undefined) throw this.failure;
  }

  async abort(): Promise<void> {
    if (this.open !== undefined) closeSync(this.open.fd);
    this.open = undefined;
    await Promise.all(this.pending);
  }
}
