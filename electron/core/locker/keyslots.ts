/**
 * The keyslots object (docs/FORMAT.md §5): every way into a locker, each wrapping
 * the same master key. Layout: header ‖ locker id ‖ generation (u32) ‖ body
 * length (u32) ‖ JSON body ‖ HMAC-SHA256(keyslotsMacKey, all of that).
 * Only this object changes when a passphrase or recovery key changes.
 */
import { hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { EnvelockError } from '../../../shared/errors.js';
import { AuthenticationFailed, gcmOpen, gcmSeal } from '../crypto/aead.js';
import { checkKdfParams, deriveKek, type KdfParams } from '../crypto/kdf.js';
import { commitmentMatches, deriveLockerKeys, hmacSha256, LMK_BYTES, LOCKER_ID_BYTES } from '../crypto/keys.js';
import { checkHeader, corrupted, HEADER_BYTES, objectHeader, ObjectKind, truncated } from './object-header.js';
import type { LockerConfig } from './config-object.js';

export const KEYSLOTS_NAME = 'keyslots';
const MAC_BYTES = 32;
const FIXED_BYTES = HEADER_BYTES + LOCKER_ID_BYTES + 8;
/** A keyslots body is a few hundred bytes per slot; anything huge is not ours. */
const MAX_BODY_BYTES = 64 * 1024;
const WRAP_BYTES = 12 + LMK_BYTES + 16;

export interface PassphraseSlot {
  readonly id: string;
  readonly type: 'passphrase';
  readonly kdf: KdfParams;
  /** nonce(12) ‖ AES-256-GCM(KEK, LMK) ‖ tag(16) */
  readonly wrapped: Buffer;
}

export interface RecoverySlot {
  readonly id: string;
  readonly type: 'recovery';
  readonly salt: Buffer;
  readonly wrapped: Buffer;
}

/** Future slot kinds (AWS KMS, passphrase+KMS) are added to this union. */
export type Keyslot = PassphraseSlot | RecoverySlot;

export interface Keyslots {
  readonly generation: number;
  readonly slots: readonly Keyslot[];
}

export type Credential = { kind: 'passphrase'; passphrase: string } | { kind: 'recovery'; key: Buffer };

function wrapAad(lockerId: Uint8Array, slotId: string): Buffer {
  return Buffer.concat([Buffer.from('envelock v1 keyslot', 'utf8'), lockerId, Buffer.from(slotId, 'utf8')]);
}

export function recoveryKek(recoveryKey: Uint8Array, salt: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', recoveryKey, salt, 'envelock v1 recovery kek', 32));
}

export function wrapLmk(kek: Uint8Array, lmk: Uint8Array, lockerId: Uint8Array, slotId: string, nonce: Uint8Array = randomBytes(12)): Buffer {
  return Buffer.concat([nonce, gcmSeal(kek, nonce, lmk, wrapAad(lockerId, slotId))]);
}

function unwrapLmk(kek: Uint8Array, wrapped: Uint8Array, lockerId: Uint8Array, slotId: string): Buffer | undefined {
  try {
    return gcmOpen(kek, wrapped.subarray(0, 12), wrapped.subarray(12), wrapAad(lockerId, slotId));
  } catch (error) {
    if (error instanceof AuthenticationFailed) return undefined;
    throw error;
  }
}

export function encodeKeyslots(keyslots: Keyslots, lockerId: Uint8Array, keyslotsMacKey: Uint8Array): Buffer {
  const body = Buffer.from(
    JSON.stringify({
      slots: keyslots.slots.map((slot) =>
        slot.type === 'passphrase'
          ? {
              id: slot.id,
              type: slot.type,
              kdf: { algorithm: slot.kdf.algorithm, memoryKiB: slot.kdf.memoryKiB, iterations: slot.kdf.iterations, parallelism: slot.kdf.parallelism, salt: slot.kdf.salt.toString('base64') },
              wrapped: slot.wrapped.toString('base64'),
            }
          : { id: slot.id, type: slot.type, salt: slot.salt.toString('base64'), wrapped: slot.wrapped.toString('base64') },
      ),
    }),
    'utf8',
  );
  const fixed = Buffer.alloc(8);
  fixed.writeUInt32BE(keyslots.generation, 0);
  fixed.writeUInt32BE(body.length, 4);
  const unsigned = Buffer.concat([objectHeader(ObjectKind.keyslots), lockerId, fixed, body]);
  return Buffer.concat([unsigned, hmacSha256(keyslotsMacKey, unsigned)]);
}

/** The parts of a keyslots object readable before any key is known. */
export interface ParsedKeyslots extends Keyslots {
  readonly lockerId: Buffer;
  /** Everything the MAC covers, and the MAC. */
  readonly signed: Buffer;
  readonly mac: Buffer;
}

const bad = (why: string) => corrupted(KEYSLOTS_NAME, why);

function base64Field(value: unknown, bytes: number | undefined, what: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw bad(`${what} is not base64`);
  const decoded = Buffer.from(value, 'base64');
  if (bytes !== undefined && decoded.length !== bytes) throw bad(`${what} has ${decoded.length} bytes, expected ${bytes}`);
  return decoded;
}

function parseSlot(raw: unknown): Keyslot {
  if (typeof raw !== 'object' || raw === null) throw bad('a slot is not an object');
  const slot = raw as Record<string, unknown>;
  if (typeof slot.id !== 'string' || slot.id.length === 0 || slot.id.length > 64) throw bad('a slot has no valid id');
  const wrapped = base64Field(slot.wrapped, WRAP_BYTES, `slot ${slot.id} wrapped key`);
  if (slot.type === 'recovery') {
    return { id: slot.id, type: 'recovery', salt: base64Field(slot.salt, 16, `slot ${slot.id} salt`), wrapped };
  }
  if (slot.type === 'passphrase') {
    const kdf = slot.kdf as Record<string, unknown> | null;
    if (typeof kdf !== 'object' || kdf === null) throw bad(`slot ${slot.id} has no KDF parameters`);
    const params = {
      algorithm: kdf.algorithm as 'argon2id',
      memoryKiB: kdf.memoryKiB as number,
      iterations: kdf.iterations as number,
      parallelism: kdf.parallelism as number,
      salt: base64Field(kdf.salt, undefined, `slot ${slot.id} KDF salt`),
    };
    checkKdfParams(params, `${KEYSLOTS_NAME} (slot ${slot.id})`);
    return { id: slot.id, type: 'passphrase', kdf: params, wrapped };
  }
  throw bad(`slot ${slot.id} has unknown type ${JSON.stringify(slot.type)}`);
}

export function decodeKeyslots(bytes: Uint8Array): ParsedKeyslots {
  checkHeader(bytes, ObjectKind.keyslots, KEYSLOTS_NAME);
  if (bytes.length < FIXED_BYTES + MAC_BYTES) throw truncated(KEYSLOTS_NAME, `${bytes.length} bytes is too short`);
  const buf = Buffer.from(bytes);
  const lockerId = buf.subarray(HEADER_BYTES, HEADER_BYTES + LOCKER_ID_BYTES);
  const generation = buf.readUInt32BE(HEADER_BYTES + LOCKER_ID_BYTES);
  const bodyLength = buf.readUInt32BE(HEADER_BYTES + LOCKER_ID_BYTES + 4);
  if (bodyLength > MAX_BODY_BYTES) throw bad(`its body claims ${bodyLength} bytes`);
  const expected = FIXED_BYTES + bodyLength + MAC_BYTES;
  if (buf.length < expected) throw truncated(KEYSLOTS_NAME, `${buf.length} bytes, expected ${expected}`);
  if (buf.length > expected) throw bad(`${buf.length} bytes, expected ${expected}`);
  let body: unknown;
  try {
    body = JSON.parse(buf.subarray(FIXED_BYTES, FIXED_BYTES + bodyLength).toString('utf8'));
  } catch {
    throw bad('its body is not valid JSON');
  }
  const rawSlots = (body as { slots?: unknown } | null)?.slots;
  if (!Array.isArray(rawSlots) || rawSlots.length === 0 || rawSlots.length > 32) throw bad('it lists no valid slots');
  const slots = rawSlots.map(parseSlot);
  if (new Set(slots.map((s) => s.id)).size !== slots.length) throw bad('two slots share an id');
  return { lockerId, generation, slots, signed: buf.subarray(0, FIXED_BYTES + bodyLength), mac: buf.subarray(FIXED_BYTES + bodyLength) };
}

/**
 * Finds the master key with a credential: unwraps each matching slot, requires
 * the result to reproduce the config's key commitment, then checks the MAC of
 * the whole keyslots object under a key derived from that master key.
 */
export async function unlockKeyslots(parsed: ParsedKeyslots, config: LockerConfig, credential: Credential): Promise<Buffer> {
  if (!parsed.lockerId.equals(config.lockerId)) throw bad('it belongs to another locker');
  let lmk: Buffer | undefined;
  for (const slot of parsed.slots) {
    if (slot.type !== credential.kind) continue;
    const kek =
      slot.type === 'passphrase' && credential.kind === 'passphrase'
        ? await deriveKek(credential.passphrase, slot.kdf, `${KEYSLOTS_NAME} (slot ${slot.id})`)
        : slot.type === 'recovery' && credential.kind === 'recovery'
          ? recoveryKek(credential.key, slot.salt)
          : undefined;
    if (kek === undefined) continue;
    const candidate = unwrapLmk(kek, slot.wrapped, config.lockerId, slot.id);
    if (candidate === undefined) continue;
    if (!commitmentMatches(candidate, config.lockerId, config.commitment)) {
      // Either object may be the altered one (a forged slot, or a damaged config): name both.
      throw bad(`slot ${slot.id} yields a key that does not match the key commitment in the config object (one of the two was modified)`);
    }
    lmk = candidate;
    break;
  }
  if (lmk === undefined) {
    throw credential.kind === 'passphrase'
      ? new EnvelockError('WRONG_PASSPHRASE', 'Wrong passphrase: it opens none of this locker\'s keyslots.')
      : new EnvelockError('WRONG_RECOVERY_KEY', 'That recovery key opens none of this locker\'s keyslots.');
  }
  const mac = hmacSha256(deriveLockerKeys(lmk, config.lockerId).keyslotsMacKey, parsed.signed);
  if (!timingSafeEqual(mac, parsed.mac)) throw bad('its authentication code does not match (modified after it was written)');
  return lmk;
}

export async function makePassphraseSlot(id: string, passphrase: string, kdf: KdfParams, lmk: Uint8Array, lockerId: Uint8Array): Promise<PassphraseSlot> {
  const kek = await deriveKek(passphrase, kdf, 'new keyslot');
  return { id, type: 'passphrase', kdf, wrapped: wrapLmk(kek, lmk, lockerId, id) };
}

export function makeRecoverySlot(id: string, recoveryKey: Uint8Array, lmk: Uint8Array, lockerId: Uint8Array, salt: Buffer = randomBytes(16)): RecoverySlot {
  return { id, type: 'recovery', salt, wrapped: wrapLmk(recoveryKek(recoveryKey, salt), lmk, lockerId, id) };
}
