/** Read-only reports that need the key: snapshot lists and verification. */
import { toEnvelockError } from '../../../shared/errors.js';
import type { SnapshotSummary, VerifyReport } from '../../../shared/lockers.js';
import type { Credential } from '../locker/keyslots.js';
import { verifyRepository } from '../locker/verify.js';
import type { EngineContext } from './context.js';
import { snapshotSummary } from './lookup.js';
import { markSeen, openChecked, withLocker, type Opened } from './opened.js';

export async function listLockerSnapshots(ctx: EngineContext, ref: string, credential: Credential): Promise<SnapshotSummary[]> {
  return withLocker(ctx, ref, async (record) => {
    const opened = await openChecked(record, credential);
    await markSeen(ctx.configDir, record, opened.repo, opened.latest);
    return opened.snapshots.map(snapshotSummary);
  });
}

export async function verifyLocker(ctx: EngineContext, ref: string, credential: Credential): Promise<VerifyReport> {
  return withLocker(ctx, ref, async (record) => {
    let opened: Opened;
    try {
      opened = await openChecked(record, credential);
    } catch (error) {
      const e = toEnvelockError(error);
      if (e.code === 'WRONG_PASSPHRASE' || e.code === 'WRONG_RECOVERY_KEY' || e.code === 'INVALID_RECOVERY_KEY') throw e;
      return { ok: false, problems: [e.toInfo()], unreferenced: [], counts: { packs: 0, indexes: 0, manifests: 0, chunks: 0, bytes: 0 }, latest: null };
    }
    return verifyRepository(opened.repo, ctx);
  });
}
