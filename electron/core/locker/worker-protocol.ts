/**
 * Messages between the main thread and crypto workers. Every buffer is
 * transferred, and both `data` and `out` come back so the caller can reuse
 * them: on these VMs touching fresh memory costs more than the crypto.
 *
 * Small files are read (seal) and written (unlock) by the workers themselves:
 * with thousands of files, the open/read/write/close calls cost more than the
 * crypto, and the main thread would be the one core doing them all.
 */

/** A failed system call, as much of it as toEnvelockError reads. */
export interface IoFailure { readonly code: string; readonly path: string; readonly syscall: string }

/**
 * One chunk of a seal job. Its `length` bytes are already in `data` (cut by
 * the main thread), or, with `file`, a whole file of one chunk that the worker
 * reads itself into the `length` bytes reserved for it.
 */
export interface SealItem {
  readonly length: number;
  /** The file and the mtime the scan saw: a different size or time afterwards means it changed while read. */
  readonly file?: { readonly path: string; readonly mtimeNs: string };
}

/** Where a decrypted blob goes when it is a whole file: the worker writes it (mode and times too). */
export interface FileTarget {
  readonly path: string;
  readonly mode: number;
  /** Seconds, as nsToSeconds gives them. */
  readonly mtime: string;
}

export type WorkerJob =
  /** Chunks end to end in data (reserved space for file items); ciphertext bodies go to the same offsets in out. */
  | { kind: 'encrypt'; seq: number; data: ArrayBuffer; items: readonly SealItem[]; out: ArrayBuffer }
  /**
   * Sealed blobs from data[start]; plaintexts end to end into out, or nowhere
   * when out is null (authenticate only). A blob with a target in `files` is
   * written to that file instead of being handed back.
   */
  | { kind: 'decrypt'; seq: number; data: ArrayBuffer; start: number; ids: ArrayBuffer; lengths: number[]; checkIds: boolean; out: ArrayBuffer | null; files?: readonly (FileTarget | null)[] };

export type WorkerResult =
  /**
   * ids and tags: 32 and 16 bytes per chunk (encrypt only); lengths: the bytes
   * each item really holds (a file read may come up short); changed: items
   * whose file changed while it was read.
   */
  | { ok: true; ids: ArrayBuffer; tags: ArrayBuffer; lengths: number[]; changed: number[]; data: ArrayBuffer; out: ArrayBuffer | null }
  /** A blob failed authentication or its id check… */
  | { ok: false; failedIndex: number; reason: 'auth' | 'id'; data: ArrayBuffer; out: ArrayBuffer | null }
  /** …or reading or writing an item's file failed. */
  | { ok: false; failedIndex: number; reason: 'io'; io: IoFailure; data: ArrayBuffer; out: ArrayBuffer | null };
