/**
 * What the engine reports about lockers: plain data for the CLI's --json output
 * and (later) the UI. Never key material.
 */
import type { ErrorInfo } from './errors.js';

/** 'locking' and 'unlocking' mean an operation was interrupted; the next one finishes it. */
export type LockerState = 'unlocked' | 'locked' | 'locking' | 'unlocking';

export interface LockerSummary {
  id: string;
  name: string;
  home: string;
  store: string;
  state: LockerState;
  homeExists: boolean;
  /** Bytes of all objects in the store. */
  storeBytes: number;
  /** The newest snapshot this computer has seen. */
  lastSnapshot: { id: string; seq: number } | null;
  created: string;
}

export interface SnapshotSummary {
  id: string;
  seq: number;
  created: string;
  parents: string[];
  files: number;
  folders: number;
  bytes: number;
}

export interface SealSummary {
  locker: string;
  snapshot: SnapshotSummary;
  /** False when nothing changed since the last snapshot (no new snapshot was written). */
  changed: boolean;
  filesRead: number;
  bytesRead: number;
  /** Bytes of new objects written to the store. */
  bytesStored: number;
}

export interface VerifyReport {
  ok: boolean;
  problems: ErrorInfo[];
  /** Objects no index or manifest refers to: left by an interrupted seal, harmless. */
  unreferenced: string[];
  counts: { packs: number; indexes: number; manifests: number; chunks: number; bytes: number };
  latest: { id: string; seq: number } | null;
}
