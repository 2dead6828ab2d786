/**
 * A small pool of crypto workers (one per core, at most 4). Callers batch many
 * small chunks into one job so a 1 KiB file costs a memcpy, not a message.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LockerKeys } from '../crypto/keys.js';
import type { FileTarget, IoFailure, SealItem, WorkerJob, WorkerResult } from './worker-protocol.js';

export class BlobFailed extends Error {
  constructor(readonly index: number, readonly reason: 'auth' | 'id') {
    super(`blob ${index} failed ${reason}`);
  }
}

/** A worker's failed file call, shaped like Node's system errors so toEnvelockError maps it (DISK_FULL, …). */
export class FileCallFailed extends Error {
  readonly code: string;
  readonly path: string;
  readonly syscall: string;

  constructor(failure: IoFailure) {
    super(`${failure.syscall} ${failure.path}: ${failure.code}`);
    this.code = failure.code;
    this.path = failure.path;
    this.syscall = failure.syscall;
  }
}

function failureOf(result: Extract<WorkerResult, { ok: false }>): Error {
  return result.reason === 'io' ? new FileCallFailed(result.io) : new BlobFailed(result.failedIndex, result.reason);
}

interface Pending {
  resolve: (result: WorkerResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Under tsx/vitest the worker is a .ts file that Node cannot load alone; a tiny
 * bootstrap registers tsx's loader inside the worker first. Built code loads
 * the .js file directly.
 */
function spawnWorker(keys: LockerKeys): Worker {
  const workerData = { chunkIdKey: keys.chunkIdKey, blobKey: keys.blobKey };
  const url = new URL('./crypto-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    const tsUrl = new URL('./crypto-worker.ts', import.meta.url).href;
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(tsUrl)}); })`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  return new Worker(url, { workerData });
}

/** The buffer's memory as a whole ArrayBuffer (transferred, so it starts at 0), copying only if it shares one. */
export function transferable(buffer: Buffer): ArrayBuffer {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer) return buffer.buffer;
  const copy = new ArrayBuffer(buffer.length);
  Buffer.from(copy).set(buffer);
  return copy;
}

export class CryptoPool {
  private readonly workers: Worker[];
  private readonly load: number[];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failure: unknown;

  constructor(keys: LockerKeys, size = Math.max(1, Math.min(4, availableParallelism()))) {
    this.workers = Array.from({ length: size }, () => spawnWorker(keys));
    this.load = this.workers.map(() => 0);
    this.workers.forEach((worker, i) => {
      worker.on('message', (message: { seq: number; result: WorkerResult }) => {
        this.load[i] = (this.load[i] ?? 1) - 1;
        const waiter = this.pending.get(message.seq);
        this.pending.delete(message.seq);
        waiter?.resolve(message.result);
      });
      worker.on('error', (error) => this.failAll(error));
    });
  }

  private failAll(error: unknown): void {
    this.failure = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  private run(job: WorkerJob, transfer: ArrayBuffer[]): Promise<WorkerResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    let best = 0;
    for (let i = 1; i < this.workers.length; i++) if ((this.load[i] as number) < (this.load[best] as number)) best = i;
    this.load[best] = (this.load[best] as number) + 1;
    return new Promise((resolve, reject) => {
      this.pending.set(job.seq, { resolve, reject });
      (this.workers[best] as Worker).postMessage(job, transfer);
    });
  }

  /**
   * Encrypts chunks laid end to end in `data` (file items are read into their
   * reserved space first); each ciphertext body goes to the same offset in
   * `out`. Returns ids (32 bytes each), GCM tags (16 bytes each), each item's
   * real length, the items whose file changed while read, and both buffers.
   */
  async encrypt(data: ArrayBuffer, items: readonly SealItem[], out: ArrayBuffer): Promise<{ ids: Buffer; tags: Buffer; lengths: number[]; changed: number[]; data: ArrayBuffer; out: ArrayBuffer }> {
    const result = await this.run({ kind: 'encrypt', seq: this.seq++, data, items, out }, [data, out]);
    if (!result.ok) throw failureOf(result);
    if (result.out === null) throw new Error('encrypt job returned no output');
    return { ids: Buffer.from(result.ids), tags: Buffer.from(result.tags), lengths: result.lengths, changed: result.changed, data: result.data, out: result.out };
  }

  /**
   * Decrypts sealed blobs (body ‖ tag) laid end to end from byte `start` of
   * `data`; plaintexts go end to end into `out`, or are only authenticated
   * when `out` is null; a blob with a target in `files` is written to that
   * file by the worker. Throws BlobFailed naming the first blob that fails,
   * or FileCallFailed.
   */
  async decrypt(
    data: ArrayBuffer,
    start: number,
    ids: Buffer,
    lengths: number[],
    checkIds: boolean,
    out: ArrayBuffer | null,
    files?: readonly (FileTarget | null)[],
  ): Promise<{ data: ArrayBuffer; out: ArrayBuffer | null }> {
    const idBuffer = transferable(ids);
    const transfer = out === null ? [data, idBuffer] : [data, idBuffer, out];
    const job: WorkerJob = { kind: 'decrypt', seq: this.seq++, data, start, ids: idBuffer, lengths, checkIds, out, ...(files === undefined ? {} : { files }) };
    const result = await this.run(job, transfer);
    if (!result.ok) throw failureOf(result);
    return { data: result.data, out: result.out };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
