/** Small shared pieces that describe a locker the same way on every screen. */
import type { LockerView } from '../../../shared/ipc/contract.js';
import type { LockerState, SnapshotSummary } from '../../../shared/lockers.js';
import { date } from '../format.js';
import type { Health } from '../operations.js';

export function stateLabel(state: LockerState): 'Unlocked' | 'Locked' | 'Interrupted' {
  if (state === 'unlocked') return 'Unlocked';
  if (state === 'locked') return 'Locked';
  return 'Interrupted';
}

/** An interrupted lock is finished by locking, an interrupted unlock by unlocking. */
export function canLock(locker: LockerView): boolean {
  return locker.state === 'unlocked' || locker.state === 'locking';
}

export function StateBadge({ state }: { state: LockerState }) {
  const label = stateLabel(state);
  return <span className={`badge badge-${label.toLowerCase()}`}>{label}</span>;
}

/** "Snapshot 3 · Dec 3, 2026, 10:05 PM"; the date only when this session has listed the snapshots. */
export function lastSnapshotText(locker: LockerView, known: SnapshotSummary[] | undefined): string {
  const last = locker.lastSnapshot;
  if (last === null) return 'No snapshot yet';
  const summary = known?.find((snapshot) => snapshot.id === last.id);
  return summary === undefined ? `Snapshot ${last.seq}` : `Snapshot ${last.seq} · ${date(summary.created)}`;
}

export function healthText(health: Health | undefined): 'Verified OK' | 'Problems found' | 'Not verified in this session' {
  if (health === undefined) return 'Not verified in this session';
  if ('report' in health && health.report.ok) return 'Verified OK';
  return 'Problems found';
}

/** A path that may be long: one line, ellipsized, the full text in the tooltip. */
export function Path({ path }: { path: string }) {
  return (
    <span className="path" title={path}>
      {path}
    </span>
  );
}

/** The "Home folder" row of a facts list, marked when an unlocked locker's home has gone missing. */
export function HomeFolderFact({ locker }: { locker: LockerView }) {
  return (
    <div>
      <dt>Home folder</dt>
      <dd>
        <Path path={locker.home} />
        {!locker.homeExists && locker.state !== 'locked' && <span className="warning-text"> (missing)</span>}
      </dd>
    </div>
  );
}
