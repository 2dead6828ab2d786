/** Settings: auto-lock after idle minutes, and how slow new keyslots make guessing. */
import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../shared/errors.js';
import { KDF_STRENGTHS, type KdfStrength } from '../../../shared/ipc/contract.js';
import { call, errorInfo } from '../api.js';
import { Button } from '../components/Button.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Field } from '../components/Field.js';
import { useAnnounce } from '../components/Messages.js';
import { ScreenHeading } from './ScreenHeading.js';

/** What one passphrase check takes with each strength (main's KDF_TARGET_MS, in words). */
export const KDF_SECONDS: Record<KdfStrength, string> = { standard: '0.6 s', strong: '1 s', maximum: '1.5 s' };

const STRENGTH_NAMES: Record<KdfStrength, string> = { standard: 'Standard', strong: 'Strong', maximum: 'Maximum' };

const MAX_MINUTES = 24 * 60;

export function SettingsScreen() {
  const announce = useAnnounce();
  const [minutes, setMinutes] = useState('');
  const [strength, setStrength] = useState<KdfStrength>('standard');
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | Pick<ErrorInfo, 'message' | 'fix'> | null>(null);
  const [about, setAbout] = useState<{ version: string; platform: string; configDir: string } | null>(null);

  useEffect(() => {
    let live = true;
    call('getSettings', {})
      .then((settings) => {
        if (!live) return;
        setMinutes(String(settings.autoLockMinutes));
        setStrength(settings.kdfStrength);
        setLoaded(true);
      })
      .catch((failure: unknown) => live && setError(errorInfo(failure)));
    call('getAppInfo', {})
      .then((info) => live && setAbout(info))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const autoLockMinutes = Number(minutes.trim());
    if (minutes.trim() === '' || !Number.isInteger(autoLockMinutes) || autoLockMinutes < 0 || autoLockMinutes > MAX_MINUTES) {
      setError({ message: `Auto-lock needs a whole number of minutes from 0 to ${MAX_MINUTES}.`, fix: 'Type 0 to never lock automatically.' });
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const saved = await call('setSettings', { autoLockMinutes, kdfStrength: strength });
      setMinutes(String(saved.autoLockMinutes));
      setStrength(saved.kdfStrength);
      announce('Settings saved.');
    } catch (failure) {
      setError(errorInfo(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ScreenHeading>Settings</ScreenHeading>
      <form className="card form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <Field
          label="Auto-lock after (minutes)"
          value={minutes}
          onValue={setMinutes}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_MINUTES}
          step={1}
          className="field-narrow"
          hint="Locks every unlocked locker after this many minutes without use. 0 means never."
          disabled={!loaded || busy}
        />
        <fieldset className="radio-group" role="radiogroup" aria-label="Key strength for new lockers" disabled={!loaded || busy}>
          <legend>Key strength for new lockers</legend>
          {KDF_STRENGTHS.map((value) => (
            <label key={value} className="radio">
              <input type="radio" name="kdf-strength" value={value} checked={strength === value} onChange={() => setStrength(value)} />
              {STRENGTH_NAMES[value]} (about {KDF_SECONDS[value]})
            </label>
          ))}
          <p className="hint">
            How long this computer works on each passphrase check: the longer, the slower guessing is. It applies to lockers
            created and passphrases changed from now on.
          </p>
        </fieldset>
        {error !== null && <ErrorAlert error={error} />}
        <div className="actions">
          <Button type="submit" variant="primary" busy={busy} disabled={!loaded}>
            Save settings
          </Button>
        </div>
      </form>
      {about !== null && (
        <p className="muted about">
          Envelock {about.version} on {about.platform}. Settings and the locker list are kept in{' '}
          <span className="path" title={about.configDir}>
            {about.configDir}
          </span>
          .
        </p>
      )}
    </>
  );
}
