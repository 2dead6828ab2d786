/**
 * One locker: its facts, every operation on it, and what those operations
 * found (verify report, snapshots). Dialogs for restore, change passphrase and
 * remove live here; the passphrase dialog is shared (see operations.tsx).
 */
import { useState } from 'react';
import type { LockerView } from '../../../shared/ipc/contract.js';
import type { SnapshotSummary } from '../../../shared/lockers.js';
import { call } from '../api.js';
import { Button } from '../components/Button.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { HomeFolderFact, StateBadge, canLock, healthText, lastSnapshotText, Path, stateLabel } from '../components/LockerFacts.js';
import { useAnnounce } from '../components/Messages.js';
import { RecoveryKeyView } from '../components/RecoveryKeyView.js';
import { bytes, count, date } from '../format.js';
import { PageProgress, useOperations } from '../operations.js';
import { ChangePassphraseDialog } from './details/ChangePassphraseDialog.js';
import { RemoveDialog } from './details/RemoveDialog.js';
import { RestoreDialog } from './details/RestoreDialog.js';
import { SnapshotsSection } from './details/SnapshotsSection.js';
import { VerifyReportView } from './details/VerifyReportView.js';
import { ScreenHeading } from './ScreenHeading.js';
import { useLockAction } from './useLockAction.js';

export interface LockerDetailsScreenProps {
  locker: LockerView;
  onLocker: (locker: LockerView) => void;
  onBack: () => void;
}

type OpenDialog = { kind: 'restore'; snapshot: SnapshotSummary } | { kind: 'passphrase' } | { kind: 'remove' } | null;

export function LockerDetailsScreen({ locker, onLocker, onBack }: LockerDetailsScreenProps) {
  const ops = useOperations();
  const announce = useAnnounce();
  const { lock, unlock } = useLockAction(onLocker);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [showSnapshots, setShowSnapshots] = useState(false);
  const [newKey, setNewKey] = useState<string | null>(null);

  const running = ops.running[locker.id];
  const busy = running !== undefined || ops.lockingAll;
  const error = ops.errors[locker.id];
  const health = ops.health[locker.id];
  const snapshots = ops.snapshots[locker.id];
  const withId = { id: locker.id };

  async function saveSnapshot(): Promise<void> {
    const result = await ops.run(locker, 'seal', 'when-required', (credential) => call('sealLocker', { ...withId, ...credential }));
    if (result === undefined) return;
    onLocker(result.locker);
    announce(result.message);
    // A shown table would now miss the new snapshot: read it again (main remembers the credential now).
    if (showSnapshots) void loadSnapshots();
  }

  async function verify(): Promise<void> {
    const report = await ops.run(locker, 'verify', 'when-required', async (credential) => {
      try {
        return await call('verifyLocker', { ...withId, ...credential });
      } catch (failure) {
        ops.recordVerify(locker.id, { error: failure });
        throw failure;
      }
    });
    if (report === undefined) return;
    ops.recordVerify(locker.id, { report });
    announce(report.ok ? `Verified ${locker.name}: no problems.` : `Verified ${locker.name}: ${report.problems.length === 1 ? '1 problem' : `${count(report.problems.length)} problems`} found.`);
  }

  async function loadSnapshots(): Promise<void> {
    const list = await ops.run(locker, 'snapshots', 'when-required', (credential) => call('listSnapshots', { ...withId, ...credential }));
    if (list === undefined) return;
    ops.recordSnapshots(locker.id, list);
    setShowSnapshots(true);
  }

  async function restore(snapshot: SnapshotSummary, to: string): Promise<void> {
    setDialog(null);
    const result = await ops.run(locker, 'restore', 'when-required', (credential) =>
      call('restoreSnapshot', { ...withId, ...credential, to, snapshot: snapshot.id }),
    );
    if (result === undefined) return;
    announce(`Restored ${count(result.files)} ${result.files === 1 ? 'file' : 'files'} to ${result.to}`);
  }

  async function replaceRecoveryKey(): Promise<void> {
    const result = await ops.run(locker, 'recovery-key', 'always', (credential) => call('replaceRecoveryKey', { ...withId, ...credential }));
    if (result === undefined) return;
    setNewKey(result.recoveryKey);
  }

  if (newKey !== null) {
    return (
      <RecoveryKeyView
        lockerName={locker.name}
        recoveryKey={newKey}
        note={`This is the new recovery key of ${locker.name}. The old recovery key no longer opens it.`}
        onDone={() => setNewKey(null)}
      />
    );
  }

  const lockable = canLock(locker);
  return (
    <>
      <div className="screen-head">
        <ScreenHeading>{locker.name}</ScreenHeading>
        <StateBadge state={locker.state} />
      </div>

      <dl className="card facts">
        <HomeFolderFact locker={locker} />
        <div>
          <dt>Store folder</dt>
          <dd>
            <Path path={locker.store} />
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            {stateLabel(locker.state)}
            {locker.state === 'locking' && ' (a lock was interrupted: Lock finishes it)'}
            {locker.state === 'unlocking' && ' (an unlock was interrupted: Unlock finishes it)'}
          </dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{bytes(locker.storeBytes)}</dd>
        </div>
        <div>
          <dt>Last snapshot</dt>
          <dd>{lastSnapshotText(locker, snapshots)}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{date(locker.created)}</dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd>{healthText(health)}</dd>
        </div>
      </dl>

      <div className="actions toolbar" role="group" aria-label="Actions">
        <Button variant="primary" busy={running === 'lock'} disabled={busy || !lockable} onClick={() => void lock(locker)}>
          Lock
        </Button>
        <Button variant="primary" busy={running === 'unlock'} disabled={busy || lockable} onClick={() => void unlock(locker)}>
          Unlock
        </Button>
        <Button busy={running === 'seal'} disabled={busy || locker.state !== 'unlocked'} onClick={() => void saveSnapshot()}>
          Save snapshot
        </Button>
        <Button busy={running === 'verify'} disabled={busy} onClick={() => void verify()}>
          Verify
        </Button>
        <Button busy={running === 'snapshots'} disabled={busy} onClick={() => void loadSnapshots()}>
          Snapshots
        </Button>
        <Button busy={running === 'passwd'} disabled={busy} onClick={() => setDialog({ kind: 'passphrase' })}>
          Change passphrase
        </Button>
        <Button busy={running === 'recovery-key'} disabled={busy} onClick={() => void replaceRecoveryKey()}>
          New recovery key
        </Button>
        <Button variant="danger" disabled={busy} onClick={() => setDialog({ kind: 'remove' })}>
          Remove from list
        </Button>
        <Button onClick={onBack}>Back</Button>
      </div>

      <PageProgress locker={locker} />
      {error !== undefined && <ErrorAlert error={error} />}
      {health !== undefined && <VerifyReportView health={health} />}
      {showSnapshots && snapshots !== undefined && (
        <SnapshotsSection snapshots={snapshots} busy={busy} onRestore={(snapshot) => setDialog({ kind: 'restore', snapshot })} />
      )}

      {dialog?.kind === 'restore' && (
        <RestoreDialog
          lockerName={locker.name}
          snapshot={dialog.snapshot}
          onRestore={(to) => void restore(dialog.snapshot, to)}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'passphrase' && (
        <ChangePassphraseDialog
          locker={locker}
          onCancel={() => setDialog(null)}
          onDone={(result) => {
            setDialog(null);
            onLocker(result.locker);
            announce(result.message);
          }}
        />
      )}
      {dialog?.kind === 'remove' && (
        <RemoveDialog
          locker={locker}
          onCancel={() => setDialog(null)}
          onRemoved={() => {
            announce(`Removed ${locker.name} from the list. Its home folder and store stay on disk: ${locker.store}`);
            onBack();
          }}
        />
      )}
    </>
  );
}
