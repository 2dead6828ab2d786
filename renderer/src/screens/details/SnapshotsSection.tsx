/** The Snapshots table: number, date, files, size, and a Restore… button per row. */
import type { SnapshotSummary } from '../../../../shared/lockers.js';
import { Button } from '../../components/Button.js';
import { bytes, count, date } from '../../format.js';

export interface SnapshotsSectionProps {
  snapshots: SnapshotSummary[];
  busy: boolean;
  onRestore: (snapshot: SnapshotSummary) => void;
}

export function SnapshotsSection({ snapshots, busy, onRestore }: SnapshotsSectionProps) {
  // Newest first: the one you most likely want to restore.
  const rows = [...snapshots].sort((a, b) => b.seq - a.seq);
  return (
    <section className="card" aria-labelledby="snapshots-title">
      <h2 id="snapshots-title">Snapshots</h2>
      {rows.length === 0 ? (
        <p>No snapshot yet. Lock the locker or press Save snapshot to make one.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Date</th>
                <th scope="col" className="numeric">
                  Files
                </th>
                <th scope="col" className="numeric">
                  Size
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((snapshot) => (
                <tr key={snapshot.id}>
                  <td>{snapshot.seq}</td>
                  <td>{date(snapshot.created)}</td>
                  <td className="numeric">{count(snapshot.files)}</td>
                  <td className="numeric">{bytes(snapshot.bytes)}</td>
                  <td className="row-actions">
                    <Button aria-label={`Restore snapshot ${snapshot.seq}`} disabled={busy} onClick={() => onRestore(snapshot)}>
                      Restore…
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
