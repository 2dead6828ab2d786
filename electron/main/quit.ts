/**
 * Quitting locks first. before-quit is held back while every remembered locker
 * is locked; lockers this session cannot lock (no passphrase known) or a lock
 * that fails are shown to the user, who may quit anyway or stay.
 */
import type { App } from 'electron';

export interface QuitDeps {
  app: Pick<App, 'on' | 'exit'>;
  lockAllRemembered: () => Promise<{ locked: string[]; needPassphrase: string[] }>;
  /** Brings the window up so the question has a parent. */
  showWindow: () => void;
  /** Asks the user; true = quit anyway. */
  confirmQuit: (problem: QuitProblem) => Promise<boolean>;
  /** Last cleanup before app.exit (which skips will-quit). */
  beforeExit?: () => void;
}

export type QuitProblem = { kind: 'need-passphrase'; lockers: string[] } | { kind: 'lock-failed'; message: string };

/** What to tell the user when quitting leaves lockers open. */
export function describeQuitProblem(problem: QuitProblem): { message: string; detail: string } {
  if (problem.kind === 'need-passphrase') {
    return {
      message: problem.lockers.length === 1 ? 'One locker stays unlocked' : `${problem.lockers.length} lockers stay unlocked`,
      detail:
        `Envelock cannot lock these without their passphrase, because they were not unlocked in this session:\n\n${problem.lockers.map((name) => `• ${name}`).join('\n')}\n\n` +
        'Their files stay readable in their home folders. Cancel to lock them first, or quit anyway.',
    };
  }
  return {
    message: 'Locking before quit failed',
    detail: `${problem.message}\n\nSome lockers may stay unlocked. Cancel to fix this and lock again, or quit anyway.`,
  };
}

export function installQuitGuard(deps: QuitDeps): void {
  let inProgress = false;
  deps.app.on('before-quit', (event) => {
    event.preventDefault();
    if (inProgress) return;
    inProgress = true;
    void (async () => {
      let problem: QuitProblem | null = null;
      try {
        const result = await deps.lockAllRemembered();
        if (result.needPassphrase.length > 0) problem = { kind: 'need-passphrase', lockers: result.needPassphrase };
      } catch (error) {
        problem = { kind: 'lock-failed', message: error instanceof Error ? error.message : String(error) };
      }
      if (problem !== null) {
        deps.showWindow();
        const quitAnyway = await deps.confirmQuit(problem).catch(() => false);
        if (!quitAnyway) {
          inProgress = false;
          return;
        }
      }
      try {
        deps.beforeExit?.();
      } finally {
        deps.app.exit(0);
      }
    })();
  });
}
