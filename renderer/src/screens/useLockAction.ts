/**
 * Lock and Unlock, shared by the list and the details screen. Lock first tries
 * the passphrase main remembers from this session; Unlock always asks (main
 * refuses a remembered one for unlocking).
 */
import type { LockerView } from '../../../shared/ipc/contract.js';
import { call } from '../api.js';
import { useAnnounce } from '../components/Messages.js';
import { useOperations } from '../operations.js';

export function useLockAction(onLocker?: (locker: LockerView) => void) {
  const ops = useOperations();
  const announce = useAnnounce();

  async function lock(locker: LockerView): Promise<void> {
    const result = await ops.run(locker, 'lock', 'when-required', (credential) => call('lockLocker', { id: locker.id, ...credential }));
    if (result === undefined) return;
    onLocker?.(result.locker);
    announce(result.message);
  }

  async function unlock(locker: LockerView): Promise<void> {
    const result = await ops.run(locker, 'unlock', 'always', (credential) => call('unlockLocker', { id: locker.id, ...credential }));
    if (result === undefined) return;
    onLocker?.(result.locker);
    announce(result.message);
  }

  return { lock, unlock };
}
