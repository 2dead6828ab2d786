/**
 * Worker thread: the per-chunk crypto (chunk id HMAC, AES-256-GCM) runs here so
 * both cores work while the main thread reads, chunks and writes. Jobs and
 * results move as transferred ArrayBuffers, never copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AuthenticationFailed, gcmOpen, gcmSeal, TAG_BYTES, ZERO_NONCE } from '../crypto/aead.js';
import { blobKeyFor, chunkId, CHUNK_ID_BYTES } from '../crypto/keys.js';
import type { WorkerJob, WorkerResult } from './worker-protocol.js';

const { chunkIdKey, blobKey } = workerData as { chunkIdKey: Uint8Array; blobKey: Uint8Array };

function encrypt(data: Buffer, lengths: readonly number[]): WorkerResult {
  const ids = Buffer.allocUnsafeSlow(lengths.length * CHUNK_ID_BYTES);
  const total = lengths.reduce((sum, n) => sum + n, 0);
  const sealed = Buffer.allocUnsafeSlow(total + lengths.length * TAG_BYTES);
  let inAt = 0;
  let outAt = 0;
  lengths.forEach((length, i) => {
    const plain = data.subarray(inAt, inAt + length);
    const id = chunkId(chunkIdKey, plain);
    id.copy(ids, i * CHUNK_ID_BYTES);
    outAt += gcmSeal(blobKeyFor(blobKey, id), ZERO_NONCE, plain).copy(sealed, outAt);
    inAt += length;
  });
  return { ok: true, ids: ids.buffer, out: sealed.buffer };
}

function decrypt(data: Buffer, ids: Buffer, lengths: readonly number[], checkIds: boolean): WorkerResult {
  const total = lengths.reduce((sum, n) => sum + n - TAG_BYTES, 0);
  const plain = Buffer.allocUnsafeSlow(total);
  let inAt = 0;
  let outAt = 0;
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i] as number;
    const id = ids.subarray(i * CHUNK_ID_BYTES, (i + 1) * CHUNK_ID_BYTES);
    let opened: Buffer;
    try {
      opened = gcmOpen(blobKeyFor(blobKey, id), ZERO_NONCE, data.subarray(inAt, inAt + length));
    } catch (error) {
      if (error instanceof AuthenticationFailed) return { ok: false, failedIndex: i, reason: 'auth' };
      throw error;
    }
    if (checkIds && !chunkId(chunkIdKey, opened).equals(id)) return { ok: false, failedIndex: i, reason: 'id' };
    outAt += opened.copy(plain, outAt);
    inAt += length;
  }
  return { ok: true, ids: new ArrayBuffer(0), out: plain.buffer };
}

parentPort?.on('message', (job: WorkerJob) => {
  const data = Buffer.from(job.data);
  const result = job.kind === 'encrypt' ? encrypt(data, job.lengths) : decrypt(data, Buffer.from(job.ids), job.lengths, job.checkIds);
  const transfer = result.ok ? [result.ids, result.out] : [];
  parentPort?.postMessage({ seq: job.seq, result }, transfer);
});
