/** Messages between the main thread and crypto workers. */
export type WorkerJob =
  | { kind: 'encrypt'; seq: number; data: ArrayBuffer; lengths: number[] }
  | { kind: 'decrypt'; seq: number; data: ArrayBuffer; ids: ArrayBuffer; lengths: number[]; checkIds: boolean };

export type WorkerResult =
  | { ok: true; ids: ArrayBuffer; out: ArrayBuffer }
  | { ok: false; failedIndex: number; reason: 'auth' | 'id' };
