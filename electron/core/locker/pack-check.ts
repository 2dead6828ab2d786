/**
 * Reads a pack back and authenticates every blob the index lists in it: the
 * read-back step of lock, and the core of verify. Every failure names the pack.
 */
import { TAG_BYTES } from '../crypto/aead.js';
import { packName } from '../store/object-store.js';
import type { Repository } from './repository.js';
import { MAX_CHUNK } from './chunker.js';
import { BlobFailed, type CryptoPool } from './crypto-pool.js';
import type { PackEntry } from './index-object.js';
import { corrupted, HEADER_BYTES, objectHeader, ObjectKind, truncated } from './object-header.js';
import { computePackId, PACK_TARGET_BYTES } from './pack-writer.js';

/** The largest pack a writer makes: it closes at the target, after a blob of at most MAX_CHUNK + tag. */
const LARGEST_PACK = HEADER_BYTES + PACK_TARGET_BYTES + MAX_CHUNK + TAG_BYTES;

/**
 * Checks packs one after another (or two at once), reading each into a reused
 * buffer: fresh 16 MiB allocations per pack cost more than the check itself.
 */
export class PackChecker {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly repo: Repository, private readonly pool: CryptoPool) {}

  /** Returns the plaintext bytes authenticated. */
  async check(pack: PackEntry, checkIds: boolean): Promise<number> {
    const subject = packName(pack.pack);
    const size = await this.repo.store.size(subject); // a missing pack is reported as missing first
    let end = HEADER_BYTES;
    for (const blob of pack.blobs) {
      if (blob.offset !== end) throw corrupted(subject, `its index lists a blob at offset ${blob.offset} where ${end} was expected`);
      end += blob.length;
    }
    if (size < HEADER_BYTES) throw truncated(subject, `${size} bytes, shorter than its header`);
    if (size < end) throw truncated(subject, `${size} bytes, but its blobs end at byte ${end}`);
    if (size > end) throw corrupted(subject, `${size - end} unexpected bytes after its last blob`);
    const memory = end <= LARGEST_PACK ? (this.free.pop() ?? new ArrayBuffer(LARGEST_PACK)) : new ArrayBuffer(end);
    const bytes = await this.repo.store.getRange(subject, 0, end, Buffer.from(memory));
    // The name commits to this version's header (computePackId) and a current index lists the pack,
    // so any other header, version byte included, is damage rather than a newer format.
    if (!bytes.subarray(0, HEADER_BYTES).equals(objectHeader(ObjectKind.pack))) throw corrupted(subject, 'its header is not the one its name commits to');
    const blobs = pack.blobs.map((b) => ({ id: Buffer.from(b.id, 'hex'), sealed: bytes.subarray(b.offset, b.offset + b.length) }));
    if (computePackId(blobs) !== pack.pack) throw corrupted(subject, 'its blobs do not hash to its name (blobs swapped, replaced or altered)');
    const ids = Buffer.concat(blobs.map((b) => b.id));
    try {
      const { data } = await this.pool.decrypt(memory, HEADER_BYTES, ids, pack.blobs.map((b) => b.length), checkIds, null);
      if (data.byteLength === LARGEST_PACK) this.free.push(data);
    } catch (error) {
      if (error instanceof BlobFailed) {
        const blob = pack.blobs[error.index];
        throw corrupted(subject, `the blob at offset ${blob?.offset} fails ${error.reason === 'auth' ? 'authentication' : 'its content check'} (modified, or from another locker)`);
      }
      throw error;
    }
    return end - HEADER_BYTES - pack.blobs.length * TAG_BYTES;
  }
}

/** Checks one pack (a checker per call: no buffer reuse). */
export function checkPack(repo: Repository, pool: CryptoPool, pack: PackEntry, checkIds: boolean): Promise<number> {
  return new PackChecker(repo, pool).check(pack, checkIds);
}
