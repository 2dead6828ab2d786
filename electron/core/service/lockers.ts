/**
 * The locker operations the CLI (and later the app) call, in one place. Each
 * takes the config folder, a locker reference and, when it needs keys, a
 * credential; each runs under the locker's inter-process lock, and first
 * finishes any operation a crash interrupted.
 */
export type { EngineContext } from './context.js';
export { findLocker, lockerStatus, snapshotSummary } from './lookup.js';
export { checkPassphraseStrength, initLocker, type InitOptions } from './init.js';
export { lockLocker, sealLocker, type LockSummary } from './lock.js';
export { restoreLocker, unlockLocker, type UnlockSummary } from './unlock.js';
export { listLockerSnapshots, verifyLocker } from './reports.js';
export { forgetLocker } from './forget.js';
export { addRecoveryKey, changePassphrase, removeRecoveryKey } from './keys.js';
