/**
 * Remove from list: forgets the locker in this app only. Nothing on disk is
 * deleted, which the dialog says plainly, with the store's path, so the user
 * knows where their encrypted files stay.
 */
import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { LockerView } from '../../../../shared/ipc/contract.js';
import { call, errorInfo } from '../../api.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Field } from '../../components/Field.js';
import { Path } from '../../components/LockerFacts.js';
import { useOperations } from '../../operations.js';

export interface RemoveDialogProps {
  locker: LockerView;
  onRemoved: () => void;
  onCancel: () => void;
}

export function RemoveDialog({ locker, onRemoved, onCancel }: RemoveDialogProps) {
  const ops = useOperations();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const matches = typed.trim() === locker.name;

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!matches || busy) return;
    setBusy(true);
    setError(null);
    try {
      // Marks the locker busy: no other operation may start on a locker being forgotten.
      const result = await ops.exclusive(locker.id, 'forget', () => call('forgetLocker', { id: locker.id, confirmName: locker.name }));
      if (result === undefined) {
        setBusy(false);
        setError({ code: 'LOCKER_BUSY', message: `${locker.name} is busy with another operation.`, fix: 'Wait for it to finish, then try again.' });
        return;
      }
      onRemoved();
    } catch (failure) {
      setBusy(false);
      setError(errorInfo(failure));
    }
  }

  return (
    <Dialog title={`Remove ${locker.name} from the list`} onClose={busy ? undefined : onCancel}>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <p>
          Nothing is deleted: Envelock only stops listing this locker. The home folder and the encrypted store stay on disk.
        </p>
        <dl className="facts">
          <div>
            <dt>Home folder</dt>
            <dd>
              <Path path={locker.home} />
            </dd>
          </div>
          <div>
            <dt>Store folder</dt>
            <dd>
              <Path path={locker.store} />
            </dd>
          </div>
        </dl>
        {locker.state !== 'unlocked' && (
          <p className="warning-text">
            This locker is not unlocked: its files are only in the store. Keep the store folder and your passphrase or
            recovery key to get them back.
          </p>
        )}
        <Field
          label="Type the locker's name to confirm"
          value={typed}
          onValue={setTyped}
          type="text"
          autoComplete="off"
          spellCheck={false}
          disabled={busy}
          hint={
            <>
              The name is <strong>{locker.name}</strong>.
            </>
          }
        />
        {error !== null && <ErrorAlert error={error} />}
        <div className="actions">
          <Button type="submit" variant="danger" busy={busy} disabled={!matches}>
            Remove
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
