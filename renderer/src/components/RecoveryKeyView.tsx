/**
 * "Save your recovery key": shown once after create and after New recovery
 * key. The key is never shown again, so the user must confirm they saved it
 * (Copy, Save to file…, Print) before Done.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { KdfDescription } from '../../../shared/ipc/contract.js';
import { call } from '../api.js';
import { count, seconds } from '../format.js';
import { Button } from './Button.js';
import { ErrorAlert } from './ErrorAlert.js';

export interface RecoveryKeyViewProps {
  lockerName: string;
  recoveryKey: string;
  /** Known after create; New recovery key does not report it. */
  kdf?: KdfDescription | undefined;
  /** Said above the key, e.g. that the old key stopped working. */
  note?: string;
  onDone: () => void;
}

export function describeKdf(kdf: KdfDescription): string {
  return `Argon2id, ${count(kdf.memoryMiB)} MiB of memory, ${kdf.iterations} ${kdf.iterations === 1 ? 'pass' : 'passes'}, about ${seconds(kdf.targetMilliseconds)} per try`;
}

/** A file name that is safe on every system: the locker's name with anything odd replaced. */
function fileName(lockerName: string): string {
  const safe = lockerName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `envelock-recovery-key-${safe === '' ? 'locker' : safe}.txt`;
}

export function RecoveryKeyView({ lockerName, recoveryKey, kdf, note, onDone }: RecoveryKeyViewProps) {
  const [saved, setSaved] = useState(false);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const heading = useRef<HTMLHeadingElement>(null);
  const instructionsId = useId();

  useEffect(() => heading.current?.focus(), []);

  async function onCopy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(recoveryKey);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  function onSave(): void {
    const text = `Envelock recovery key for the locker "${lockerName}"\n\n${recoveryKey}\n\nKeep this somewhere safe, away from the computer. It opens the locker if you forget the passphrase.\n`;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName(lockerName);
    document.body.append(link);
    link.click();
    link.remove();
    // The download has started by now; the URL is not needed after this tick.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <div className="recovery">
      <h1 ref={heading} tabIndex={-1}>
        Save your recovery key
      </h1>
      <div className="card print-area">
        <p className="print-only">Envelock recovery key for the locker “{lockerName}”</p>
        {note !== undefined && <p>{note}</p>}
        <p id={instructionsId}>
          This key opens <strong>{lockerName}</strong> if you forget its passphrase. Write it down or save it somewhere safe, away
          from this computer. It will not be shown again.
        </p>
        <div
          className="recovery-key"
          data-testid="recovery-key"
          role="textbox"
          aria-readonly="true"
          aria-label="Recovery key"
          aria-describedby={instructionsId}
          tabIndex={0}
        >
          {recoveryKey}
        </div>
        {kdf !== undefined && <p className="hint">Key protection: {describeKdf(kdf)}.</p>}
      </div>
      <div className="actions no-print">
        <Button onClick={() => void onCopy()}>Copy</Button>
        <Button onClick={onSave}>Save to file…</Button>
        <Button onClick={() => window.print()}>Print</Button>
        <span className="inline-ok" role="status">{copy === 'copied' ? 'Copied' : ''}</span>
      </div>
      {copy === 'failed' && (
        <ErrorAlert
          error={{
            message: 'The key could not be copied to the clipboard.',
            fix: 'Select the key above and copy it by hand (Ctrl+C, or ⌘C on a Mac).',
          }}
        />
      )}
      <div className="no-print">
        <label className="checkbox">
          <input type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} />I have saved my recovery key
          somewhere safe
        </label>
        <p>
          <Button variant="link" onClick={() => void call('openDocs', { topic: 'recovery-key' }).catch(() => undefined)}>
            How the recovery key works
          </Button>
        </p>
        <div className="actions">
          <Button variant="primary" disabled={!saved} onClick={onDone}>
            Done
          </Button>
        </div>
      </div>
    </div>
  );
}
