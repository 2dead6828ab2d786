/**
 * What the app remembers while it runs: the credentials of lockers unlocked in
 * this session (so "Lock", "Lock all", auto-lock and quit can lock without
 * asking again), and the count of wrong credentials per locker (so guessing gets
 * slower). Nothing here is ever written to disk or sent to the renderer.
 */
import { EnvelockError } from '../../../shared/errors.js';
import type { Credential } from '../locker/keyslots.js';

export class CredentialSession {
  readonly #credentials = new Map<string, Credential>();

  remember(lockerId: string, credential: Credential): void {
    this.#credentials.set(lockerId, credential);
  }

  get(lockerId: string): Credential | undefined {
    return this.#credentials.get(lockerId);
  }

  has(lockerId: string): boolean {
    return this.#credentials.has(lockerId);
  }

  forget(lockerId: string): void {
    const credential = this.#credentials.get(lockerId);
    if (credential?.kind === 'recovery') credential.key.fill(0);
    this.#credentials.delete(lockerId);
  }

  ids(): string[] {
    return [...this.#credentials.keys()];
  }
}

/** Free tries before waits begin, and the longest wait. */
export const FREE_ATTEMPTS = 3;
export const MAX_WAIT_MS = 60_000;

/** After FREE_ATTEMPTS wrong tries, each further try waits 2, 4, 8 … up to 60 seconds. */
export function waitAfterFailures(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_WAIT_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS + 1));
}

export class AttemptThrottle {
  readonly #failures = new Map<string, { count: number; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Throws TOO_MANY_ATTEMPTS while the locker's wait after wrong tries is running. */
  check(lockerId: string): void {
    const entry = this.#failures.get(lockerId);
    if (entry === undefined) return;
    const remaining = entry.at + waitAfterFailures(entry.count) - this.#now();
    if (remaining > 0) {
      const seconds = Math.ceil(remaining / 1000);
      throw new EnvelockError('TOO_MANY_ATTEMPTS', `${entry.count} wrong tries in a row: wait ${seconds} second${seconds === 1 ? '' : 's'} before the next one.`, { subject: lockerId });
    }
  }

  failed(lockerId: string): number {
    const count = (this.#failures.get(lockerId)?.count ?? 0) + 1;
    this.#failures.set(lockerId, { count, at: this.#now() });
    return count;
  }

  succeeded(lockerId: string): void {
    this.#failures.delete(lockerId);
  }
}
