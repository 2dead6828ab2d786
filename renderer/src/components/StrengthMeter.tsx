/**
 * The passphrase strength meter. It uses the engine's own estimate
 * (shared/passphrase.ts), so what it calls weak is exactly what creating a
 * locker or changing a passphrase refuses.
 */
import { passphraseStrength } from '../../../shared/passphrase.js';

export function StrengthMeter({ passphrase, id }: { passphrase: string; id?: string }) {
  const strength = passphraseStrength(passphrase);
  return (
    <div className="strength" id={id}>
      <div
        className={`meter meter-${strength.score}`}
        role="meter"
        aria-label="Passphrase strength"
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={strength.score}
        aria-valuetext={strength.label}
      >
        {[1, 2, 3, 4].map((step) => (
          <span key={step} className={step <= strength.score ? 'meter-step meter-step-on' : 'meter-step'} />
        ))}
      </div>
      <p className="strength-label">
        Strength: <strong>{strength.label}</strong>
      </p>
      {strength.hint !== '' && <p className="hint">{strength.hint}</p>}
    </div>
  );
}
