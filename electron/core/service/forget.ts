/** Removing a locker from this computer's list: the registry entry only, never data. */
import { EnvelockError } from '../../../shared/errors.js';
import type { LockerSummary } from '../../../shared/lockers.js';
import type { EngineContext } from './context.js';
import { summarize } from './lookup.js';
import { withLocker } from './opened.js';
import { updateRegistry } from './registry.js';

/**
 * Forgets a locker. The home folder and the store stay exactly as they are; the
 * caller must pass the locker's name as typed confirmation, because a locked
 * locker that is forgotten can only be reached again through its store folder.
 */
export async function forgetLocker(ctx: EngineContext, ref: string, confirmName: string): Promise<LockerSummary> {
  return withLocker(ctx, ref, async (record) => {
    if (confirmName !== record.name) {
      throw new EnvelockError('USAGE', `The confirmation ${JSON.stringify(confirmName)} is not the locker's name.`, { fix: `Type the locker's name, ${JSON.stringify(record.name)}, exactly to confirm.` });
    }
    await updateRegistry(ctx.configDir, (all) => all.filter((l) => l.id !== record.id));
    return summarize(record);
  });
}
