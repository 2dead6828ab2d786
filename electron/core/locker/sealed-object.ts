/**
 * Index and manifest objects: header ‖ salt(32) ‖ AES-256-GCM(ciphertext ‖ tag),
 * key = HMAC(objectKey, kind ‖ salt), zero nonce, header as AAD. The object's
 * name is the SHA-256 of all its bytes, so a store can be synced by names alone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AuthenticationFailed, gcmOpen, gcmSeal, TAG_BYTES, ZERO_NONCE } from '../crypto/aead.js';
import { objectKeyFor } from '../crypto/keys.js';
import { checkHeader, corrupted, HEADER_BYTES, objectHeader, truncated, type ObjectKind } from './object-header.js';

export const SALT_BYTES = 32;

export function objectName(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sealObject(objectKey: Uint8Array, kind: ObjectKind, plaintext: Uint8Array, salt: Uint8Array = randomBytes(SALT_BYTES)): Buffer {
  const header = objectHeader(kind);
  const sealed = gcmSeal(objectKeyFor(objectKey, kind, salt), ZERO_NONCE, plaintext, header);
  return Buffer.concat([header, salt, sealed]);
}

/**
 * Opens an object read from the store under `subject` (its store path). When
 * `expectedName` is given, the content must hash to it first: that check needs
 * no key and tells a damaged object from a wrong key.
 */
export function openObject(objectKey: Uint8Array, kind: ObjectKind, bytes: Uint8Array, subject: string, expectedName?: string): Buffer {
  const minimum = HEADER_BYTES + SALT_BYTES + TAG_BYTES;
  // The name is checked before the header: a damaged object whose version byte flipped must not
  // read as "written by another Envelock version". Too-short objects are reported as such below.
  if (expectedName !== undefined && bytes.length >= minimum && objectName(bytes) !== expectedName) {
    throw corrupted(subject, 'its content does not hash to its name');
  }
  checkHeader(bytes, kind, subject);
  if (bytes.length < minimum) throw truncated(subject, `${bytes.length} bytes is too short for a sealed object`);
  const salt = bytes.subarray(HEADER_BYTES, HEADER_BYTES + SALT_BYTES);
  try {
    return gcmOpen(objectKeyFor(objectKey, kind, salt), ZERO_NONCE, bytes.subarray(HEADER_BYTES + SALT_BYTES), bytes.subarray(0, HEADER_BYTES));
  } catch (error) {
    if (error instanceof AuthenticationFailed) throw corrupted(subject, 'it fails authentication (modified, or from another locker)');
    throw error;
  }
}
