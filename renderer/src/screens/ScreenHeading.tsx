import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A screen's one h1. It takes focus when the screen appears, so keyboard and
 * screen-reader users start at the top of the new screen instead of on a
 * button that no longer exists.
 */
export function ScreenHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
