/**
 * Asks where to restore a snapshot. The restore itself runs on the details
 * screen (with its progress), so this dialog only collects the folder.
 */
import { useState, type FormEvent } from 'react';
import type { SnapshotSummary } from '../../../../shared/lockers.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FolderField } from '../../components/FolderField.js';
import { date } from '../../format.js';

export interface RestoreDialogProps {
  lockerName: string;
  snapshot: SnapshotSummary;
  onRestore: (to: string) => void;
  onCancel: () => void;
}

/** Main accepts only absolute paths (POSIX or Windows). */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

export function RestoreDialog({ lockerName, snapshot, onRestore, onCancel }: RestoreDialogProps) {
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const path = to.trim();
    if (!isAbsolute(path)) {
      setProblem(path === '' ? 'Choose the folder to restore to.' : 'The folder must be a full path, starting at the root of the disk.');
      return;
    }
    onRestore(path);
  }

  return (
    <Dialog title={`Restore snapshot ${snapshot.seq} of ${lockerName}`} onClose={onCancel}>
      <form onSubmit={onSubmit} noValidate>
        <p>
          Snapshot {snapshot.seq} from {date(snapshot.created)} is copied into the folder you choose; the locker and its home
          folder are not changed. The folder must not exist yet, or be empty.
        </p>
        <FolderField label="Restore to folder" value={to} onValue={setTo} purpose="restore" />
        {problem !== null && <ErrorAlert error={{ message: problem, fix: 'Type its full path, or press Browse… to pick it.' }} />}
        <div className="actions">
          <Button type="submit" variant="primary">
            Restore
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
