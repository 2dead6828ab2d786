/**
 * Builds the one object the renderer sees as `window.envelock`: a function per
 * contract channel and `on` for the contract's events, nothing else. Kept apart
 * from index.ts so tests can check it against the contract with a fake ipc.
 */
import { CHANNELS, EVENTS, ipcChannel, ipcEvent, type EnvelockBridge, type EventName } from '../../shared/ipc/contract.js';

/** The part of ipcRenderer the bridge uses. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function buildBridge(ipc: BridgeIpc): EnvelockBridge {
  const bridge: Record<string, unknown> = {};
  for (const name of CHANNELS) {
    // Only the arguments object crosses; the IPC event object never reaches the renderer.
    bridge[name] = (args: unknown) => ipc.invoke(ipcChannel(name), args);
  }
  bridge.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!EVENTS.includes(event)) throw new Error(`Unknown event ${String(event)}`);
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
    ipc.on(ipcEvent(event), wrapped);
    return () => {
      ipc.removeListener(ipcEvent(event), wrapped);
    };
  };
  return Object.freeze(bridge) as unknown as EnvelockBridge;
}
