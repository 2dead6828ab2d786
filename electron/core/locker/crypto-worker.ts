/**
 * Worker thread: the per-chunk crypto (chunk id HMAC, AES-256-GCM) runs here so
 * both cores work while the main thread reads, chunks and writes. Buffers move
 * by transfer, never by copy; each cipher output goes back as it came out.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { TAG_BYTES, ZERO_NONCE } from '../crypto/aead.js';
import { blobKeyFor, chunkId, CHUNK_ID_BYTES } from '../crypto/keys.js';
import type { WorkerJob, WorkerResult } from './worker-protocol.js';

const { chunkIdKey, blobKey } = workerData as { chunkIdKey: Uint8Array; blobKey: Uint8Array };

/** The buffer's memory as a transferable ArrayBuffer (small outputs share a pool: copy those). */
function own(buffer: Buffer): ArrayBuffer {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer) return buffer.buffer;
  const copy = new ArrayBuffer(buffer.length);
  new Uint8Array(copy).set(buffer);
  return copy;
}

function encrypt(data: Buffer, lengths: readonly number[], input: ArrayBuffer): WorkerResult {
  const ids = Buffer.allocUnsafeSlow(lengths.length * CHUNK_ID_BYTES);
  const tags = Buffer.allocUnsafeSlow(lengths.length * TAG_BYTES);
  const bodies: ArrayBuffer[] = [];
  let at = 0;
  lengths.forEach((length, i) => {
    const plain = data.subarray(at, at + length);
    const id = chunkId(chunkIdKey, plain);
    id.copy(ids, i * CHUNK_ID_BYTES);
    const cipher = createCipheriv('aes-256-gcm', blobKeyFor(blobKey, id), ZERO_NONCE);
    bodies.push(own(cipher.update(plain)));
    cipher.final();
    cipher.getAuthTag().copy(tags, i * TAG_BYTES);
    at += length;
  });
  return { ok: true, ids: ids.buffer, tags: tags.buffer, bodies, input };
}

function decrypt(data: Buffer, start: number, ids: Buffer, lengths: readonly number[], checkIds: boolean, input: ArrayBuffer): WorkerResult {
  const bodies: ArrayBuffer[] = [];
  let at = start;
  for (let i = 0; i < lengths.length; i++) {
    const sealedLength = lengths[i] as number;
    const bodyLength = sealedLength - TAG_BYTES;
    const id = ids.subarray(i * CHUNK_ID_BYTES, (i + 1) * CHUNK_ID_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', blobKeyFor(blobKey, id), ZERO_NONCE);
    decipher.setAuthTag(data.subarray(at + bodyLength, at + sealedLength));
    const plain = decipher.update(data.subarray(at, at + bodyLength));
    try {
      decipher.final();
    } catch {
      return { ok: false, failedIndex: i, reason: 'auth', input };
    }
    if (checkIds && !chunkId(chunkIdKey, plain).equals(id)) return { ok: false, failedIndex: i, reason: 'id', input };
    bodies.push(own(plain));
    at += sealedLength;
  }
  return { ok: true, ids: new ArrayBuffer(0), tags: new ArrayBuffer(0), bodies, input };
}

parentPort?.on('message', (job: WorkerJob) => {
  const data = Buffer.from(job.data);
  const result = job.kind === 'encrypt' ? encrypt(data, job.lengths, job.data) : decrypt(data, job.start, Buffer.from(job.ids), job.lengths, job.checkIds, job.data);
  const transfer = result.ok ? [result.ids, result.tags, result.input, ...result.bodies] : [result.input];
  parentPort?.postMessage({ seq: job.seq, result }, transfer);
});
