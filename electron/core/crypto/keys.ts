/**
 * The key schedule (docs/FORMAT.md §3). One random 256-bit locker master key
 * (LMK) per locker; every other key is HKDF-SHA256(LMK, salt = locker id, info).
 */
import { createHmac, hkdfSync, timingSafeEqual, type Hmac } from 'node:crypto';

export const LMK_BYTES = 32;
export const LOCKER_ID_BYTES = 16;
export const CHUNK_ID_BYTES = 32;

const LABELS = {
  chunkId: 'envelock v1 chunk id',
  gear: 'envelock v1 gear table',
  blob: 'envelock v1 blob',
  object: 'envelock v1 object',
  keyslotsMac: 'envelock v1 keyslots mac',
  commitment: 'envelock v1 key commitment',
} as const;

export interface LockerKeys {
  /** HMAC key for chunk ids. */
  readonly chunkIdKey: Buffer;
  /** PRF key for per-chunk encryption keys. */
  readonly blobKey: Buffer;
  /** PRF key for per-object (index, manifest) encryption keys. */
  readonly objectKey: Buffer;
  /** HMAC key authenticating the keyslots object. */
  readonly keyslotsMacKey: Buffer;
  /** 256 keyed 32-bit gear values for content-defined chunking. */
  readonly gearTable: Int32Array;
}

function hkdf(lmk: Uint8Array, lockerId: Uint8Array, label: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', lmk, lockerId, label, length));
}

/** Public commitment to the LMK, stored in the config object; every keyslot must reproduce it. */
export function keyCommitment(lmk: Uint8Array, lockerId: Uint8Array): Buffer {
  return hkdf(lmk, lockerId, LABELS.commitment, 32);
}

export function commitmentMatches(lmk: Uint8Array, lockerId: Uint8Array, expected: Uint8Array): boolean {
  const actual = keyCommitment(lmk, lockerId);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function deriveLockerKeys(lmk: Uint8Array, lockerId: Uint8Array): LockerKeys {
  const gearBytes = hkdf(lmk, lockerId, LABELS.gear, 1024);
  const gearTable = new Int32Array(256);
  for (let i = 0; i < 256; i++) gearTable[i] = gearBytes.readInt32BE(i * 4);
  return {
    chunkIdKey: hkdf(lmk, lockerId, LABELS.chunkId, 32),
    blobKey: hkdf(lmk, lockerId, LABELS.blob, 32),
    objectKey: hkdf(lmk, lockerId, LABELS.object, 32),
    keyslotsMacKey: hkdf(lmk, lockerId, LABELS.keyslotsMac, 32),
    gearTable,
  };
}

/** chunk id = HMAC-SHA256(chunkIdKey, plaintext): equal content dedupes, content stays hidden. */
export function chunkId(chunkIdKey: Uint8Array, plaintext: Uint8Array): Buffer {
  return chunkIdHmac(chunkIdKey).update(plaintext).digest();
}

/** The same MAC, fed piece by piece. */
export function chunkIdHmac(chunkIdKey: Uint8Array): Hmac {
  return createHmac('sha256', chunkIdKey);
}

/** The AES key of one chunk: HMAC-SHA256(blobKey, chunk id). */
export function blobKeyFor(blobKey: Uint8Array, id: Uint8Array): Buffer {
  return createHmac('sha256', blobKey).update(id).digest();
}

/** The AES key of one index or manifest object: HMAC-SHA256(objectKey, kind ‖ salt). */
export function objectKeyFor(objectKey: Uint8Array, kind: number, salt: Uint8Array): Buffer {
  return createHmac('sha256', objectKey).update(Buffer.of(kind)).update(salt).digest();
}

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}
