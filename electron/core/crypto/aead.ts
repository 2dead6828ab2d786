/**
 * AES-256-GCM, the only cipher in the format. Every key used here is unique to
 * one plaintext (derived per chunk or per object), so a fixed zero nonce is safe
 * and no random-nonce birthday limit applies. Keyslot wraps use random nonces.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export const TAG_BYTES = 16;
export const ZERO_NONCE = Buffer.alloc(12);

/** Thrown when a tag does not verify; callers turn it into an error naming the object. */
export class AuthenticationFailed extends Error {
  constructor() {
    super('authentication failed');
    this.name = 'AuthenticationFailed';
  }
}

/** Returns ciphertext ‖ tag. */
export function gcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  if (aad !== undefined) cipher.setAAD(aad);
  const out = Buffer.allocUnsafe(plaintext.length + TAG_BYTES);
  const n = cipher.update(plaintext).copy(out, 0);
  cipher.final();
  cipher.getAuthTag().copy(out, n);
  return out;
}

/** Opens ciphertext ‖ tag, or throws AuthenticationFailed. */
export function gcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Buffer {
  if (sealed.length < TAG_BYTES) throw new AuthenticationFailed();
  const bodyLength = sealed.length - TAG_BYTES;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(sealed.subarray(bodyLength));
  if (aad !== undefined) decipher.setAAD(aad);
  const plaintext = decipher.update(sealed.subarray(0, bodyLength));
  try {
    decipher.final();
  } catch {
    throw new AuthenticationFailed();
  }
  return plaintext;
}
