/**
 * What the renderer's globals are: preload puts exactly one object on
 * `window.envelock` (see shared/ipc/contract.ts);
 * nothing else from Node or Electron is visible here.
 */
import type { EnvelockBridge } from '../../shared/ipc/contract.js';

declare global {
  interface Window {
    /** Absent only when the page is opened outside Envelock (then every call fails with a clear error). */
    readonly envelock: EnvelockBridge | undefined;
  }
}

export {};
