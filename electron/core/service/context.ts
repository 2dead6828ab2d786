/** What every locker operation is given: where the registry lives, and where to report. */
import type { ProgressEvent } from '../../../shared/progress.js';

export interface EngineContext {
  readonly configDir: string;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly warn?: (message: string) => void;
  /** Target time of one passphrase derivation when creating keyslots. */
  readonly kdfTargetMs?: number;
}
