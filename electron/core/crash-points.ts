/**
 * Test hook for crash-safety tests: ENVELOCK_CRASH_AFTER_WRITES=N kills this
 * process with SIGKILL at the N-th durable step (an object written, a file
 * removed, the registry saved). Unset, it costs one comparison per step.
 */
const limit = Number.parseInt(process.env.ENVELOCK_CRASH_AFTER_WRITES ?? '', 10);
let steps = 0;

export function durableStep(): void {
  if (Number.isNaN(limit)) return;
  steps += 1;
  if (steps >= limit) process.kill(process.pid, 'SIGKILL');
}
