/**
 * The one IPC contract between the renderer and main: channel names, argument
 * validators and result types. Preload exposes exactly these names on
 * `window.envelock`; main registers exactly these handlers and validates every
 * argument with the validator listed here before a service sees it.
 *
 * Passphrases travel renderer → main only. Results carry ids, states, reports
 * and progress, never key material (the recovery key is shown once, by design:
 * the user must write it down).
 */
import type { ErrorInfo } from '../errors.js';
import type { LockerSummary, SnapshotSummary, VerifyReport } from '../lockers.js';
import type { ProgressEvent } from '../progress.js';
import { absolutePath, integer, object, oneOf, optional, text, type Validator } from './validate.js';

const lockerId = text({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/, describe: 'a locker id' });
const passphrase = text({ min: 1, max: 1024, describe: 'a passphrase of 1–1024 characters' });
const recoveryKey = text({ min: 1, max: 200, describe: 'a recovery key like ELK-XXXX-…' });
const snapshotId = text({ min: 1, max: 128, pattern: /^[0-9a-f]+$/, describe: 'a snapshot id' });
const lockerName = text({ min: 1, max: 200, pattern: /^[^/\\]+$/, describe: 'a locker name without slashes' });

export const KDF_STRENGTHS = ['standard', 'strong', 'maximum'] as const;
export type KdfStrength = (typeof KDF_STRENGTHS)[number];

export interface Settings {
  /** 0 = never. Locks every unlocked locker after this many idle minutes. */
  autoLockMinutes: number;
  /** How long one passphrase check takes on new keyslots: 0.6 s, 1 s or 1.5 s. */
  kdfStrength: KdfStrength;
}

/** What the UI shows for a locker: the engine's summary plus whether the app can lock it without asking. */
export interface LockerView extends LockerSummary {
  /** True when this session holds the locker's credential (it was unlocked or created here). */
  remembered: boolean;
}

export interface KdfDescription {
  memoryMiB: number;
  iterations: number;
  parallelism: number;
  /** What one derivation was calibrated to take on this computer, in milliseconds. */
  targetMilliseconds: number;
}

export interface OperationResult {
  locker: LockerView;
  /** One line for the user, e.g. "Locked: 1,204 files removed from the home folder." */
  message: string;
}

/** Phantom marker that carries a result type in the contract table. */
export interface Returns<T> { readonly __returns?: T }
function returns<T>(): Returns<T> { return {}; }

export interface ChannelSpec<A, R> { readonly args: Validator<A>; readonly result: Returns<R> }
function channel<A, R>(args: Validator<A>, result: Returns<R>): ChannelSpec<A, R> { return { args, result }; }

const withCredential = object({ id: lockerId, passphrase: optional(passphrase), recoveryKey: optional(recoveryKey) });

export const CONTRACT = {
  getAppInfo: channel(object({}), returns<{ version: string; platform: string; configDir: string }>()),
  listLockers: channel(object({}), returns<LockerView[]>()),
  pickFolder: channel(object({ purpose: oneOf(['home', 'restore'] as const) }), returns<string | null>()),
  createLocker: channel(
    object({ folder: absolutePath, passphrase, name: optional(lockerName) }),
    returns<{ locker: LockerView; recoveryKey: string; kdf: KdfDescription }>(),
  ),
  lockLocker: channel(withCredential, returns<OperationResult>()),
  unlockLocker: channel(withCredential, returns<OperationResult>()),
  sealLocker: channel(withCredential, returns<OperationResult>()),
  listSnapshots: channel(withCredential, returns<SnapshotSummary[]>()),
  restoreSnapshot: channel(
    object({ id: lockerId, passphrase: optional(passphrase), recoveryKey: optional(recoveryKey), to: absolutePath, snapshot: optional(snapshotId) }),
    returns<{ to: string; files: number; bytes: number }>(),
  ),
  verifyLocker: channel(withCredential, returns<VerifyReport>()),
  changePassphrase: channel(
    object({ id: lockerId, passphrase: optional(passphrase), recoveryKey: optional(recoveryKey), newPassphrase: passphrase }),
    returns<OperationResult>(),
  ),
  replaceRecoveryKey: channel(withCredential, returns<{ recoveryKey: string }>()),
  /** Asks the locker's running operation to stop where nothing is lost; false when none is running. */
  cancelOperation: channel(object({ id: lockerId }), returns<{ cancelling: boolean }>()),
  lockAll: channel(object({}), returns<{ locked: string[]; needPassphrase: string[] }>()),
  forgetLocker: channel(object({ id: lockerId, confirmName: lockerName }), returns<{ forgotten: string }>()),
  getSettings: channel(object({}), returns<Settings>()),
  setSettings: channel(object({ autoLockMinutes: integer(0, 24 * 60), kdfStrength: oneOf(KDF_STRENGTHS) }), returns<Settings>()),
  openDocs: channel(object({ topic: oneOf(['recovery-key', 'format', 'security'] as const) }), returns<null>()),
} as const;

export type Channel = keyof typeof CONTRACT;
export const CHANNELS = Object.keys(CONTRACT) as Channel[];
export type ArgsOf<C extends Channel> = (typeof CONTRACT)[C] extends ChannelSpec<infer A, unknown> ? A : never;
export type ResultOf<C extends Channel> = (typeof CONTRACT)[C] extends ChannelSpec<unknown, infer R> ? R : never;

/** What every call resolves to: errors cross the boundary as values, never as thrown objects. */
export type IpcResult<R> = { ok: true; value: R } | { ok: false; error: ErrorInfo };

/** Events main sends to the renderer. */
export interface EventPayloads {
  progress: { operation: string; lockerId: string; progress: ProgressEvent };
  lockersChanged: { reason: string };
}
export type EventName = keyof EventPayloads;
export const EVENTS: readonly EventName[] = ['progress', 'lockersChanged'];

/** The IPC channel name of a contract entry (namespaced so nothing else collides). */
export function ipcChannel(name: Channel): string { return `envelock:${name}`; }
export function ipcEvent(name: EventName): string { return `envelock-event:${name}`; }

/** The one object preload puts on `window.envelock`. */
export type EnvelockBridge = {
  [C in Channel]: (args: ArgsOf<C>) => Promise<IpcResult<ResultOf<C>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

export const BRIDGE_KEY = 'envelock';
