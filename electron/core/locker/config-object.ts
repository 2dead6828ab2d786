/**
 * The config object: header ‖ locker id (16) ‖ key commitment (32). Written once
 * at init and never changed; it names the locker and pins its master key.
 */
import { LOCKER_ID_BYTES } from '../crypto/keys.js';
import { checkHeader, corrupted, HEADER_BYTES, objectHeader, ObjectKind, truncated } from './object-header.js';

export const CONFIG_NAME = 'config';
const CONFIG_BYTES = HEADER_BYTES + LOCKER_ID_BYTES + 32;

export interface LockerConfig {
  readonly lockerId: Buffer;
  readonly commitment: Buffer;
}

export function encodeConfig(config: LockerConfig): Buffer {
  return Buffer.concat([objectHeader(ObjectKind.config), config.lockerId, config.commitment]);
}

export function decodeConfig(bytes: Uint8Array): LockerConfig {
  checkHeader(bytes, ObjectKind.config, CONFIG_NAME);
  if (bytes.length < CONFIG_BYTES) throw truncated(CONFIG_NAME, `${bytes.length} bytes, expected ${CONFIG_BYTES}`);
  if (bytes.length > CONFIG_BYTES) throw corrupted(CONFIG_NAME, `${bytes.length} bytes, expected ${CONFIG_BYTES}`);
  const body = Buffer.from(bytes.subarray(HEADER_BYTES));
  return { lockerId: body.subarray(0, LOCKER_ID_BYTES), commitment: body.subarray(LOCKER_ID_BYTES) };
}
