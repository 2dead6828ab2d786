/**
 * Cooperative cancellation. A long operation checks its signal only at points
 * where stopping loses nothing (a lock before it removes any plaintext; an
 * unlock or restore between files, its partial tree then taken back), and
 * says in its progress events whether a cancel would be honoured now.
 */
import { EnvelockError } from '../../shared/errors.js';
import type { ProgressEvent } from '../../shared/progress.js';

/** What a long operation reports to, and listens to. */
export interface Observer {
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Aborted when the user cancels; checked only where stopping is safe. */
  readonly signal?: AbortSignal;
}

/** Throws CANCELLED with `outcome` (what state things were left in) once the signal is aborted. */
export function stopIfCancelled(signal: AbortSignal | undefined, outcome: string): void {
  if (signal?.aborted === true) throw new EnvelockError('CANCELLED', `Cancelled: ${outcome}`);
}
