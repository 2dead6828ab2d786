/**
 * One call through the contract: validate the raw arguments with the channel's
 * validator, run the handler, and turn any failure into an ErrorInfo value.
 * Main and the browser test harness both call exactly this.
 */
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';
import { CONTRACT, type Channel, type IpcResult } from '../../../shared/ipc/contract.js';
import type { Handlers } from './handlers.js';

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CONTRACT, name);
}

export async function dispatch(handlers: Handlers, name: unknown, rawArgs: unknown): Promise<IpcResult<unknown>> {
  try {
    if (!isChannel(name)) throw new EnvelockError('INVALID_ARGUMENT', `There is no operation called ${JSON.stringify(String(name)).slice(0, 80)}.`);
    const args = CONTRACT[name].args(rawArgs, name);
    const handler = handlers[name] as (args: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(args) };
  } catch (error) {
    return { ok: false, error: toEnvelockError(error).toInfo() };
  }
}
