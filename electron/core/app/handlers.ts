/**
 * The app's handler table: what each IPC channel of shared/ipc/contract.ts does.
 * Plain Node (no 'electron'): main registers these with ipcMain, and the browser
 * test harness serves the very same table over HTTP, so the UI is tested against
 * what ships. Arguments arrive here already validated (see dispatch.ts).
 */
import { EnvelockError } from '../../../shared/errors.js';
import type { ArgsOf, Channel, EventName, EventPayloads, KdfDescription, LockerView, ResultOf } from '../../../shared/ipc/contract.js';
import type { LockerSummary } from '../../../shared/lockers.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { parseRecoveryKey } from '../crypto/recovery-key.js';
import type { Credential } from '../locker/keyslots.js';
import type { EngineContext } from '../service/context.js';
import {
  addRecoveryKey, changePassphrase, findLocker, forgetLocker, initLocker, listLockerSnapshots, lockerStatus,
  lockLocker, restoreLocker, sealLocker, unlockLocker, verifyLocker,
} from '../service/lockers.js';
import { AttemptThrottle, CredentialSession } from './session.js';
import { KDF_TARGET_MS, readSettings, writeSettings } from './settings.js';

export type Handlers = { [C in Channel]: (args: ArgsOf<C>) => Promise<ResultOf<C>> };

/** What the table needs from its host (Electron's main, or the test harness). */
export interface AppHost {
  readonly configDir: string;
  readonly version: string;
  readonly platform: string;
  /** The native folder picker; null when the user cancels. */
  pickFolder(purpose: 'home' | 'restore'): Promise<string | null>;
  /** Opens an https documentation link in the user's browser. */
  openDocs(url: string): Promise<void>;
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  readonly now?: () => number;
}

export const DOCS_URLS = {
  'recovery-key': 'https://github.com/envelock/envelock/blob/main/docs/FORMAT.md#keyslots',
  format: 'https://github.com/envelock/envelock/blob/main/docs/FORMAT.md',
  security: 'https://github.com/envelock/envelock/blob/main/README.md#security',
} as const;

/** Progress events at most this often, plus every phase change: the UI needs no more. */
const PROGRESS_INTERVAL_MS = 100;

type WithCredential = { id: string; passphrase?: string; recoveryKey?: string };

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : words}`;
}

export interface AppService extends Handlers {
  /** Locks every locker this session can lock without asking (tray "Lock all", auto-lock, quit). */
  lockAllRemembered(): Promise<{ locked: string[]; needPassphrase: string[] }>;
}

export function createHandlers(host: AppHost): AppService {
  const session = new CredentialSession();
  const throttle = new AttemptThrottle(host.now);

  const view = (summary: LockerSummary): LockerView => ({ ...summary, remembered: session.has(summary.id) });
  const viewOf = (id: string): LockerView => {
    const [summary] = lockerStatus({ configDir: host.configDir }, id);
    if (summary === undefined) throw new EnvelockError('LOCKER_NOT_FOUND', `Locker ${id} is not in the list.`, { subject: id });
    return view(summary);
  };
  const changed = (reason: string): void => host.emit('lockersChanged', { reason });
  /** The running operation's cancel switch per locker id (one operation per locker runs at a time). */
  const cancels = new Map<string, AbortController>();

  /** Runs one engine operation with progress events and a cancel switch for the locker. */
  async function operate<T>(operation: string, lockerId: string, run: (ctx: EngineContext) => Promise<T>): Promise<T> {
    const cancel = new AbortController();
    cancels.set(lockerId, cancel);
    try {
      return await run(context(operation, lockerId, cancel.signal));
    } finally {
      if (cancels.get(lockerId) === cancel) cancels.delete(lockerId);
    }
  }

  function context(operation: string, lockerId: string, signal?: AbortSignal): EngineContext {
    let last = 0;
    let lastPhase = '';
    const onProgress = (progress: ProgressEvent): void => {
      const now = Date.now();
      const done = progress.bytesTotal > 0 && progress.bytesDone >= progress.bytesTotal;
      if (progress.phase === lastPhase && !done && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      lastPhase = progress.phase;
      host.emit('progress', { operation, lockerId, progress });
    };
    return { configDir: host.configDir, onProgress, ...(signal === undefined ? {} : { signal }), kdfTargetMs: KDF_TARGET_MS[readSettings(host.configDir).kdfStrength] };
  }

  /**
   * The credential for an operation: what the user typed, or (where allowed) the
   * one remembered from this session's unlock. Wrong typed credentials count
   * towards the locker's wait; right ones are remembered until the next lock.
   */
  async function withCredential<T>(args: WithCredential, allowRemembered: boolean, run: (credential: Credential) => Promise<T>): Promise<T> {
    const id = findLocker(host.configDir, args.id).id;
    let typed: Credential | undefined;
    if (args.recoveryKey !== undefined) typed = { kind: 'recovery', key: parseRecoveryKey(args.recoveryKey) };
    else if (args.passphrase !== undefined) typed = { kind: 'passphrase', passphrase: args.passphrase };
    const credential = typed ?? (allowRemembered ? session.get(id) : undefined);
    if (credential === undefined) {
      throw new EnvelockError('PASSPHRASE_REQUIRED', 'This needs the locker\'s passphrase.', { fix: 'Enter the passphrase (or the recovery key) and try again.', subject: id });
    }
    if (typed !== undefined) throttle.check(id);
    try {
      const result = await run(credential);
      if (typed !== undefined) {
        throttle.succeeded(id);
        session.remember(id, typed);
      }
      return result;
    } catch (error) {
      if (typed !== undefined && error instanceof EnvelockError && (error.code === 'WRONG_PASSPHRASE' || error.code === 'WRONG_RECOVERY_KEY')) {
        throttle.failed(id);
      }
      throw error;
    }
  }

  async function lockOne(id: string, credential: Credential): Promise<string> {
    const summary = await operate('lock', id, (ctx) => lockLocker(ctx, id, credential));
    session.forget(id);
    changed('locked');
    return summary.removed === 0 && !summary.changed ? 'Locked.' : `Locked: ${plural(summary.removed, 'file or folder', 'files and folders')} removed from the home folder.`;
  }

  const handlers: Handlers = {
    getAppInfo: async () => ({ version: host.version, platform: host.platform, configDir: host.configDir }),

    listLockers: async () => lockerStatus({ configDir: host.configDir }).map(view),

    pickFolder: async ({ purpose }) => host.pickFolder(purpose),

    createLocker: async ({ folder, passphrase, name }) => {
      const ctx = context('create', '');
      const created = await initLocker(ctx, name === undefined ? { folder, passphrase } : { folder, passphrase, name });
      session.remember(created.locker.id, { kind: 'passphrase', passphrase });
      changed('created');
      const kdf: KdfDescription = {
        memoryMiB: created.kdf.memoryKiB / 1024,
        iterations: created.kdf.iterations,
        parallelism: created.kdf.parallelism,
        targetMilliseconds: ctx.kdfTargetMs ?? KDF_TARGET_MS.standard,
      };
      return { locker: view(created.locker), recoveryKey: created.recoveryKey, kdf };
    },

    lockLocker: async (args) => {
      const message = await withCredential(args, true, (credential) => lockOne(args.id, credential));
      return { locker: viewOf(args.id), message };
    },

    unlockLocker: async (args) => {
      // Unlock always asks: a remembered credential must not open a locked locker.
      const summary = await withCredential(args, false, (credential) => operate('unlock', args.id, (ctx) => unlockLocker(ctx, args.id, credential)));
      changed('unlocked');
      return { locker: viewOf(args.id), message: `Unlocked: ${plural(summary.files, 'file')} back in ${summary.home}.` };
    },

    sealLocker: async (args) => {
      const summary = await withCredential(args, true, (credential) => operate('seal', args.id, (ctx) => sealLocker(ctx, args.id, credential)));
      changed('sealed');
      return { locker: viewOf(args.id), message: summary.changed ? `Snapshot ${summary.snapshot.seq} saved.` : 'Nothing changed since the last snapshot.' };
    },

    listSnapshots: async (args) => withCredential(args, true, (credential) => operate('snapshots', args.id, (ctx) => listLockerSnapshots(ctx, args.id, credential))),

    restoreSnapshot: async (args) => {
      const summary = await withCredential(args, true, (credential) =>
        operate('restore', args.id, (ctx) => restoreLocker(ctx, args.id, credential, args.snapshot === undefined ? { to: args.to } : { to: args.to, snapshot: args.snapshot })),
      );
      return { to: summary.home, files: summary.files, bytes: summary.bytes };
    },

    verifyLocker: async (args) => withCredential(args, true, (credential) => operate('verify', args.id, (ctx) => verifyLocker(ctx, args.id, credential))),

    changePassphrase: async (args) => {
      // The current passphrase is asked again: a walk-up attacker at an unlocked session must not change it.
      await withCredential(args, false, (credential) => operate('passwd', args.id, (ctx) => changePassphrase(ctx, args.id, credential, args.newPassphrase)));
      session.remember(findLocker(host.configDir, args.id).id, { kind: 'passphrase', passphrase: args.newPassphrase });
      changed('passphrase');
      return { locker: viewOf(args.id), message: 'Passphrase changed. The old passphrase no longer opens this locker.' };
    },

    replaceRecoveryKey: async (args) => {
      const { recoveryKey } = await withCredential(args, false, (credential) => operate('recovery-key', args.id, (ctx) => addRecoveryKey(ctx, args.id, credential)));
      return { recoveryKey };
    },

    cancelOperation: async ({ id }) => {
      const cancel = cancels.get(id);
      if (cancel === undefined || cancel.signal.aborted) return { cancelling: false }; // nothing running, or already asked
      cancel.abort();
      return { cancelling: true };
    },

    lockAll: async () => service.lockAllRemembered(),

    forgetLocker: async ({ id, confirmName }) => {
      const forgotten = await forgetLocker({ configDir: host.configDir }, id, confirmName);
      session.forget(forgotten.id);
      changed('forgotten');
      return { forgotten: forgotten.id };
    },

    getSettings: async () => readSettings(host.configDir),

    setSettings: async (settings) => {
      const saved = writeSettings(host.configDir, settings);
      changed('settings');
      return saved;
    },

    openDocs: async ({ topic }) => {
      await host.openDocs(DOCS_URLS[topic]);
      return null;
    },
  };

  const service: AppService = {
    ...handlers,
    async lockAllRemembered() {
      const locked: string[] = [];
      const needPassphrase: string[] = [];
      for (const locker of lockerStatus({ configDir: host.configDir })) {
        if (locker.state === 'locked') continue;
        const credential = session.get(locker.id);
        if (credential === undefined) {
          needPassphrase.push(locker.name);
          continue;
        }
        await lockOne(locker.id, credential);
        locked.push(locker.name);
      }
      return { locked, needPassphrase };
    },
  };
  return service;
}
