/**
 * The locker list: loaded at start and again whenever main says it changed
 * (`lockersChanged`: created, locked, unlocked, forgotten …), so every screen
 * shows the same, current state.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors.js';
import type { LockerView } from '../../shared/ipc/contract.js';
import { call, errorInfo, useEvent } from './api.js';

export interface LockersState {
  /** null until the first answer arrives. */
  lockers: LockerView[] | null;
  error: ErrorInfo | null;
  refresh: () => Promise<void>;
  /** Takes a fresher view of one locker (an operation's result) without waiting for the list. */
  update: (locker: LockerView) => void;
}

export function useLockers(): LockersState {
  const [lockers, setLockers] = useState<LockerView[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // Answers may arrive out of order when refreshes overlap: only the newest request's answer counts.
  const latest = useRef(0);

  const refresh = useCallback(async () => {
    const request = ++latest.current;
    try {
      const list = await call('listLockers', {});
      if (request !== latest.current) return;
      setLockers(list);
      setError(null);
    } catch (failure) {
      if (request !== latest.current) return;
      setError(errorInfo(failure));
    }
  }, []);

  const update = useCallback((locker: LockerView) => {
    setLockers((old) => old?.map((item) => (item.id === locker.id ? locker : item)) ?? old);
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEvent('lockersChanged', () => {
    void refresh();
  });

  return { lockers, error, refresh, update };
}
