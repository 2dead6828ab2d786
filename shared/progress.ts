/** Progress of a long operation, reported by the engine to the CLI and the UI. */
export interface ProgressEvent {
  /** e.g. 'Sealing', 'Verifying', 'Removing plaintext', 'Unlocking'. */
  phase: string;
  bytesDone: number;
  /** 0 when unknown. */
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** True while a cancel would be honoured (the operation stops where nothing is lost); absent means no. */
  cancellable?: boolean;
}
