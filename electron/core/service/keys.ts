/** Changing the ways in: passphrase and recovery key. Only the keyslots object is rewritten. */
import { randomBytes } from 'node:crypto';
import { EnvelockError } from '../../../shared/errors.js';
import { calibrateKdf, DEFAULT_TARGET_MS } from '../crypto/kdf.js';
import { formatRecoveryKey, generateRecoveryKey } from '../crypto/recovery-key.js';
import { makePassphraseSlot, makeRecoverySlot, type Credential } from '../locker/keyslots.js';
import { writeKeyslots } from '../locker/repository.js';
import type { EngineContext } from './context.js';
import { checkPassphraseStrength } from './init.js';
import { markSeen, openChecked, withLocker } from './opened.js';

export async function changePassphrase(ctx: EngineContext, ref: string, credential: Credential, newPassphrase: string): Promise<{ keyslotGeneration: number }> {
  checkPassphraseStrength(newPassphrase);
  return withLocker(ctx, ref, async (record) => {
    const { repo } = await openChecked(record, credential);
    const oldSlots = repo.keyslots.slots;
    const template = oldSlots.find((s) => s.type === 'passphrase');
    const kdf = template?.type === 'passphrase' ? { ...template.kdf, salt: randomBytes(16) } : await calibrateKdf(ctx.kdfTargetMs ?? DEFAULT_TARGET_MS, randomBytes(16));
    const slot = await makePassphraseSlot(`passphrase-${repo.keyslots.generation + 1}`, newPassphrase, kdf, repo.lmk, repo.config.lockerId);
    const next = await writeKeyslots(repo, [slot, ...oldSlots.filter((s) => s.type !== 'passphrase')]);
    await markSeen(ctx.configDir, record, next, undefined);
    return { keyslotGeneration: next.keyslots.generation };
  });
}

/** Adds a recovery key, replacing any earlier one; returns the new key to show once. */
export async function addRecoveryKey(ctx: EngineContext, ref: string, credential: Credential): Promise<{ recoveryKey: string; keyslotGeneration: number }> {
  return withLocker(ctx, ref, async (record) => {
    const { repo } = await openChecked(record, credential);
    const key = generateRecoveryKey();
    const slot = makeRecoverySlot(`recovery-${repo.keyslots.generation + 1}`, key, repo.lmk, repo.config.lockerId);
    const next = await writeKeyslots(repo, [...repo.keyslots.slots.filter((s) => s.type !== 'recovery'), slot]);
    await markSeen(ctx.configDir, record, next, undefined);
    return { recoveryKey: formatRecoveryKey(key), keyslotGeneration: next.keyslots.generation };
  });
}

export async function removeRecoveryKey(ctx: EngineContext, ref: string, credential: Credential): Promise<{ keyslotGeneration: number; removed: number }> {
  return withLocker(ctx, ref, async (record) => {
    const { repo } = await openChecked(record, credential);
    const remaining = repo.keyslots.slots.filter((s) => s.type !== 'recovery');
    const removed = repo.keyslots.slots.length - remaining.length;
    if (removed === 0) return { keyslotGeneration: repo.keyslots.generation, removed };
    if (remaining.length === 0) throw new EnvelockError('LAST_KEYSLOT', 'The recovery key is the only way into this locker; set a passphrase first.');
    const next = await writeKeyslots(repo, remaining);
    await markSeen(ctx.configDir, record, next, undefined);
    return { keyslotGeneration: next.keyslots.generation, removed };
  });
}
