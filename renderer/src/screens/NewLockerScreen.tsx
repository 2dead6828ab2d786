/**
 * New locker: choose a folder, a name and a passphrase; Create locker seals
 * the folder into a new store; then the recovery key is shown, once.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../shared/errors.js';
import type { KdfDescription, KdfStrength } from '../../../shared/ipc/contract.js';
import { passphraseStrength } from '../../../shared/passphrase.js';
import { call, errorInfo } from '../api.js';
import { Button } from '../components/Button.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Field } from '../components/Field.js';
import { FolderField } from '../components/FolderField.js';
import { useAnnounce } from '../components/Messages.js';
import { ProgressPanel } from '../components/ProgressPanel.js';
import { RecoveryKeyView } from '../components/RecoveryKeyView.js';
import { StrengthMeter } from '../components/StrengthMeter.js';
import { ScreenHeading } from './ScreenHeading.js';
import { KDF_SECONDS } from './SettingsScreen.js';

/** The folder's own name: what a locker is called when no name is given. */
function folderName(path: string): string {
  return path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
}

/** Client-side checks, worded like main's refusals; null when the form may be sent. */
export function checkNewPassphrase(passphrase: string, repeat: string): Pick<ErrorInfo, 'message' | 'fix'> | null {
  const strength = passphraseStrength(passphrase);
  if (!strength.acceptable) return { message: `This passphrase is ${strength.label}.`, fix: strength.hint };
  if (passphrase !== repeat) return { message: 'The passphrases differ.', fix: '' };
  return null;
}

interface Created {
  name: string;
  recoveryKey: string;
  kdf: KdfDescription;
}

export function NewLockerScreen({ onDone }: { onDone: () => void }) {
  const announce = useAnnounce();
  const [folder, setFolder] = useState('');
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [strength, setStrength] = useState<KdfStrength | null>(null);
  const [problem, setProblem] = useState<Pick<ErrorInfo, 'message' | 'fix'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  useEffect(() => {
    let live = true;
    call('getSettings', {})
      .then((settings) => live && setStrength(settings.kdfStrength))
      .catch(() => live && setStrength('standard'));
    return () => {
      live = false;
    };
  }, []);

  const trimmedName = name.trim();
  const shownName = trimmedName !== '' ? trimmedName : folderName(folder.trim());

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const path = folder.trim();
    if (path === '') {
      setProblem({ message: 'Choose the folder to lock.', fix: 'Type its full path, or press Browse… to pick it.' });
      return;
    }
    const refusal = checkNewPassphrase(passphrase, repeat);
    if (refusal !== null) {
      setProblem(refusal);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const result = await call('createLocker', trimmedName === '' ? { folder: path, passphrase } : { folder: path, passphrase, name: trimmedName });
      // The passphrase is not needed in this window any more: main remembers it for this session.
      setPassphrase('');
      setRepeat('');
      setCreated({ name: result.locker.name, recoveryKey: result.recoveryKey, kdf: result.kdf });
      announce(`Created the locker ${result.locker.name}.`);
    } catch (failure) {
      setProblem(errorInfo(failure));
    } finally {
      setBusy(false);
    }
  }

  if (created !== null) {
    return <RecoveryKeyView lockerName={created.name} recoveryKey={created.recoveryKey} kdf={created.kdf} onDone={onDone} />;
  }

  return (
    <>
      <ScreenHeading>New locker</ScreenHeading>
      <form className="card form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <FolderField
          label="Folder to lock"
          value={folder}
          onValue={setFolder}
          purpose="home"
          hint="The folder whose files the locker keeps encrypted while it is locked."
          disabled={busy}
        />
        <Field
          label="Locker name"
          value={name}
          onValue={setName}
          type="text"
          autoComplete="off"
          placeholder={folderName(folder.trim()) || 'Projects'}
          hint="Optional: the folder's name is used when this is empty."
          disabled={busy}
        />
        <Field label="Passphrase" value={passphrase} onValue={setPassphrase} type="password" autoComplete="new-password" disabled={busy} />
        <Field label="Repeat passphrase" value={repeat} onValue={setRepeat} type="password" autoComplete="new-password" disabled={busy} />
        <StrengthMeter passphrase={passphrase} />
        {strength !== null && (
          <p>
            Opening this locker will take about {KDF_SECONDS[strength]} of this computer&apos;s work: that is what makes guessing
            slow.
          </p>
        )}
        {problem !== null && <ErrorAlert error={problem} />}
        {busy && (
          <>
            <p className="busy-line">Creating… measuring this computer&apos;s speed</p>
            <ProgressPanel title={`Creating ${shownName}`} lockerId="" operation="create" />
          </>
        )}
        <div className="actions">
          <Button type="submit" variant="primary" busy={busy}>
            Create locker
          </Button>
          <Button onClick={onDone} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </>
  );
}
