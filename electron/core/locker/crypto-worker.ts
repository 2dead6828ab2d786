/**
 * Worker thread: the per-chunk crypto (chunk id HMAC, AES-256-GCM) runs here so
 * both cores work while the main thread reads, chunks and writes; small files
 * are read and written here too (worker-files.ts). Cipher output is produced
 * in small slices and copied into the caller's reused buffer: large fresh
 * allocations (and their page faults) cost more than the copy.
 */
import { createCipheriv, createDecipheriv, type CipherGCM } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { TAG_BYTES, ZERO_NONCE } from '../crypto/aead.js';
import { blobKeyFor, chunkId, chunkIdHmac, CHUNK_ID_BYTES } from '../crypto/keys.js';
import { ioFailure, readWholeFile, writeWholeFile } from './worker-files.js';
import type { WorkerJob, WorkerResult } from './worker-protocol.js';

const { chunkIdKey, blobKey } = workerData as { chunkIdKey: Uint8Array; blobKey: Uint8Array };
/** Below glibc's mmap threshold, so each slice's output reuses heap memory. */
const SLICE = 64 * 1024;

/** Runs src through the cipher into out[at…]; returns the new position. */
function stream(cipher: CipherGCM, src: Buffer, out: Buffer, at: number): number {
  for (let offset = 0; offset < src.length; offset += SLICE) at += cipher.update(src.subarray(offset, offset + SLICE)).copy(out, at);
  return at;
}

function encrypt(job: Extract<WorkerJob, { kind: 'encrypt' }>): WorkerResult {
  const data = Buffer.from(job.data);
  const out = Buffer.from(job.out);
  const ids = Buffer.allocUnsafeSlow(job.items.length * CHUNK_ID_BYTES);
  const tags = Buffer.allocUnsafeSlow(job.items.length * TAG_BYTES);
  const lengths: number[] = [];
  const changed: number[] = [];
  let at = 0;
  for (let i = 0; i < job.items.length; i++) {
    const item = job.items[i] as (typeof job.items)[number];
    let length = item.length;
    if (item.file !== undefined) {
      try {
        const read = readWholeFile(item.file.path, data.subarray(at, at + item.length), item.file.mtimeNs);
        length = read.length;
        if (read.changed) changed.push(i);
      } catch (error) {
        return { ok: false, failedIndex: i, reason: 'io', io: ioFailure(error, item.file.path), data: job.data, out: job.out };
      }
    }
    const plain = data.subarray(at, at + length);
    const id = chunkId(chunkIdKey, plain);
    id.copy(ids, i * CHUNK_ID_BYTES);
    const cipher = createCipheriv('aes-256-gcm', blobKeyFor(blobKey, id), ZERO_NONCE);
    stream(cipher, plain, out, at);
    cipher.final();
    cipher.getAuthTag().copy(tags, i * TAG_BYTES);
    lengths.push(length);
    at += item.length;
  }
  return { ok: true, ids: ids.buffer, tags: tags.buffer, lengths, changed, data: job.data, out: job.out };
}

function decrypt(job: Extract<WorkerJob, { kind: 'decrypt' }>): WorkerResult {
  const data = Buffer.from(job.data);
  const ids = Buffer.from(job.ids);
  const out = job.out === null ? undefined : Buffer.from(job.out);
  const fail = (failedIndex: number, reason: 'auth' | 'id'): WorkerResult => ({ ok: false, failedIndex, reason, data: job.data, out: job.out });
  let inAt = job.start;
  let outAt = 0;
  for (let i = 0; i < job.lengths.length; i++) {
    const bodyLength = (job.lengths[i] as number) - TAG_BYTES;
    const id = ids.subarray(i * CHUNK_ID_BYTES, (i + 1) * CHUNK_ID_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', blobKeyFor(blobKey, id), ZERO_NONCE);
    decipher.setAuthTag(data.subarray(inAt + bodyLength, inAt + bodyLength + TAG_BYTES));
    const body = data.subarray(inAt, inAt + bodyLength);
    // The id check needs the plaintext: hash it slice by slice when it is not kept.
    const idHash = job.checkIds ? chunkIdHmac(chunkIdKey) : undefined;
    let at = outAt;
    for (let offset = 0; offset < body.length; offset += SLICE) {
      const piece = decipher.update(body.subarray(offset, offset + SLICE));
      if (out !== undefined) piece.copy(out, at);
      idHash?.update(piece);
      at += piece.length;
    }
    try {
      decipher.final();
    } catch {
      return fail(i, 'auth');
    }
    if (idHash !== undefined && !idHash.digest().equals(id)) return fail(i, 'id');
    // Only authenticated plaintext reaches a file.
    const target = job.files?.[i];
    if (target !== undefined && target !== null && out !== undefined) {
      try {
        writeWholeFile(target, out.subarray(outAt, at));
      } catch (error) {
        return { ok: false, failedIndex: i, reason: 'io', io: ioFailure(error, target.path), data: job.data, out: job.out };
      }
    }
    outAt = at;
    inAt += bodyLength + TAG_BYTES;
  }
  return { ok: true, ids: new ArrayBuffer(0), tags: new ArrayBuffer(0), lengths: [], changed: [], data: job.data, out: job.out };
}

parentPort?.on('message', (job: WorkerJob) => {
  const result = job.kind === 'encrypt' ? encrypt(job) : decrypt(job);
  const transfer = [result.data, ...(result.out === null ? [] : [result.out]), ...(result.ok ? [result.ids, result.tags] : [])];
  parentPort?.postMessage({ seq: job.seq, result }, transfer);
});
