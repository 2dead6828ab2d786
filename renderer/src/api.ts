/**
 * The renderer's one way to talk to main: `call` unwraps the contract's
 * `{ ok, value | error }` results into values or a thrown UiError, so screens
 * can use try/catch and still show main's message and fix unchanged.
 */
import { useEffect, useRef } from 'react';
import { ERROR_CODES, type ErrorCode, type ErrorInfo } from '../../shared/errors.js';
import type { ArgsOf, Channel, EnvelockBridge, EventName, EventPayloads, IpcResult, ResultOf } from '../../shared/ipc/contract.js';

/** A failure as main described it (or as the renderer describes its own). */
export class UiError extends Error {
  readonly info: ErrorInfo;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'UiError';
    this.info = info;
  }

  get code(): ErrorCode {
    return this.info.code;
  }
}

function bridge(): EnvelockBridge {
  const value = window.envelock;
  if (value === undefined) {
    throw new UiError({
      code: 'INTERNAL',
      message: 'This page is not connected to Envelock.',
      fix: 'Open it from the Envelock app; a web browser cannot reach your lockers.',
    });
  }
  return value;
}

export async function call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
  const invoke = bridge()[channel] as (args: ArgsOf<C>) => Promise<IpcResult<ResultOf<C>>>;
  let result: IpcResult<ResultOf<C>>;
  try {
    result = await invoke(args);
  } catch (error) {
    // A rejected invoke means IPC itself failed (main crashed or the handler is missing), not the operation.
    const detail = error instanceof Error ? error.message : String(error);
    throw new UiError({ code: 'INTERNAL', message: `Envelock's background process did not answer: ${detail}`, fix: ERROR_CODES.INTERNAL.fix });
  }
  if (result.ok) return result.value;
  throw new UiError(result.error);
}

/** Any caught value as an ErrorInfo, so every failure renders the same way. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof UiError) return error.info;
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error in the window: ${detail}`, fix: ERROR_CODES.INTERNAL.fix };
}

export function hasCode(error: unknown, ...codes: ErrorCode[]): error is UiError {
  return error instanceof UiError && codes.includes(error.code);
}

/**
 * Subscribes to a bridge event for the component's lifetime. The listener may
 * change on every render; the subscription does not (a ref holds the latest).
 */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    const value = window.envelock;
    if (value === undefined) return undefined;
    return value.on(event, (payload) => latest.current(payload));
  }, [event]);
}
