/** Messages between the main thread and crypto workers. All buffers are transferred. */
export type WorkerJob =
  | { kind: 'encrypt'; seq: number; data: ArrayBuffer; lengths: number[] }
  | { kind: 'decrypt'; seq: number; data: ArrayBuffer; start: number; ids: ArrayBuffer; lengths: number[]; checkIds: boolean };

export type WorkerResult =
  /** ids and tags: 32 and 16 bytes per chunk; bodies: one per chunk; input: the job's buffer, back for reuse. */
  | { ok: true; ids: ArrayBuffer; tags: ArrayBuffer; bodies: ArrayBuffer[]; input: ArrayBuffer }
  | { ok: false; failedIndex: number; reason: 'auth' | 'id'; input: ArrayBuffer };
