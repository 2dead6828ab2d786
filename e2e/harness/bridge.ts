/**
 * The preload's stand-in for the browser harness: `window.envelock` over HTTP.
 * Each contract channel becomes a POST to /api/<channel>; events arrive on one
 * EventSource opened at page start, so none emitted before the UI subscribes
 * to them is lost on the wire. The channel and event names are passed in from
 * shared/ipc/contract.ts, so the bridge cannot drift from the contract.
 *
 * installBridge is serialized into the page by page.addInitScript: it must not
 * use anything from its module scope.
 */
import { BRIDGE_KEY, CHANNELS, EVENTS, type Channel, type EventName } from '../../shared/ipc/contract.js';

export interface BridgeNames {
  key: string;
  channels: readonly Channel[];
  events: readonly EventName[];
}

export const BRIDGE_NAMES: BridgeNames = { key: BRIDGE_KEY, channels: CHANNELS, events: EVENTS };

/** The browser globals installBridge touches (this project's TypeScript has no DOM library). */
interface BrowserGlobals {
  location: { protocol: string };
  fetch: typeof fetch;
  EventSource: new (url: string) => { onmessage: ((message: { data: string }) => void) | null };
}

export function installBridge(names: BridgeNames): void {
  const browser = globalThis as unknown as BrowserGlobals & Record<string, unknown>;
  // Init scripts also run in about:blank, where relative /api URLs mean nothing.
  if (!browser.location.protocol.startsWith('http')) return;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const call = async (channel: string, args: unknown): Promise<unknown> => {
    try {
      const response = await browser.fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
      return await response.json();
    } catch (error) {
      // Like IPC, the bridge never throws: a broken harness reads as an error value.
      return { ok: false, error: { code: 'INTERNAL', message: `The test harness did not answer: ${String(error)}`, fix: 'Check the harness process.' } };
    }
  };

  const bridge: Record<string, unknown> = {};
  for (const channel of names.channels) bridge[channel] = (args: unknown) => call(channel, args);
  bridge.on = (event: string, listener: (payload: unknown) => void) => {
    if (!names.events.includes(event as EventName)) throw new Error(`Unknown event ${event}`);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };

  const stream = new browser.EventSource('/api/events');
  stream.onmessage = (message) => {
    const { event, payload } = JSON.parse(message.data) as { event: string; payload: unknown };
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };

  browser[names.key] = Object.freeze(bridge);
}
