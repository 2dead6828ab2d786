/**
 * The 10-byte header every store object starts with (docs/FORMAT.md §4):
 * magic "ENVELOCK", format version, object kind. It is authenticated as AAD or
 * hashed into the object's name, so a changed version or kind is detected.
 */
import { EnvelockError } from '../../../shared/errors.js';

export const MAGIC = Buffer.from('ENVELOCK', 'ascii');
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 10;

export const ObjectKind = {
  config: 1,
  keyslots: 2,
  pack: 3,
  index: 4,
  manifest: 5,
} as const;
export type ObjectKind = (typeof ObjectKind)[keyof typeof ObjectKind];

export function objectHeader(kind: ObjectKind): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header[8] = FORMAT_VERSION;
  header[9] = kind;
  return header;
}

/** Checks magic, version and kind; names the object in every failure. */
export function checkHeader(bytes: Uint8Array, kind: ObjectKind, subject: string): void {
  if (bytes.length < HEADER_BYTES) {
    throw new EnvelockError('OBJECT_TRUNCATED', `Store object ${subject} is truncated: ${bytes.length} bytes, shorter than its header.`, { subject });
  }
  if (!MAGIC.equals(bytes.subarray(0, 8))) {
    throw new EnvelockError('OBJECT_CORRUPTED', `Store object ${subject} is corrupted: it does not start with the Envelock magic bytes.`, { subject });
  }
  if (bytes[8] !== FORMAT_VERSION) {
    throw new EnvelockError('UNSUPPORTED_FORMAT', `Store object ${subject} has format version ${bytes[8]}; this Envelock reads version ${FORMAT_VERSION}.`, { subject });
  }
  if (bytes[9] !== kind) {
    throw new EnvelockError('OBJECT_CORRUPTED', `Store object ${subject} is corrupted: it holds object kind ${bytes[9]} where kind ${kind} belongs.`, { subject });
  }
}

export function corrupted(subject: string, why: string): EnvelockError {
  return new EnvelockError('OBJECT_CORRUPTED', `Store object ${subject} is corrupted: ${why}.`, { subject });
}

export function truncated(subject: string, why: string): EnvelockError {
  return new EnvelockError('OBJECT_TRUNCATED', `Store object ${subject} is truncated: ${why}.`, { subject });
}
