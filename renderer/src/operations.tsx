/**
 * Locker operations as the whole window sees them: which locker is busy (one
 * operation at a time per locker), the last error per locker, what the last
 * verify found, the snapshots seen this session, and the passphrase dialog.
 *
 * `run` implements the credential rule of docs/UI.md: Lock, Verify, Snapshots,
 * Save snapshot and Restore first try without a passphrase (main remembers the
 * one from this session's unlock or create) and ask only on
 * PASSPHRASE_REQUIRED; Unlock, Change passphrase and New recovery key always ask.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors.js';
import type { LockerView } from '../../shared/ipc/contract.js';
import type { SnapshotSummary, VerifyReport } from '../../shared/lockers.js';
import { errorInfo, hasCode } from './api.js';
import { NO_CREDENTIAL, type Credential } from './credential.js';
import { useAnnounce } from './components/Messages.js';
import { PassphraseDialog } from './components/PassphraseDialog.js';
import { ProgressPanel } from './components/ProgressPanel.js';

/** Main's operation names, as they arrive in progress events. */
export type OperationKind = 'lock' | 'unlock' | 'seal' | 'verify' | 'snapshots' | 'restore' | 'passwd' | 'recovery-key' | 'forget';

interface OperationWords {
  /** The passphrase dialog's action button; its title is "<action> <locker name>" (docs/UI.md). */
  action: string;
  /** The progress region's name. */
  progress: (name: string) => string;
  /** Moves files: must not be interrupted. */
  uninterruptible: boolean;
  /** Quick operations that run inside their own dialog show no progress region on the page. */
  pageProgress: boolean;
}

export const OPERATIONS: Record<OperationKind, OperationWords> = {
  lock: { action: 'Lock', progress: (n) => `Locking ${n}`, uninterruptible: true, pageProgress: true },
  unlock: { action: 'Unlock', progress: (n) => `Unlocking ${n}`, uninterruptible: true, pageProgress: true },
  seal: { action: 'Save snapshot', progress: (n) => `Saving a snapshot of ${n}`, uninterruptible: false, pageProgress: true },
  verify: { action: 'Verify', progress: (n) => `Verifying ${n}`, uninterruptible: false, pageProgress: true },
  snapshots: { action: 'Snapshots', progress: (n) => `Reading the snapshots of ${n}`, uninterruptible: false, pageProgress: true },
  restore: { action: 'Restore', progress: (n) => `Restoring ${n}`, uninterruptible: true, pageProgress: true },
  passwd: { action: 'Change passphrase', progress: (n) => `Changing the passphrase of ${n}`, uninterruptible: false, pageProgress: false },
  'recovery-key': { action: 'New recovery key', progress: (n) => `Making a new recovery key for ${n}`, uninterruptible: false, pageProgress: true },
  forget: { action: 'Remove', progress: (n) => `Removing ${n} from the list`, uninterruptible: false, pageProgress: false },
};

/** The last verify of a locker in this session: its report, or the integrity error it stopped on. */
export type Health = { report: VerifyReport } | { failed: ErrorInfo };

/** Verify failures that mean the store itself is damaged (rather than, say, a wrong passphrase). */
const INTEGRITY_CODES = ['OBJECT_CORRUPTED', 'OBJECT_TRUNCATED', 'OBJECT_MISSING', 'ROLLBACK_DETECTED', 'KDF_PARAMS_REFUSED', 'UNSUPPORTED_FORMAT', 'NOT_A_LOCKER'] as const;

interface Prompt {
  locker: LockerView;
  kind: OperationKind;
  attempt: (credential: Credential) => Promise<void>;
  settle: (outcome: { ok: true } | { ok: false; cancelled: true } | { ok: false; cancelled: false; error: unknown }) => void;
}

export interface Operations {
  /** The operation running (or asking for a passphrase) per locker id. */
  running: Readonly<Record<string, OperationKind>>;
  errors: Readonly<Record<string, ErrorInfo>>;
  health: Readonly<Record<string, Health>>;
  snapshots: Readonly<Record<string, SnapshotSummary[]>>;
  /** True while "Lock all" runs: no other lock or unlock starts meanwhile. */
  lockingAll: boolean;
  setLockingAll: (value: boolean) => void;
  /**
   * Runs one operation on a locker with the credential rule above. Resolves to
   * the result, or undefined when cancelled or failed (the error is then in
   * `errors[locker.id]`), or when the locker is busy.
   */
  run: <T>(locker: LockerView, kind: OperationKind, ask: 'always' | 'when-required', fn: (credential: Credential) => Promise<T>) => Promise<T | undefined>;
  /** Marks the locker busy while fn runs (for dialogs that collect their own credential); errors are rethrown. */
  exclusive: <T>(lockerId: string, kind: OperationKind, fn: () => Promise<T>) => Promise<T | undefined>;
  setError: (lockerId: string, error: unknown) => void;
  clearError: (lockerId: string) => void;
  recordVerify: (lockerId: string, outcome: { report: VerifyReport } | { error: unknown }) => void;
  recordSnapshots: (lockerId: string, snapshots: SnapshotSummary[]) => void;
  /** Whether the page (not a dialog) should show this locker's progress. */
  showsProgressOnPage: (lockerId: string) => boolean;
}

const OperationsContext = createContext<Operations | null>(null);

export function useOperations(): Operations {
  const value = useContext(OperationsContext);
  if (value === null) throw new Error('useOperations outside OperationsProvider');
  return value;
}

function without<V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

export function OperationsProvider({ children }: { children: ReactNode }) {
  const [running, setRunning] = useState<Record<string, OperationKind>>({});
  const [errors, setErrors] = useState<Record<string, ErrorInfo>>({});
  const [health, setHealth] = useState<Record<string, Health>>({});
  const [snapshots, setSnapshots] = useState<Record<string, SnapshotSummary[]>>({});
  const [lockingAll, setLockingAll] = useState(false);
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  // State updates are asynchronous; the ref answers "is it busy?" for a double click in the same tick.
  const busy = useRef(new Set<string>());
  const announce = useAnnounce();

  const setError = useCallback((lockerId: string, error: unknown) => setErrors((old) => ({ ...old, [lockerId]: errorInfo(error) })), []);
  const clearError = useCallback((lockerId: string) => setErrors((old) => (lockerId in old ? without(old, lockerId) : old)), []);

  const exclusive = useCallback(async <T,>(lockerId: string, kind: OperationKind, fn: () => Promise<T>): Promise<T | undefined> => {
    if (busy.current.has(lockerId)) return undefined;
    busy.current.add(lockerId);
    setRunning((old) => ({ ...old, [lockerId]: kind }));
    try {
      return await fn();
    } finally {
      busy.current.delete(lockerId);
      setRunning((old) => without(old, lockerId));
    }
  }, []);

  const ask = useCallback(
    (locker: LockerView, kind: OperationKind, attempt: (credential: Credential) => Promise<void>) =>
      new Promise<boolean>((resolve, reject) => {
        setPrompt({
          locker,
          kind,
          attempt,
          settle: (outcome) => {
            setPrompt(null);
            if (outcome.ok) resolve(true);
            else if (outcome.cancelled) resolve(false);
            else reject(outcome.error);
          },
        });
      }),
    [],
  );

  const run = useCallback(
    async <T,>(locker: LockerView, kind: OperationKind, mode: 'always' | 'when-required', fn: (credential: Credential) => Promise<T>): Promise<T | undefined> => {
      if (busy.current.has(locker.id)) return undefined;
      clearError(locker.id);
      try {
        return await exclusive(locker.id, kind, async () => {
          if (mode === 'when-required') {
            try {
              return await fn(NO_CREDENTIAL);
            } catch (error) {
              if (!hasCode(error, 'PASSPHRASE_REQUIRED')) throw error;
            }
          }
          let result: T | undefined;
          const done = await ask(locker, kind, async (credential) => {
            result = await fn(credential);
          });
          return done ? result : undefined;
        });
      } catch (error) {
        // Stopped on the user's request: news, not a problem to fix.
        if (hasCode(error, 'CANCELLED')) announce(error.info.message);
        else setError(locker.id, error);
        return undefined;
      }
    },
    [announce, ask, clearError, exclusive, setError],
  );

  const recordVerify = useCallback((lockerId: string, outcome: { report: VerifyReport } | { error: unknown }) => {
    if ('report' in outcome) {
      setHealth((old) => ({ ...old, [lockerId]: { report: outcome.report } }));
    } else if (hasCode(outcome.error, ...INTEGRITY_CODES)) {
      setHealth((old) => ({ ...old, [lockerId]: { failed: errorInfo(outcome.error) } }));
    }
  }, []);

  const recordSnapshots = useCallback((lockerId: string, list: SnapshotSummary[]) => setSnapshots((old) => ({ ...old, [lockerId]: list })), []);

  const promptLockerId = prompt?.locker.id;
  const showsProgressOnPage = useCallback(
    (lockerId: string) => {
      const kind = running[lockerId];
      return kind !== undefined && OPERATIONS[kind].pageProgress && promptLockerId !== lockerId;
    },
    [running, promptLockerId],
  );

  const value = useMemo<Operations>(
    () => ({ running, errors, health, snapshots, lockingAll, setLockingAll, run, exclusive, setError, clearError, recordVerify, recordSnapshots, showsProgressOnPage }),
    [running, errors, health, snapshots, lockingAll, run, exclusive, setError, clearError, recordVerify, recordSnapshots, showsProgressOnPage],
  );

  const words = prompt === null ? null : OPERATIONS[prompt.kind];
  return (
    <OperationsContext.Provider value={value}>
      {children}
      {prompt !== null && words !== null && (
        <PassphraseDialog
          key={`${prompt.locker.id}:${prompt.kind}`}
          title={`${words.action} ${prompt.locker.name}`}
          action={words.action}
          attempt={async (credential) => {
            await prompt.attempt(credential);
            prompt.settle({ ok: true });
          }}
          onCancel={() => prompt.settle({ ok: false, cancelled: true })}
          onFailed={(error) => prompt.settle({ ok: false, cancelled: false, error })}
          progress={
            <ProgressPanel
              title={words.progress(prompt.locker.name)}
              lockerId={prompt.locker.id}
              operation={prompt.kind}
              uninterruptible={words.uninterruptible}
            />
          }
        />
      )}
    </OperationsContext.Provider>
  );
}

/** A locker's running operation as a progress region on the page (when no dialog shows it). */
export function PageProgress({ locker }: { locker: LockerView }) {
  const ops = useOperations();
  const running = ops.running[locker.id];
  if (running === undefined || !ops.showsProgressOnPage(locker.id)) return null;
  const words = OPERATIONS[running];
  return <ProgressPanel title={words.progress(locker.name)} lockerId={locker.id} operation={running} uninterruptible={words.uninterruptible} />;
}
