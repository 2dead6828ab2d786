/**
 * Buttons in three weights (primary, secondary, danger) plus a link style.
 *
 * A disabled or busy button is marked aria-disabled rather than given the
 * `disabled` attribute: it then keeps keyboard focus while its operation runs
 * (a truly disabled button drops focus to the page, and the dialog that closes
 * afterwards has nowhere to return it), and it stays discoverable with Tab.
 * Clicks on it do nothing, including form submission. While `busy` it shows a
 * spinner but keeps its name, so assistive technology and the specs find the
 * same button throughout.
 */
import type { ButtonHTMLAttributes, MouseEvent } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  busy?: boolean;
}

export function Button({ variant = 'secondary', busy = false, disabled = false, className, children, type = 'button', onClick, ...rest }: ButtonProps) {
  const classes = ['button', `button-${variant}`, className].filter(Boolean).join(' ');
  const inactive = disabled || busy;
  function click(event: MouseEvent<HTMLButtonElement>): void {
    if (inactive) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  }
  return (
    <button type={type} className={classes} aria-disabled={inactive || undefined} aria-busy={busy || undefined} onClick={click} {...rest}>
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
