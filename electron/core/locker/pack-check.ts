/**
 * Reads a pack back and authenticates every blob the index lists in it: the
 * read-back step of lock, and the core of verify. Every failure names the pack.
 */
import { TAG_BYTES } from '../crypto/aead.js';
import { packName } from '../store/object-store.js';
import type { Repository } from './repository.js';
import { BlobFailed, transferable, type CryptoPool } from './crypto-pool.js';
import type { PackEntry } from './index-object.js';
import { checkHeader, corrupted, HEADER_BYTES, objectHeader, ObjectKind, truncated } from './object-header.js';
import { computePackId } from './pack-writer.js';

/** Returns the plaintext bytes authenticated. */
export async function checkPack(repo: Repository, pool: CryptoPool, pack: PackEntry, checkIds: boolean): Promise<number> {
  const subject = packName(pack.pack);
  const bytes = await repo.store.get(subject);
  // The name commits to this version's header (computePackId) and a current index lists the pack,
  // so any other header, version byte included, is damage rather than a newer format.
  if (bytes.length >= HEADER_BYTES && !bytes.subarray(0, HEADER_BYTES).equals(objectHeader(ObjectKind.pack))) {
    throw corrupted(subject, 'its header is not the one its name commits to');
  }
  checkHeader(bytes, ObjectKind.pack, subject);
  let end = HEADER_BYTES;
  for (const blob of pack.blobs) {
    if (blob.offset !== end) throw corrupted(subject, `its index lists a blob at offset ${blob.offset} where ${end} was expected`);
    end += blob.length;
  }
  if (bytes.length < end) throw truncated(subject, `${bytes.length} bytes, but its blobs end at byte ${end}`);
  if (bytes.length > end) throw corrupted(subject, `${bytes.length - end} unexpected bytes after its last blob`);
  const blobs = pack.blobs.map((b) => ({ id: Buffer.from(b.id, 'hex'), sealed: bytes.subarray(b.offset, b.offset + b.length) }));
  if (computePackId(blobs) !== pack.pack) throw corrupted(subject, 'its blobs do not hash to its name (blobs swapped, replaced or altered)');
  const ids = Buffer.concat(blobs.map((b) => b.id));
  try {
    await pool.decrypt(transferable(bytes), HEADER_BYTES, ids, pack.blobs.map((b) => b.length), checkIds, null);
  } catch (error) {
    if (error instanceof BlobFailed) {
      const blob = pack.blobs[error.index];
      throw corrupted(subject, `the blob at offset ${blob?.offset} fails ${error.reason === 'auth' ? 'authentication' : 'its content check'} (modified, or from another locker)`);
    }
    throw error;
  }
  return end - HEADER_BYTES - pack.blobs.length * TAG_BYTES;
}

/** Runs fn over items with at most `limit` at once (one pack per crypto worker). */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
