// The KDF alone: one Argon2id derivation with the parameters `init` calibrated
// and stored in a locker's keyslots object, timed in this process (no CLI start,
// no store I/O), so the number is the unlock cost the passphrase itself adds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deriveKek, KDF_LIMITS } from '../electron/core/crypto/kdf.js';
import { decodeKeyslots, KEYSLOTS_NAME } from '../electron/core/locker/keyslots.js';

export interface KdfTiming {
  readonly ms: number[];
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
  /** No weaker than the floor the issue sets (m = 64 MiB, t = 3, p = 4). */
  readonly atLeastFloor: boolean;
}

export async function timeKdf(store: string, passphrase: string, runs = 3): Promise<KdfTiming> {
  const slot = decodeKeyslots(readFileSync(join(store, KEYSLOTS_NAME))).slots.find((s) => s.type === 'passphrase');
  if (slot === undefined || slot.type !== 'passphrase') throw new Error('the locker has no passphrase slot');
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await deriveKek(passphrase, slot.kdf, 'bench');
    ms.push(performance.now() - start);
  }
  const { memoryKiB, iterations, parallelism } = slot.kdf;
  return {
    ms,
    memoryKiB,
    iterations,
    parallelism,
    atLeastFloor: memoryKiB >= KDF_LIMITS.minMemoryKiB && iterations >= KDF_LIMITS.minIterations && parallelism >= KDF_LIMITS.minParallelism,
  };
}
