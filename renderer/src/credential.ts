/**
 * What the user typed to prove they own a locker: nothing (main may remember
 * one from this session), a passphrase, or a recovery key. Spread into a
 * call's arguments: `{ id, ...credential }`.
 */
import type { ErrorCode } from '../../shared/errors.js';

export type Credential = Record<string, never> | { passphrase: string } | { recoveryKey: string };

export const NO_CREDENTIAL: Credential = {};

/** Errors about the typed credential itself: the dialog stays open for another try. */
export const CREDENTIAL_ERRORS: readonly ErrorCode[] = ['WRONG_PASSPHRASE', 'WRONG_RECOVERY_KEY', 'INVALID_RECOVERY_KEY', 'TOO_MANY_ATTEMPTS', 'INVALID_ARGUMENT'];

/** Main's TOO_MANY_ATTEMPTS message says "… wait 8 seconds before the next one."; 0 when it does not. */
export function waitSeconds(message: string): number {
  const match = /wait (\d+) seconds?/.exec(message);
  return match?.[1] === undefined ? 0 : Number.parseInt(match[1], 10);
}
