/**
 * Gathers sealed chunks into pack objects of about 16 MiB (few PUTs on S3).
 * Pack layout: header ‖ blob ‖ blob ‖ …; a pack's name is
 * SHA-256(header ‖ for each blob: chunk id ‖ GCM tag) (docs/FORMAT.md §7).
 */
import { createHash } from 'node:crypto';
import { TAG_BYTES } from '../crypto/aead.js';
import { packName, type ObjectStore } from '../store/object-store.js';
import { HEADER_BYTES, objectHeader, ObjectKind } from './object-header.js';
import type { PackEntry } from './index-object.js';

export const PACK_TARGET_BYTES = 16 * 1024 * 1024;
const MAX_WRITES_IN_FLIGHT = 2;

/** The pack name from its header and its blobs' ids and tags, in order. */
export function computePackId(blobs: readonly { id: Uint8Array; sealed: Uint8Array }[]): string {
  const hash = createHash('sha256').update(objectHeader(ObjectKind.pack));
  for (const blob of blobs) hash.update(blob.id).update(blob.sealed.subarray(blob.sealed.length - TAG_BYTES));
  return hash.digest('hex');
}

export class PackWriter {
  private parts: Buffer[] = [];
  private blobs: { id: Buffer; sealed: Buffer; offset: number }[] = [];
  private size = HEADER_BYTES;
  private readonly writes: Promise<void>[] = [];
  readonly written: PackEntry[] = [];
  bytesWritten = 0;

  constructor(private readonly store: ObjectStore) {}

  async add(id: Buffer, sealed: Buffer): Promise<void> {
    this.parts.push(sealed);
    this.blobs.push({ id, sealed, offset: this.size });
    this.size += sealed.length;
    if (this.size >= PACK_TARGET_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.blobs.length === 0) return;
    const id = computePackId(this.blobs);
    const parts = [objectHeader(ObjectKind.pack), ...this.parts];
    this.written.push({ pack: id, blobs: this.blobs.map((b) => ({ id: b.id.toString('hex'), offset: b.offset, length: b.sealed.length })) });
    this.bytesWritten += this.size;
    this.parts = [];
    this.blobs = [];
    this.size = HEADER_BYTES;
    const write = this.store.put(packName(id), parts);
    write.catch(() => undefined); // awaited below; this only stops an early abort from being "unhandled"
    this.writes.push(write);
    // Bound memory: at most a couple of packs wait for the disk at once.
    if (this.writes.length > MAX_WRITES_IN_FLIGHT) await this.writes.shift();
  }

  /** Flushes the last pack and waits until every pack is durable. */
  async finish(): Promise<PackEntry[]> {
    await this.flush();
    await Promise.all(this.writes.splice(0));
    return this.written;
  }
}
