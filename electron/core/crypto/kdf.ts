/**
 * Passphrase → key-encryption key with Argon2id (RFC 9106). Parameters live in
 * the keyslot and are checked against hard limits before any memory is asked
 * for, so a hostile keyslot cannot make us allocate 64 GiB or spin for an hour.
 */
import argon2 from 'argon2';
import { EnvelockError } from '../../../shared/errors.js';

export interface KdfParams {
  readonly algorithm: 'argon2id';
  /** Memory in KiB. */
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly salt: Buffer;
}

/** The floor (RFC 9106's second recommended option, and our minimum) and the ceiling we accept. */
export const KDF_LIMITS = {
  minMemoryKiB: 64 * 1024,
  maxMemoryKiB: 1024 * 1024,
  minIterations: 3,
  maxIterations: 64,
  minParallelism: 4,
  maxParallelism: 16,
  saltBytes: 16,
} as const;

/** Memory used when creating a keyslot; time is then calibrated with iterations. */
export const DEFAULT_MEMORY_KIB = 128 * 1024;
export const DEFAULT_PARALLELISM = 4;
export const DEFAULT_TARGET_MS = 600;

export function checkKdfParams(params: Omit<KdfParams, 'salt'> & { salt: Uint8Array }, subject: string): void {
  const ok =
    params.algorithm === 'argon2id' &&
    Number.isInteger(params.memoryKiB) && params.memoryKiB >= KDF_LIMITS.minMemoryKiB && params.memoryKiB <= KDF_LIMITS.maxMemoryKiB &&
    Number.isInteger(params.iterations) && params.iterations >= KDF_LIMITS.minIterations && params.iterations <= KDF_LIMITS.maxIterations &&
    Number.isInteger(params.parallelism) && params.parallelism >= KDF_LIMITS.minParallelism && params.parallelism <= KDF_LIMITS.maxParallelism &&
    params.salt.length === KDF_LIMITS.saltBytes;
  if (!ok) {
    throw new EnvelockError(
      'KDF_PARAMS_REFUSED',
      `Keyslot in ${subject} asks for Argon2id parameters outside the accepted range ` +
        `(memory ${KDF_LIMITS.minMemoryKiB / 1024}–${KDF_LIMITS.maxMemoryKiB / 1024} MiB, iterations ${KDF_LIMITS.minIterations}–${KDF_LIMITS.maxIterations}, ` +
        `parallelism ${KDF_LIMITS.minParallelism}–${KDF_LIMITS.maxParallelism}); refused before deriving anything.`,
      { subject },
    );
  }
}

export async function deriveKek(passphrase: string, params: KdfParams, subject: string): Promise<Buffer> {
  checkKdfParams(params, subject);
  return argon2.hash(passphrase.normalize('NFC'), {
    type: argon2.argon2id,
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
    salt: params.salt,
    hashLength: 32,
    raw: true,
  });
}

/**
 * Picks iterations so one derivation takes about targetMs on this machine, never
 * below the floor. Calibration derives from a throwaway passphrase and salt.
 */
export async function calibrateKdf(targetMs: number, salt: Buffer): Promise<KdfParams> {
  const probe: KdfParams = { algorithm: 'argon2id', memoryKiB: DEFAULT_MEMORY_KIB, iterations: KDF_LIMITS.minIterations, parallelism: DEFAULT_PARALLELISM, salt };
  await deriveKek('calibration', probe, 'calibration'); // warm up: first use pays page faults
  const started = performance.now();
  await deriveKek('calibration', probe, 'calibration');
  const perIteration = (performance.now() - started) / probe.iterations;
  const iterations = Math.min(KDF_LIMITS.maxIterations, Math.max(KDF_LIMITS.minIterations, Math.round(targetMs / Math.max(perIteration, 1))));
  return { ...probe, iterations };
}
