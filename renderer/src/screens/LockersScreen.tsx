/**
 * The start screen: every locker as a card with its state, size, last
 * snapshot and health, and the buttons to lock, unlock or open it.
 */
import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors.js';
import type { LockerView } from '../../../shared/ipc/contract.js';
import { call, errorInfo } from '../api.js';
import { Button } from '../components/Button.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { HomeFolderFact, StateBadge, canLock, healthText, lastSnapshotText } from '../components/LockerFacts.js';
import { useAnnounce } from '../components/Messages.js';
import { bytes } from '../format.js';
import { PageProgress, useOperations } from '../operations.js';
import type { LockersState } from '../useLockers.js';
import { ScreenHeading } from './ScreenHeading.js';
import { useLockAction } from './useLockAction.js';

export interface LockersScreenProps {
  state: LockersState;
  onNew: () => void;
  onDetails: (id: string) => void;
}

function lockAllMessage(result: { locked: string[]; needPassphrase: string[] }): string {
  const parts: string[] = [];
  if (result.locked.length > 0) parts.push(`Locked ${result.locked.join(', ')}.`);
  if (result.needPassphrase.length > 0) {
    parts.push(`${result.needPassphrase.join(', ')} ${result.needPassphrase.length === 1 ? 'needs its' : 'need their'} passphrase: use ${result.needPassphrase.length === 1 ? 'its' : 'each'} Lock button.`);
  }
  return parts.length === 0 ? 'Nothing to lock.' : parts.join(' ');
}

export function LockersScreen({ state, onNew, onDetails }: LockersScreenProps) {
  const ops = useOperations();
  const announce = useAnnounce();
  const [lockAllError, setLockAllError] = useState<ErrorInfo | null>(null);
  const { lockers } = state;
  const anyUnlocked = lockers?.some(canLock) ?? false;

  async function lockAll(): Promise<void> {
    ops.setLockingAll(true);
    setLockAllError(null);
    try {
      announce(lockAllMessage(await call('lockAll', {})));
    } catch (failure) {
      setLockAllError(errorInfo(failure));
    } finally {
      ops.setLockingAll(false);
    }
  }

  return (
    <>
      <div className="screen-head">
        <ScreenHeading>Lockers</ScreenHeading>
        <div className="actions">
          {anyUnlocked && (
            <Button onClick={() => void lockAll()} busy={ops.lockingAll}>
              Lock all
            </Button>
          )}
          <Button variant="primary" onClick={onNew}>
            New locker
          </Button>
        </div>
      </div>
      {state.error !== null && <ErrorAlert error={state.error} />}
      {lockAllError !== null && <ErrorAlert error={lockAllError} />}
      {lockers === null && state.error === null && <p className="muted">Loading lockers…</p>}
      {lockers !== null && lockers.length === 0 && (
        <div className="empty card">
          <h2>No lockers yet</h2>
          <p>
            A locker keeps a folder encrypted while you are not using it: locking seals the folder&apos;s files into an encrypted
            store and removes them from the folder. Press New locker to make your first one.
          </p>
        </div>
      )}
      {lockers !== null && lockers.length > 0 && (
        <ul className="locker-list" aria-label="Lockers">
          {lockers.map((locker) => (
            <LockerCard key={locker.id} locker={locker} onLocker={state.update} onDetails={() => onDetails(locker.id)} />
          ))}
        </ul>
      )}
    </>
  );
}

function LockerCard({ locker, onLocker, onDetails }: { locker: LockerView; onLocker: (locker: LockerView) => void; onDetails: () => void }) {
  const ops = useOperations();
  const { lock, unlock } = useLockAction(onLocker);
  const running = ops.running[locker.id];
  const error = ops.errors[locker.id];
  const lockable = canLock(locker);
  const busy = running !== undefined || ops.lockingAll;
  return (
    <li className="card locker-card">
      <div className="locker-card-head">
        <h2 className="locker-name" title={locker.name}>
          {locker.name}
        </h2>
        <StateBadge state={locker.state} />
      </div>
      <dl className="facts facts-compact">
        <HomeFolderFact locker={locker} />
        <div>
          <dt>Size</dt>
          <dd>{bytes(locker.storeBytes)}</dd>
        </div>
        <div>
          <dt>Last snapshot</dt>
          <dd>{lastSnapshotText(locker, ops.snapshots[locker.id])}</dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd>{healthText(ops.health[locker.id])}</dd>
        </div>
      </dl>
      <PageProgress locker={locker} />
      {error !== undefined && <ErrorAlert error={error} />}
      <div className="actions">
        {/* One element for Lock and Unlock: the button (and keyboard focus on it) survives the state change. */}
        {lockable ? (
          <Button variant="primary" aria-label={`Lock ${locker.name}`} busy={running === 'lock'} disabled={busy} onClick={() => void lock(locker)}>
            Lock
          </Button>
        ) : (
          <Button variant="primary" aria-label={`Unlock ${locker.name}`} busy={running === 'unlock'} disabled={busy} onClick={() => void unlock(locker)}>
            Unlock
          </Button>
        )}
        <Button aria-label={`Details of ${locker.name}`} onClick={onDetails}>
          Details
        </Button>
      </div>
    </li>
  );
}
