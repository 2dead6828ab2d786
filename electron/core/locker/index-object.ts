/**
 * Index objects map chunk ids to their place in packs (docs/FORMAT.md §7).
 * Plaintext (sealed as object kind 4):
 *   u32 packCount, then per pack: packName(32) ‖ u32 blobCount ‖
 *   blobCount × (chunkId(32) ‖ u32 offset ‖ u32 sealedLength)
 */
import { corrupted } from './object-header.js';

export interface BlobLocation {
  readonly pack: string;
  readonly offset: number;
  /** Length of ciphertext ‖ tag in the pack. */
  readonly length: number;
}

export interface PackEntry {
  readonly pack: string;
  readonly blobs: readonly { readonly id: string; readonly offset: number; readonly length: number }[];
}

/** Largest blob we write (max chunk + tag) with room to spare; bigger is not ours. */
export const MAX_BLOB_BYTES = 64 * 1024 * 1024;

export function encodeIndex(packs: readonly PackEntry[]): Buffer {
  let size = 4;
  for (const pack of packs) size += 36 + pack.blobs.length * 40;
  const out = Buffer.alloc(size);
  let at = out.writeUInt32BE(packs.length, 0);
  for (const pack of packs) {
    at += out.write(pack.pack, at, 'hex');
    at = out.writeUInt32BE(pack.blobs.length, at);
    for (const blob of pack.blobs) {
      at += out.write(blob.id, at, 'hex');
      at = out.writeUInt32BE(blob.offset, at);
      at = out.writeUInt32BE(blob.length, at);
    }
  }
  return out;
}

export function decodeIndex(plain: Buffer, subject: string): PackEntry[] {
  const need = (at: number, n: number) => {
    if (at + n > plain.length) throw corrupted(subject, 'its index ends in the middle of an entry');
  };
  need(0, 4);
  const packCount = plain.readUInt32BE(0);
  // Each pack takes at least 36 bytes: reject impossible counts before looping.
  if (packCount * 36 > plain.length) throw corrupted(subject, `it claims ${packCount} packs in ${plain.length} bytes`);
  const packs: PackEntry[] = [];
  let at = 4;
  for (let p = 0; p < packCount; p++) {
    need(at, 36);
    const pack = plain.toString('hex', at, at + 32);
    const blobCount = plain.readUInt32BE(at + 32);
    at += 36;
    need(at, blobCount * 40);
    const blobs = [];
    for (let b = 0; b < blobCount; b++) {
      const length = plain.readUInt32BE(at + 36);
      if (length < 16 || length > MAX_BLOB_BYTES) throw corrupted(subject, `a blob length of ${length} bytes is out of range`);
      blobs.push({ id: plain.toString('hex', at, at + 32), offset: plain.readUInt32BE(at + 32), length });
      at += 40;
    }
    packs.push({ pack, blobs });
  }
  if (at !== plain.length) throw corrupted(subject, 'it has trailing bytes after its last entry');
  return packs;
}
