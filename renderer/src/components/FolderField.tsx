/** A folder path field with a Browse… button that opens the native folder dialog. */
import { useState } from 'react';
import { call, errorInfo } from '../api.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import { Button } from './Button.js';
import { ErrorAlert } from './ErrorAlert.js';
import { Field } from './Field.js';

export interface FolderFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  purpose: 'home' | 'restore';
  hint?: string;
  disabled?: boolean;
}

export function FolderField({ label, value, onValue, purpose, hint, disabled = false }: FolderFieldProps) {
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function browse(): Promise<void> {
    setPicking(true);
    setError(null);
    try {
      const picked = await call('pickFolder', { purpose });
      if (picked !== null) onValue(picked);
    } catch (failure) {
      setError(errorInfo(failure));
    } finally {
      setPicking(false);
    }
  }

  return (
    <>
      <Field
        label={label}
        value={value}
        onValue={onValue}
        type="text"
        spellCheck={false}
        autoComplete="off"
        placeholder="/full/path/to/folder"
        disabled={disabled}
        className="field-wide"
        {...(hint === undefined ? {} : { hint })}
        after={
          <Button onClick={() => void browse()} busy={picking} disabled={disabled}>
            Browse…
          </Button>
        }
      />
      {error !== null && <ErrorAlert error={error} />}
    </>
  );
}
