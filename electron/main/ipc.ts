/**
 * Registers exactly the contract's channels on ipcMain. Every call is checked
 * for its sender, then goes through dispatch(), which validates the arguments
 * before a handler runs and turns failures into values.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EnvelockError } from '../../shared/errors.js';
import { CHANNELS, ipcChannel, ipcEvent, type EventName, type EventPayloads, type IpcResult } from '../../shared/ipc/contract.js';
import { dispatch } from '../core/app/dispatch.js';
import type { Handlers } from '../core/app/handlers.js';
import { isTrustedSender, type SenderFrame } from './sender.js';

export type TrustCheck = (frame: SenderFrame | null | undefined) => boolean;

export function forbiddenSender(): IpcResult<never> {
  return { ok: false, error: new EnvelockError('FORBIDDEN_SENDER', 'This request did not come from Envelock\'s window and was refused.').toInfo() };
}

export function registerContract(ipcMain: Pick<IpcMain, 'handle'>, service: Handlers, isTrusted: TrustCheck = isTrustedSender): void {
  for (const name of CHANNELS) {
    ipcMain.handle(ipcChannel(name), async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, args: unknown) => {
      if (!isTrusted(event.senderFrame)) return forbiddenSender();
      return dispatch(service, name, args);
    });
  }
}

/** host.emit for the handler table: contract events to the main window only. */
export function createEmitter(getTarget: () => Pick<WebContents, 'send' | 'isDestroyed'> | null) {
  return <E extends EventName>(event: E, payload: EventPayloads[E]): void => {
    const target = getTarget();
    if (target === null || target.isDestroyed()) return;
    target.send(ipcEvent(event), payload);
  };
}
