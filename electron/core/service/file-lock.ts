/**
 * Inter-process locks as O_EXCL files holding the owner's pid. A lock whose
 * owner is dead (e.g. killed mid-lock) is stale and taken over.
 */
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvelockError, toEnvelockError } from '../../../shared/errors.js';

function ownerAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function tryAcquire(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw toEnvelockError(error);
  }
  if (ownerAlive(path)) return false;
  rmSync(path, { force: true });
  return tryAcquire(path);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs fn holding the lock at path; waits up to waitMs for another holder. */
export async function withFileLock<T>(path: string, what: string, waitMs: number, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + waitMs;
  while (!tryAcquire(path)) {
    if (Date.now() >= deadline) throw new EnvelockError('LOCKER_BUSY', `${what} is in use by another Envelock process.`, { subject: what });
    await sleep(50);
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
