/**
 * A labelled text field: the visible <label> is the accessible name the specs
 * use ("Folder to lock", "Passphrase" …), with an optional hint tied to the
 * input by aria-describedby.
 */
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'>;

export interface FieldProps extends InputProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ReactNode;
  /** Something shown next to the input, e.g. a Browse… button. */
  after?: ReactNode;
  describedBy?: string | undefined;
}

export function Field({ label, value, onValue, hint, after, describedBy, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const described = [hint === undefined ? undefined : hintId, describedBy].filter((part) => part !== undefined).join(' ');
  return (
    <div className={className === undefined ? 'field' : `field ${className}`}>
      <label htmlFor={id}>{label}</label>
      <div className="field-row">
        <input
          id={id}
          value={value}
          onChange={(event) => onValue(event.target.value)}
          aria-describedby={described === '' ? undefined : described}
          {...input}
        />
        {after}
      </div>
      {hint !== undefined && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
