/** Human-readable output of each command (the --json output is the raw result). */
import type { ErrorInfo } from '../../shared/errors.js';
import type { LockerSummary, SealSummary, SnapshotSummary, VerifyReport } from '../../shared/lockers.js';
import { formatBytes } from './progress.js';

export function renderLockers(lockers: readonly LockerSummary[]): string {
  if (lockers.length === 0) return 'No lockers yet. Create one with: envelock init <folder>\n';
  return lockers
    .map((l) => {
      const snap = l.lastSnapshot === null ? 'no snapshot yet' : `snapshot #${l.lastSnapshot.seq} ${l.lastSnapshot.id.slice(0, 12)}`;
      const state = l.state === 'locking' || l.state === 'unlocking' ? `${l.state} (interrupted; the next lock/unlock finishes it)` : l.state;
      return `${l.name}  [${state}]\n  id     ${l.id}\n  home   ${l.home}${l.homeExists ? '' : '  (missing)'}\n  store  ${l.store}  (${formatBytes(l.storeBytes)})\n  last   ${snap}\n`;
    })
    .join('\n');
}

export function renderSnapshots(snapshots: readonly SnapshotSummary[]): string {
  if (snapshots.length === 0) return 'No snapshots yet: seal or lock the locker first.\n';
  const rows = snapshots.map((s) => `#${String(s.seq).padEnd(4)} ${s.id.slice(0, 16)}  ${s.created}  ${String(s.files).padStart(7)} files  ${formatBytes(s.bytes).padStart(10)}`);
  return `${rows.join('\n')}\n`;
}

export function renderSeal(verb: string, s: SealSummary & { removed?: number }): string {
  const what = s.changed ? `snapshot #${s.snapshot.seq} ${s.snapshot.id.slice(0, 12)}` : `no changes since snapshot #${s.snapshot.seq}`;
  const removed = s.removed === undefined ? '' : `; home emptied (${s.removed} items removed)`;
  return `${verb} ${s.locker}: ${what}, ${s.snapshot.files} files, ${formatBytes(s.snapshot.bytes)} (${formatBytes(s.bytesStored)} new in the store)${removed}\n`;
}

export function renderVerify(report: VerifyReport): string {
  const c = report.counts;
  const lines = [
    report.ok ? 'OK: every object authenticates and every snapshot is complete.' : `FAILED: ${report.problems.length} problem(s) found.`,
    `  ${c.manifests} snapshots, ${c.indexes} indexes, ${c.packs} packs, ${c.chunks} chunks, ${formatBytes(c.bytes)} checked`,
    ...report.problems.map((p) => `  - [${p.code}] ${p.message}\n    fix: ${p.fix}`),
  ];
  if (report.unreferenced.length > 0) lines.push(`  ${report.unreferenced.length} unreferenced object(s) left by an interrupted seal (harmless).`);
  return `${lines.join('\n')}\n`;
}

export function renderError(error: ErrorInfo): string {
  return `envelock: ${error.message}\n  fix: ${error.fix}\n`;
}
