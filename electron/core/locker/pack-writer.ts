/**
 * Gathers sealed chunks into pack objects of about 16 MiB (few PUTs on S3).
 * Pack layout: header ‖ blob ‖ blob ‖ …, a blob being ciphertext ‖ GCM tag.
 * A pack's name is SHA-256(header ‖ for each blob: chunk id ‖ tag)
 * (docs/FORMAT.md §7): the tags authenticate the ciphertext, so the name pins
 * the content without hashing every byte a second time.
 */
import { createHash, type Hash } from 'node:crypto';
import { TAG_BYTES } from '../crypto/aead.js';
import { packName, type ObjectStore, type ObjectWriter } from '../store/object-store.js';
import { HEADER_BYTES, objectHeader, ObjectKind } from './object-header.js';
import type { PackEntry } from './index-object.js';

export const PACK_TARGET_BYTES = 16 * 1024 * 1024;
/** Packs whose fsync may still be running while the next one fills. */
const COMMITS_IN_FLIGHT = 3;

function packHash(): Hash {
  return createHash('sha256').update(objectHeader(ObjectKind.pack));
}

/** The pack name from its blobs' ids and sealed bytes, in order. */
export function computePackId(blobs: readonly { id: Uint8Array; sealed: Uint8Array }[]): string {
  const hash = packHash();
  for (const blob of blobs) hash.update(blob.id).update(blob.sealed.subarray(blob.sealed.length - TAG_BYTES));
  return hash.digest('hex');
}

interface OpenPack {
  readonly writer: ObjectWriter;
  readonly hash: Hash;
  readonly blobs: { id: string; offset: number; length: number }[];
  size: number;
}

export class PackWriter {
  private current: OpenPack | undefined;
  private readonly commits: Promise<void>[] = [];
  readonly written: PackEntry[] = [];
  bytesWritten = 0;

  /** onDurable hears of each pack once it is committed (lock starts reading it back then). */
  constructor(private readonly store: ObjectStore, private readonly onDurable?: (pack: PackEntry) => void) {}

  /** Appends one sealed chunk (body, then its tag) to the open pack. */
  async add(id: Buffer, body: Uint8Array, tag: Uint8Array): Promise<void> {
    if (this.current === undefined) {
      const writer = this.store.writer();
      writer.append(objectHeader(ObjectKind.pack));
      this.current = { writer, hash: packHash(), blobs: [], size: HEADER_BYTES };
    }
    const pack = this.current;
    pack.writer.append(body);
    pack.writer.append(tag);
    pack.hash.update(id).update(tag);
    pack.blobs.push({ id: id.toString('hex'), offset: pack.size, length: body.length + TAG_BYTES });
    pack.size += body.length + TAG_BYTES;
    if (pack.size >= PACK_TARGET_BYTES) await this.close();
  }

  private async close(): Promise<void> {
    const pack = this.current;
    if (pack === undefined) return;
    this.current = undefined;
    const entry: PackEntry = { pack: pack.hash.digest('hex'), blobs: pack.blobs };
    this.written.push(entry);
    this.bytesWritten += pack.size;
    const commit = pack.writer.commit(packName(entry.pack)).then(() => this.onDurable?.(entry));
    commit.catch(() => undefined); // awaited below; this only stops an early abort from being "unhandled"
    this.commits.push(commit);
    if (this.commits.length > COMMITS_IN_FLIGHT) await this.commits.shift();
  }

  /** Closes the last pack and waits until every pack is durable. */
  async finish(): Promise<PackEntry[]> {
    await this.close();
    await Promise.all(this.commits.splice(0));
    return this.written;
  }

  /** Drops a pack that was never committed (the seal failed). */
  abort(): void {
    this.current?.writer.abort();
    this.current = undefined;
  }
}
