/**
 * Seal: snapshot a home folder into the store (docs/ARCHITECTURE.md, "seal").
 * The main thread walks, reads and chunks; workers hash and encrypt; new chunks
 * go into packs; then one index and one manifest are written. Files whose size
 * and mtime match the parent snapshot are not read again.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { toEnvelockError } from '../../../shared/errors.js';
import { stopIfCancelled } from '../cancel.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { TAG_BYTES } from '../crypto/aead.js';
import { CHUNK_ID_BYTES } from '../crypto/keys.js';
import { packName } from '../store/object-store.js';
import { MAX_CHUNK, MIN_CHUNK, nextCut } from './chunker.js';
import { CryptoPool } from './crypto-pool.js';
import { comparePaths, type Entry, type FileEntry, type Manifest } from './manifest.js';
import { sameMicrosecond } from './file-times.js';
import { PackWriter } from './pack-writer.js';
import { writeIndex, writeManifest, type ChunkLocation, type Repository, type Snapshot } from './repository.js';
import { scanHome, type ScannedEntry } from './scan.js';
import type { PackEntry } from './index-object.js';
import type { SealItem } from './worker-protocol.js';

export interface SealInput {
  readonly home: string;
  readonly parent: Snapshot | undefined;
  /** Every chunk the store already holds; new chunks are added to it. */
  readonly chunks: Map<string, ChunkLocation>;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly warn?: (message: string) => void;
  /**
   * Keep the parent's entries that are missing from the home. Used only to
   * finish an interrupted lock, whose home holds just what was not yet removed.
   */
  readonly carryOver?: boolean;
  /** Workers to use (shared with lock's read-back); a pool of its own when absent. */
  readonly pool?: CryptoPool;
  /** Called as each new pack becomes durable. */
  readonly onPackDurable?: (pack: PackEntry) => void;
  /** Checked before each file: a cancelled seal leaves only unreferenced packs behind. */
  readonly signal?: AbortSignal;
}

export interface SealResult {
  readonly snapshot: Snapshot;
  /** False when the home matched the parent snapshot: nothing was written. */
  readonly changed: boolean;
  /** Packs written by this seal: lock reads these back before removing plaintext. */
  readonly newPacks: readonly PackEntry[];
  /** Files whose size or time changed while they were read. */
  readonly changedWhileReading: readonly string[];
  readonly stats: { files: number; bytes: number; filesRead: number; bytesRead: number; bytesStored: number };
}

/** One batch fills one buffer; a chunk is at most this big, so it always fits an empty one. */
const BATCH_BYTES = MAX_CHUNK;
const BATCH_CHUNKS = 256;
const BATCHES_IN_FLIGHT = 4;
const READ_BUFFER_BYTES = 2 * MAX_CHUNK + 8 * 1024 * 1024;

/** Where a chunk's id goes; for a file the worker read whole, also the entry whose size it learns. */
interface Slot {
  readonly ids: string[];
  readonly at: number;
  readonly whole?: { readonly path: string; readonly entry: { size: number } };
}

type Encrypted = { ids: Buffer; tags: Buffer; bodies: Buffer[]; lengths: number[]; changed: ReadonlySet<number> };

/**
 * Batches chunks for the workers — chunks the main thread cut, and small
 * files the workers read themselves — and hands results back strictly in
 * submission order, so packs are laid out deterministically. Input and output
 * buffers come back from the workers and are reused: memory stays flat, and
 * no fresh pages are touched per batch.
 */
class ChunkBatcher {
  private readonly freeInputs: ArrayBuffer[] = [];
  private readonly freeOutputs: ArrayBuffer[] = [];
  private data: Buffer;
  private used = 0;
  private items: SealItem[] = [];
  private slots: Slot[] = [];
  private readonly inFlight: Promise<void>[] = [];

  constructor(private readonly pool: CryptoPool, private readonly consume: (result: Encrypted, slots: Slot[]) => Promise<void>) {
    this.data = Buffer.from(this.take(this.freeInputs));
  }

  private take(free: ArrayBuffer[]): ArrayBuffer {
    return free.pop() ?? new ArrayBuffer(BATCH_BYTES);
  }

  /** A chunk the main thread cut: copied into the batch. */
  async add(chunk: Uint8Array, slot: Slot): Promise<void> {
    await this.reserve(chunk.length);
    this.data.set(chunk, this.used);
    await this.push({ length: chunk.length }, slot);
  }

  /** A file of one chunk (at most MIN_CHUNK bytes): a worker reads it into the space reserved here. */
  async addFile(path: string, size: number, mtimeNs: string, slot: Slot): Promise<void> {
    await this.reserve(size);
    await this.push({ length: size, file: { path, mtimeNs } }, slot);
  }

  private async reserve(length: number): Promise<void> {
    if (this.used + length > BATCH_BYTES) await this.flush();
  }

  private async push(item: SealItem, slot: Slot): Promise<void> {
    this.used += item.length;
    this.items.push(item);
    this.slots.push(slot);
    if (this.items.length >= BATCH_CHUNKS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.items.length === 0) return;
    const { items, slots } = this;
    const job = this.pool.encrypt(this.data.buffer as ArrayBuffer, items, this.take(this.freeOutputs)).then((result) => {
      this.freeInputs.push(result.data);
      return result;
    });
    const previous = this.inFlight.at(-1) ?? Promise.resolve();
    const done = Promise.all([job, previous]).then(async ([result]) => {
      const out = Buffer.from(result.out);
      let at = 0;
      const bodies = items.map((item, i) => {
        const body = out.subarray(at, at + (result.lengths[i] as number));
        at += item.length;
        return body;
      });
      await this.consume({ ids: result.ids, tags: result.tags, bodies, lengths: result.lengths, changed: new Set(result.changed) }, slots);
      this.freeOutputs.push(result.out); // consume wrote the bodies out synchronously
    });
    done.catch(() => undefined); // awaited in order below; this only stops an early abort from being "unhandled"
    this.inFlight.push(done);
    this.data = Buffer.from(this.take(this.freeInputs));
    this.used = 0;
    this.items = [];
    this.slots = [];
    if (this.inFlight.length >= BATCHES_IN_FLIGHT) await this.inFlight.shift();
  }

  async finish(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight.splice(0));
  }
}

export async function sealHome(repo: Repository, input: SealInput): Promise<SealResult> {
  const warn = input.warn ?? (() => undefined);
  const scanned = scanHome(input.home, warn);
  const previous = new Map<string, Entry>();
  for (const entry of input.parent?.manifest.entries ?? []) previous.set(entry.path, entry);

  const progress: ProgressEvent = { phase: 'Sealing', bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, cancellable: input.signal !== undefined };
  for (const e of scanned) if (e.type === 'file') { progress.filesTotal++; progress.bytesTotal += e.size; }
  const report = () => input.onProgress?.({ ...progress });
  report();

  const pool = input.pool ?? new CryptoPool(repo.keys);
  const packs = new PackWriter(repo.store, input.onPackDurable);
  const newChunks = new Set<string>();
  const entries: Entry[] = [];
  const changedWhileReading: string[] = [];
  let filesRead = 0;
  let bytesRead = 0;
  const batcher = new ChunkBatcher(pool, async ({ ids, tags, bodies, lengths, changed }, slots) => {
    for (let i = 0; i < lengths.length; i++) {
      const idBytes = ids.subarray(i * CHUNK_ID_BYTES, (i + 1) * CHUNK_ID_BYTES);
      const id = idBytes.toString('hex');
      const slot = slots[i] as Slot;
      slot.ids[slot.at] = id;
      if (!input.chunks.has(id) && !newChunks.has(id)) {
        newChunks.add(id);
        await packs.add(idBytes, bodies[i] as Buffer, tags.subarray(i * TAG_BYTES, (i + 1) * TAG_BYTES));
      }
      progress.bytesDone += lengths[i] as number;
      if (slot.whole !== undefined) {
        slot.whole.entry.size = lengths[i] as number;
        if (changed.has(i)) changedWhileReading.push(slot.whole.path);
        progress.filesDone++;
        filesRead++;
        bytesRead += lengths[i] as number;
      }
    }
    report();
  });

  const readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  try {
    for (const e of scanned) {
      stopIfCancelled(input.signal, 'the home folder is untouched and no new snapshot was saved.');
      if (e.type === 'dir') {
        const old = previous.get(e.path);
        // Finishing a lock (carry-over): the folder's time changed because lock removed its
        // children, and its mode may be the one lock opened it with; keep what was sealed.
        if (input.carryOver === true && old?.type === 'dir') {
          entries.push(old);
          continue;
        }
        entries.push({ path: e.path, type: 'dir', mode: e.mode, mtimeNs: recordedTime(old, e) });
        continue;
      }
      if (e.type === 'symlink') {
        entries.push({ path: e.path, type: 'symlink', target: e.target ?? '', mtimeNs: recordedTime(previous.get(e.path), e) });
        continue;
      }
      const old = previous.get(e.path);
      if (old?.type === 'file' && old.size === e.size && sameMicrosecond(old.mtimeNs, e.mtimeNs) && old.chunks.every((c) => input.chunks.has(c))) {
        entries.push({ ...old, mode: e.mode });
        progress.filesDone++;
        progress.bytesDone += e.size;
        continue;
      }
      const ids: string[] = [];
      const path = join(input.home, ...e.path.split('/'));
      if (e.size > 0 && e.size <= MIN_CHUNK) {
        // One chunk: a worker reads the file itself; its size is known when the batch comes back.
        const entry = { path: e.path, type: 'file' as const, mode: e.mode, mtimeNs: e.mtimeNs, size: e.size, chunks: ids };
        entries.push(entry);
        await batcher.addFile(path, e.size, e.mtimeNs, { ids, at: 0, whole: { path: e.path, entry } });
        continue;
      }
      const entry: FileEntry = { path: e.path, type: 'file', mode: e.mode, mtimeNs: e.mtimeNs, size: 0, chunks: ids };
      const size = await readFileChunks(path, readBuffer, repo.keys.gearTable, (chunk, at) => batcher.add(chunk, { ids, at }), () => changedWhileReading.push(e.path), e);
      entries.push({ ...entry, size });
      filesRead++;
      bytesRead += size;
      progress.filesDone++;
    }
    if (input.carryOver === true) entries.push(...carriedEntries(input.parent?.manifest.entries ?? [], scanned));
    entries.sort((a, b) => comparePaths(a.path, b.path));
    await batcher.finish();
    const newPacks = await packs.finish();
    const parent = input.parent;
    if (parent !== undefined && newPacks.length === 0 && parent.manifest.keyslotGeneration === repo.keyslots.generation && JSON.stringify(entries) === JSON.stringify(parent.manifest.entries)) {
      return { snapshot: parent, changed: false, newPacks, changedWhileReading, stats: { files: progress.filesTotal, bytes: progress.bytesTotal, filesRead, bytesRead, bytesStored: 0 } };
    }
    const newIndex = newPacks.length > 0 ? await writeIndex(repo, newPacks) : undefined;
    for (const pack of newPacks) {
      for (const blob of pack.blobs) input.chunks.set(blob.id, { pack: packName(pack.pack), offset: blob.offset, length: blob.length, index: newIndex as string });
    }
    const indexes = new Set<string>();
    for (const entry of entries) {
      if (entry.type !== 'file') continue;
      for (const chunk of entry.chunks) indexes.add((input.chunks.get(chunk) as ChunkLocation).index);
    }
    const manifest: Manifest = {
      format: 1,
      locker: repo.lockerId,
      seq: (parent?.manifest.seq ?? 0) + 1,
      parents: parent === undefined ? [] : [parent.id],
      created: new Date().toISOString(),
      keyslotGeneration: repo.keyslots.generation,
      indexes: [...indexes].sort(),
      entries,
    };
    const id = await writeManifest(repo, manifest);
    progress.phase = 'Sealed';
    report();
    return {
      snapshot: { id, manifest },
      changed: true,
      newPacks,
      changedWhileReading,
      stats: { files: progress.filesTotal, bytes: progress.bytesTotal, filesRead, bytesRead, bytesStored: packs.bytesWritten },
    };
  } catch (error) {
    packs.abort();
    throw toEnvelockError(error);
  } finally {
    if (input.pool === undefined) await pool.close();
  }
}

/**
 * Unlock restores times only to the microsecond. Keep the nanoseconds recorded
 * before when they agree to the microsecond, as files do: else every folder and
 * link differed after an unlock and a seal of an untouched home wrote a new snapshot.
 */
function recordedTime(old: Entry | undefined, e: ScannedEntry): string {
  return old?.type === e.type && sameMicrosecond(old.mtimeNs, e.mtimeNs) ? old.mtimeNs : e.mtimeNs;
}

/** Reads one file, cutting it into chunks; returns the bytes read. */
async function readFileChunks(
  path: string,
  buffer: Buffer,
  gear: Int32Array,
  onChunk: (chunk: Uint8Array, at: number) => Promise<void>,
  onChanged: () => void,
  expected: { size: number; mtimeNs: string },
): Promise<number> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw toEnvelockError(error);
  }
  try {
    let filled = 0;
    let start = 0;
    let eof = false;
    let total = 0;
    let index = 0;
    for (;;) {
      if (!eof && filled - start < MAX_CHUNK) {
        buffer.copyWithin(0, start, filled);
        filled -= start;
        start = 0;
        while (filled < buffer.length) {
          const n = readSync(fd, buffer, filled, buffer.length - filled, null);
          if (n === 0) { eof = true; break; }
          filled += n;
          total += n;
        }
      }
      if (start === filled) break;
      const cut = nextCut(gear, buffer, start, filled);
      await onChunk(buffer.subarray(start, start + cut), index++);
      start += cut;
    }
    const after = fstatSync(fd, { bigint: true });
    if (Number(after.size) !== expected.size || after.mtimeNs.toString() !== expected.mtimeNs || total !== expected.size) onChanged();
    return total;
  } finally {
    closeSync(fd);
  }
}

/** Parent entries absent from the home, unless the home now has a non-folder where their folder was. */
function carriedEntries(parentEntries: readonly Entry[], scanned: readonly ScannedEntry[]): Entry[] {
  const present = new Map(scanned.map((e) => [e.path, e.type]));
  return parentEntries.filter((entry) => {
    if (present.has(entry.path)) return false;
    const segments = entry.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const type = present.get(segments.slice(0, i).join('/'));
      if (type !== undefined && type !== 'dir') return false;
    }
    return true;
  });
}
