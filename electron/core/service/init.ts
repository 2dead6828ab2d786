/** Creating a locker: calibrate the KDF, write config and keyslots, register it. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { EnvelockError } from '../../../shared/errors.js';
import type { LockerSummary } from '../../../shared/lockers.js';
import { passphraseStrength } from '../../../shared/passphrase.js';
import { calibrateKdf, DEFAULT_TARGET_MS, type KdfParams } from '../crypto/kdf.js';
import { createRepository } from '../locker/repository.js';
import { LocalStore } from '../store/local-store.js';
import { readRegistry, updateRegistry, type LockerRecord } from './registry.js';
import type { EngineContext } from './context.js';
import { canonical, isInside, summarize } from './lookup.js';

export interface InitOptions {
  readonly folder: string;
  readonly passphrase: string;
  readonly store?: string;
  readonly name?: string;
}

/** Refuses exactly what the UI's strength meter calls too short or weak. */
export function checkPassphraseStrength(passphrase: string): void {
  const strength = passphraseStrength(passphrase);
  if (!strength.acceptable) {
    throw new EnvelockError('WEAK_PASSPHRASE', `The passphrase is ${strength.label}. ${strength.hint}`);
  }
}

export async function initLocker(ctx: EngineContext, options: InitOptions): Promise<{ locker: LockerSummary; recoveryKey: string; kdf: Omit<KdfParams, 'salt'> }> {
  const folder = resolve(options.folder);
  const st = statSync(folder, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory()) throw new EnvelockError('FOLDER_NOT_FOUND', `${folder} is not an existing folder.`, { subject: folder });
  const home = canonical(folder);
  checkPassphraseStrength(options.passphrase);
  const lockers = readRegistry(ctx.configDir);
  const name = options.name ?? basename(home);
  if (name.length === 0 || /[/\\]/.test(name)) throw new EnvelockError('USAGE', `${JSON.stringify(name)} cannot be a locker name: use letters, digits, spaces, dots or dashes.`);
  const clash = lockers.find((l) => l.home === home || isInside(home, l.home) || isInside(l.home, home) || l.name === name);
  if (clash !== undefined) {
    throw new EnvelockError('LOCKER_EXISTS', clash.name === name && clash.home !== home ? `A locker named ${JSON.stringify(name)} already exists.` : `${home} overlaps the home of locker ${JSON.stringify(clash.name)} (${clash.home}).`, { subject: home });
  }
  const store = canonical(options.store ?? join(ctx.configDir, 'stores', `${name}-${randomBytes(4).toString('hex')}`));
  if (isInside(store, home)) throw new EnvelockError('USAGE', `The store ${store} cannot be inside the folder it locks.`, { fix: 'Choose a --store folder outside the home folder (for example in your Dropbox folder).' });
  mkdirSync(store, { recursive: true });
  const kdf = await calibrateKdf(ctx.kdfTargetMs ?? DEFAULT_TARGET_MS, randomBytes(16));
  const { repo, recoveryKey } = await createRepository(new LocalStore(store), options.passphrase, kdf);
  const record: LockerRecord = {
    id: repo.lockerId,
    name,
    home,
    store,
    created: new Date().toISOString(),
    state: 'unlocked',
    seen: { seq: 0, snapshot: null, keyslotGeneration: repo.keyslots.generation },
  };
  await updateRegistry(ctx.configDir, (all) => [...all, record]);
  const { salt: _salt, ...kdfShown } = kdf;
  return { locker: summarize(record), recoveryKey, kdf: kdfShown };
}
