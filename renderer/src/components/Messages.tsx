/**
 * The polite live region named "Messages" where one-line results appear
 * ("Locked: 12 files and folders removed…"). It is always in the page, so
 * screen readers notice when its text changes; the newest message replaces the
 * previous one.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

type Announce = (message: string) => void;

const MessagesContext = createContext<Announce>(() => undefined);

export function useAnnounce(): Announce {
  return useContext(MessagesContext);
}

export function MessagesProvider({ children }: { children: ReactNode }) {
  // The counter re-keys the text so the same message twice is announced twice.
  const [current, setCurrent] = useState<{ text: string; serial: number }>({ text: '', serial: 0 });
  const announce = useCallback<Announce>((text) => setCurrent((prev) => ({ text, serial: prev.serial + 1 })), []);
  const value = useMemo(() => announce, [announce]);
  return (
    <MessagesContext.Provider value={value}>
      {children}
      <div className="messages" role="status" aria-label="Messages">
        {current.text !== '' && (
          <p key={current.serial} className="message">
            {current.text}
          </p>
        )}
      </div>
    </MessagesContext.Provider>
  );
}
