/**
 * Change passphrase: the current one is always asked again (main refuses a
 * remembered one here), the new one is checked with the same strength rule as
 * create. A wrong current passphrase keeps the dialog open with that field cleared.
 */
import { useId, useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { LockerView, OperationResult } from '../../../../shared/ipc/contract.js';
import { call, errorInfo, hasCode } from '../../api.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { Field } from '../../components/Field.js';
import { StrengthMeter } from '../../components/StrengthMeter.js';
import { useCountdown } from '../../components/useCountdown.js';
import { CREDENTIAL_ERRORS, waitSeconds } from '../../credential.js';
import { useOperations } from '../../operations.js';
import { checkNewPassphrase } from '../NewLockerScreen.js';

export interface ChangePassphraseDialogProps {
  locker: LockerView;
  onDone: (result: OperationResult) => void;
  onCancel: () => void;
}

export function ChangePassphraseDialog({ locker, onDone, onCancel }: ChangePassphraseDialogProps) {
  const ops = useOperations();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ErrorInfo | Pick<ErrorInfo, 'message' | 'fix'> | null>(null);
  const [waitUntil, setWaitUntil] = useState(0);
  const waitLeft = useCountdown(waitUntil);
  const waitId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy || waitLeft > 0) return;
    if (current === '') {
      setProblem({ message: 'Type the current passphrase.', fix: 'It proves you own this locker before the passphrase changes.' });
      return;
    }
    const refusal = checkNewPassphrase(next, repeat);
    if (refusal !== null) {
      setProblem(refusal);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const result = await ops.exclusive(locker.id, 'passwd', () => call('changePassphrase', { id: locker.id, passphrase: current, newPassphrase: next }));
      setBusy(false);
      if (result === undefined) {
        setProblem({ message: `${locker.name} is busy with another operation.`, fix: 'Wait for it to finish, then try again.' });
        return;
      }
      onDone(result);
    } catch (failure) {
      setBusy(false);
      setProblem(errorInfo(failure));
      if (hasCode(failure, ...CREDENTIAL_ERRORS)) {
        setCurrent('');
        if (failure.code === 'TOO_MANY_ATTEMPTS') setWaitUntil(Date.now() + waitSeconds(failure.info.message) * 1000);
      }
    }
  }

  return (
    <Dialog title={`Change the passphrase of ${locker.name}`} onClose={busy ? undefined : onCancel}>
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <Field label="Current passphrase" value={current} onValue={setCurrent} type="password" autoComplete="current-password" disabled={busy} />
        <Field label="New passphrase" value={next} onValue={setNext} type="password" autoComplete="new-password" disabled={busy} />
        <Field label="Repeat new passphrase" value={repeat} onValue={setRepeat} type="password" autoComplete="new-password" disabled={busy} />
        <StrengthMeter passphrase={next} />
        <p className="hint">The recovery key keeps working; the old passphrase stops working.</p>
        {problem !== null && <ErrorAlert error={problem} />}
        <div className="actions">
          <Button type="submit" variant="primary" busy={busy} disabled={waitLeft > 0} aria-describedby={waitLeft > 0 ? waitId : undefined}>
            Change passphrase
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          {waitLeft > 0 && (
            <span className="countdown" id={waitId}>
              Try again in {waitLeft} s
            </span>
          )}
        </div>
      </form>
    </Dialog>
  );
}
