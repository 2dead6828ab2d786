/** What every locker operation is given: where the registry lives, and where to report. */
import type { Observer } from '../cancel.js';

export interface EngineContext extends Observer {
  readonly configDir: string;
  readonly warn?: (message: string) => void;
  /** Target time of one passphrase derivation when creating keyslots. */
  readonly kdfTargetMs?: number;
}
