/**
 * Auto-lock: after the configured idle minutes, and whenever the screen locks or
 * the computer suspends, every locker this session can lock is locked.
 */
import type { PowerMonitor } from 'electron';

export const AUTO_LOCK_POLL_MS = 30_000;

export function shouldAutoLock(idleSeconds: number, autoLockMinutes: number): boolean {
  if (!Number.isFinite(autoLockMinutes) || autoLockMinutes <= 0) return false;
  return idleSeconds >= autoLockMinutes * 60;
}

export interface AutoLockDeps {
  powerMonitor: Pick<PowerMonitor, 'getSystemIdleTime' | 'on'>;
  /** The current setting (0 = never). */
  autoLockMinutes: () => Promise<number>;
  lockAll: (reason: string) => Promise<void>;
  pollMs?: number;
}

/** Starts the idle timer and power listeners; returns a stop function for the timer. */
export function startAutoLock(deps: AutoLockDeps): () => void {
  let running = false;
  // Lock once per idle stretch: re-arm only after the user was active again.
  let armed = true;
  const lock = async (reason: string): Promise<void> => {
    if (running) return;
    running = true;
    try {
      await deps.lockAll(reason);
    } catch {
      // The next tick or power event tries again; errors reach the UI via lockersChanged/listLockers.
    } finally {
      running = false;
    }
  };
  const tick = async (): Promise<void> => {
    const minutes = await deps.autoLockMinutes().catch(() => 0);
    const idle = deps.powerMonitor.getSystemIdleTime();
    if (!shouldAutoLock(idle, minutes)) {
      armed = true;
      return;
    }
    if (!armed) return;
    armed = false;
    await lock('idle');
  };
  deps.powerMonitor.on('lock-screen', () => void lock('lock-screen'));
  deps.powerMonitor.on('suspend', () => void lock('suspend'));
  const timer = setInterval(() => void tick(), deps.pollMs ?? AUTO_LOCK_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
