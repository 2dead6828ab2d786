/**
 * The recovery key: 160 random bits shown once as Crockford base32 in groups of
 * four, with a fifth-of-a-SHA-256 check group that catches typos before any
 * unlock is attempted. High entropy, so HKDF (not Argon2) turns it into a KEK.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EnvelockError } from '../../../shared/errors.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_KEY_BYTES = 20;
const PREFIX = 'ELK';

function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function checkGroup(key: Uint8Array): string {
  return toBase32(createHash('sha256').update(key).digest()).slice(0, 4);
}

export function generateRecoveryKey(): Buffer {
  return randomBytes(RECOVERY_KEY_BYTES);
}

export function formatRecoveryKey(key: Uint8Array): string {
  const body = toBase32(key) + checkGroup(key);
  return [PREFIX, ...(body.match(/.{4}/g) ?? [])].join('-');
}

export function parseRecoveryKey(text: string): Buffer {
  const normalized = text
    .toUpperCase()
    .replace(/\s|-/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  // The "ELK" prefix is optional: strip it only when 36 characters remain, since a
  // key typed without it may itself start with "E1K" typed as "ELK".
  const cleaned = normalized.length === 39 && normalized.startsWith('E1K') ? normalized.slice(3) : normalized;
  const invalid = new EnvelockError('INVALID_RECOVERY_KEY', 'That is not a valid Envelock recovery key.');
  if (cleaned.length !== 36) throw invalid;
  let value = 0n;
  for (const ch of cleaned.slice(0, 32)) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) throw invalid;
    value = (value << 5n) | BigInt(digit);
  }
  const key = Buffer.from(value.toString(16).padStart(RECOVERY_KEY_BYTES * 2, '0'), 'hex');
  if (checkGroup(key) !== cleaned.slice(32)) {
    throw new EnvelockError('INVALID_RECOVERY_KEY', 'The recovery key has a typo: its check group does not match.');
  }
  return key;
}
