/**
 * Messages between the main thread and crypto workers. Every buffer is
 * transferred, and both `data` and `out` come back so the caller can reuse
 * them: on these VMs touching fresh memory costs more than the crypto.
 */
export type WorkerJob =
  /** Chunks laid end to end in data; their ciphertext bodies go end to end into out. */
  | { kind: 'encrypt'; seq: number; data: ArrayBuffer; lengths: number[]; out: ArrayBuffer }
  /** Sealed blobs from data[start]; plaintexts end to end into out, or nowhere when out is null (authenticate only). */
  | { kind: 'decrypt'; seq: number; data: ArrayBuffer; start: number; ids: ArrayBuffer; lengths: number[]; checkIds: boolean; out: ArrayBuffer | null };

export type WorkerResult =
  /** ids and tags: 32 and 16 bytes per chunk (encrypt only). */
  | { ok: true; ids: ArrayBuffer; tags: ArrayBuffer; data: ArrayBuffer; out: ArrayBuffer | null }
  | { ok: false; failedIndex: number; reason: 'auth' | 'id'; data: ArrayBuffer; out: ArrayBuffer | null };
