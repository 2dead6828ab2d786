/**
 * A modal dialog: role="dialog" with aria-modal, labelled by its title, focus
 * kept inside while it is open, Escape closes it, and focus goes back to what
 * was focused before (usually the button that opened it).
 *
 * It renders into document.body and makes the app frame `inert`, so neither the
 * mouse nor Tab can reach what is behind it. The Messages region stays outside
 * the frame, so results are still announced while a dialog is open.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export const APP_FRAME_ID = 'app-frame';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The open dialogs, newest last: the frame is inert while any is open, and Escape closes only the newest. */
const openDialogs: object[] = [];

function setFrameInert(inert: boolean): void {
  const frame = document.getElementById(APP_FRAME_ID);
  if (frame !== null) frame.inert = inert;
}

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('inert') && el.offsetParent !== null);
}

export interface DialogProps {
  title: string;
  /** Called on Escape; omit (undefined) while closing is unsafe because an operation runs. */
  onClose?: (() => void) | undefined;
  children: ReactNode;
  /** Wider layout for dialogs that hold tables or long paths. */
  wide?: boolean;
}

export function Dialog({ title, onClose, children, wide = false }: DialogProps) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const latestOnClose = useRef(onClose);
  useEffect(() => {
    latestOnClose.current = onClose;
  });

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const self = {};
    openDialogs.push(self);
    setFrameInert(true);
    // On the document, not the panel: Escape must work even when focus slipped out to the page body.
    const onEscape = (event: globalThis.KeyboardEvent): void => {
      if (event.key !== 'Escape' || openDialogs[openDialogs.length - 1] !== self) return;
      event.preventDefault();
      latestOnClose.current?.();
    };
    document.addEventListener('keydown', onEscape);
    const root = panel.current;
    if (root !== null) {
      // First field (or the element marked data-autofocus), else the first button.
      const preferred = root.querySelector<HTMLElement>('[data-autofocus]') ?? root.querySelector<HTMLElement>('input:not([disabled]), textarea:not([disabled])');
      (preferred ?? focusables(root)[0] ?? root).focus();
    }
    return () => {
      document.removeEventListener('keydown', onEscape);
      openDialogs.splice(openDialogs.indexOf(self), 1);
      if (openDialogs.length === 0) setFrameInert(false);
      // After the re-render that closed the dialog (the opener may change or vanish in it);
      // a vanished opener leaves focus on the page, which is harmless.
      setTimeout(() => {
        if (opener !== null && opener.isConnected && panel.current === null) opener.focus();
      }, 0);
    };
  }, []);

  /** Keeps Tab and Shift+Tab cycling inside the dialog. */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key !== 'Tab' || panel.current === null) return;
    const items = focusables(panel.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (first === undefined || last === undefined) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && (document.activeElement === first || !panel.current.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return createPortal(
    <div className="dialog-backdrop">
      <div
        ref={panel}
        className={wide ? 'dialog dialog-wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
