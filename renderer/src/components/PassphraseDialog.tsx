/**
 * Asks for a locker's passphrase (or its recovery key) and runs the action
 * with it. The dialog stays open while the action runs and on a wrong
 * credential (field cleared, error shown); after repeated failures main says
 * how long to wait, and the action button stays disabled for that long.
 * Any other failure closes the dialog and is reported by the caller.
 */
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorInfo } from '../../../shared/errors.js';
import { errorInfo, hasCode } from '../api.js';
import { CREDENTIAL_ERRORS, waitSeconds, type Credential } from '../credential.js';
import { Button } from './Button.js';
import { Dialog } from './Dialog.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Field } from './Field.js';
import { useCountdown } from './useCountdown.js';

export interface PassphraseDialogProps {
  /** e.g. "Unlock Projects". */
  title: string;
  /** The action button, e.g. "Unlock". */
  action: string;
  /** Runs the action with the credential; throws a UiError when it fails. */
  attempt: (credential: Credential) => Promise<void>;
  onCancel: () => void;
  /** A failure that is not about the credential: the caller closes the dialog and shows it. */
  onFailed: (error: unknown) => void;
  /** Shown while the action runs (a ProgressPanel). */
  progress?: ReactNode;
  /** A sentence above the field, e.g. what the action does. */
  intro?: ReactNode;
}

export function PassphraseDialog({ title, action, attempt, onCancel, onFailed, progress, intro }: PassphraseDialogProps) {
  const [useRecoveryKey, setUseRecoveryKey] = useState(false);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [waitUntil, setWaitUntil] = useState(0);
  const waitLeft = useCountdown(waitUntil);
  const form = useRef<HTMLFormElement>(null);

  function focusField(): void {
    // After a re-render: the field may have just been swapped or re-enabled.
    requestAnimationFrame(() => form.current?.querySelector<HTMLInputElement>('input')?.focus());
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy || waitLeft > 0 || value === '') return;
    setBusy(true);
    setError(null);
    const credential: Credential = useRecoveryKey ? { recoveryKey: value.trim() } : { passphrase: value };
    try {
      await attempt(credential);
    } catch (failure) {
      setBusy(false);
      if (hasCode(failure, ...CREDENTIAL_ERRORS)) {
        setError(errorInfo(failure));
        setValue('');
        if (failure.code === 'TOO_MANY_ATTEMPTS') setWaitUntil(Date.now() + waitSeconds(failure.info.message) * 1000);
        focusField();
        return;
      }
      onFailed(failure);
      return;
    }
    // Success: the caller closes the dialog (it unmounts), nothing more to do here.
  }

  function toggle(): void {
    setUseRecoveryKey((old) => !old);
    setValue('');
    setError(null);
    focusField();
  }

  const waitId = useId();
  return (
    <Dialog title={title} onClose={busy ? undefined : onCancel}>
      <form ref={form} onSubmit={(event) => void onSubmit(event)} noValidate>
        {intro}
        {useRecoveryKey ? (
          <Field
            key="recovery"
            label="Recovery key"
            value={value}
            onValue={setValue}
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="ELK-XXXX-XXXX-…"
            disabled={busy}
            className="field-wide"
          />
        ) : (
          <Field key="passphrase" label="Passphrase" value={value} onValue={setValue} type="password" autoComplete="current-password" disabled={busy} />
        )}
        <Button variant="link" onClick={toggle} disabled={busy}>
          {useRecoveryKey ? 'Use the passphrase instead' : 'Use the recovery key instead'}
        </Button>
        {error !== null && <ErrorAlert error={error} />}
        {busy && progress}
        <div className="actions">
          <Button type="submit" variant="primary" busy={busy} disabled={waitLeft > 0 || value === ''} aria-describedby={waitLeft > 0 ? waitId : undefined}>
            {action}
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
