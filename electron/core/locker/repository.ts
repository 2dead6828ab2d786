/**
 * An opened locker store: its config, its keys (after a credential unlocked a
 * keyslot) and readers for indexes and manifests. Creating a locker writes the
 * config and the first keyslots object.
 */
import { randomBytes } from 'node:crypto';
import { EnvelockError } from '../../../shared/errors.js';
import type { KdfParams } from '../crypto/kdf.js';
import { deriveLockerKeys, keyCommitment, LMK_BYTES, LOCKER_ID_BYTES, type LockerKeys } from '../crypto/keys.js';
import { formatRecoveryKey, generateRecoveryKey } from '../crypto/recovery-key.js';
import { idOf, indexName, manifestName, packName, type ObjectStore } from '../store/object-store.js';
import { CONFIG_NAME, decodeConfig, encodeConfig, type LockerConfig } from './config-object.js';
import { decodeIndex, encodeIndex, type BlobLocation, type PackEntry } from './index-object.js';
import {
  decodeKeyslots, encodeKeyslots, KEYSLOTS_NAME, makePassphraseSlot, makeRecoverySlot, unlockKeyslots,
  type Credential, type Keyslot, type ParsedKeyslots,
} from './keyslots.js';
import { decodeManifest, encodeManifest, type Manifest } from './manifest.js';
import { ObjectKind } from './object-header.js';
import { objectName, openObject, sealObject } from './sealed-object.js';

export interface Repository {
  readonly store: ObjectStore;
  readonly config: LockerConfig;
  readonly lockerId: string;
  readonly keys: LockerKeys;
  readonly lmk: Buffer;
  readonly keyslots: ParsedKeyslots;
}

export interface Snapshot {
  /** The manifest's object id (64 hex). */
  readonly id: string;
  readonly manifest: Manifest;
}

export interface ChunkLocation extends BlobLocation {
  /** The index object that lists this chunk. */
  readonly index: string;
}

export async function createRepository(store: ObjectStore, passphrase: string, kdf: KdfParams): Promise<{ repo: Repository; recoveryKey: string }> {
  if (await store.exists(CONFIG_NAME)) {
    throw new EnvelockError('LOCKER_EXISTS', `${store.location} already holds a locker.`, { subject: store.location });
  }
  const lmk = randomBytes(LMK_BYTES);
  const lockerIdBytes = randomBytes(LOCKER_ID_BYTES);
  const config: LockerConfig = { lockerId: lockerIdBytes, commitment: keyCommitment(lmk, lockerIdBytes) };
  const keys = deriveLockerKeys(lmk, lockerIdBytes);
  const recovery = generateRecoveryKey();
  const slots: Keyslot[] = [await makePassphraseSlot('passphrase-1', passphrase, kdf, lmk, lockerIdBytes), makeRecoverySlot('recovery-1', recovery, lmk, lockerIdBytes)];
  const keyslotBytes = encodeKeyslots({ generation: 1, slots }, lockerIdBytes, keys.keyslotsMacKey);
  // Keyslots first: a config without keyslots would be a locker nobody can open.
  await store.put(KEYSLOTS_NAME, [keyslotBytes]);
  await store.put(CONFIG_NAME, [encodeConfig(config)]);
  const repo: Repository = { store, config, lockerId: lockerIdBytes.toString('hex'), keys, lmk, keyslots: decodeKeyslots(keyslotBytes) };
  return { repo, recoveryKey: formatRecoveryKey(recovery) };
}

export async function readConfig(store: ObjectStore): Promise<LockerConfig> {
  try {
    return decodeConfig(await store.get(CONFIG_NAME));
  } catch (error) {
    if (error instanceof EnvelockError && error.code === 'OBJECT_MISSING') {
      throw new EnvelockError('NOT_A_LOCKER', `${store.location} holds no Envelock locker (no config object).`, { subject: store.location });
    }
    throw error;
  }
}

/** `expectedLockerId` (from the registry) is checked before the keyslots, so a damaged config is not blamed on them. */
export async function openRepository(store: ObjectStore, credential: Credential, expectedLockerId?: string): Promise<Repository> {
  const config = await readConfig(store);
  if (expectedLockerId !== undefined && config.lockerId.toString('hex') !== expectedLockerId) {
    throw new EnvelockError(
      'OBJECT_CORRUPTED',
      `Store object ${CONFIG_NAME} in ${store.location} names locker ${config.lockerId.toString('hex')}, not ${expectedLockerId}: it was damaged, or the store holds another locker.`,
      { subject: CONFIG_NAME },
    );
  }
  const keyslots = decodeKeyslots(await store.get(KEYSLOTS_NAME));
  const lmk = await unlockKeyslots(keyslots, config, credential);
  return { store, config, lockerId: config.lockerId.toString('hex'), keys: deriveLockerKeys(lmk, config.lockerId), lmk, keyslots };
}

/** Rewrites only the keyslots object, one generation up. */
export async function writeKeyslots(repo: Repository, slots: readonly Keyslot[]): Promise<Repository> {
  const bytes = encodeKeyslots({ generation: repo.keyslots.generation + 1, slots }, repo.config.lockerId, repo.keys.keyslotsMacKey);
  await repo.store.put(KEYSLOTS_NAME, [bytes]);
  return { ...repo, keyslots: decodeKeyslots(bytes) };
}

export async function writeIndex(repo: Repository, packs: readonly PackEntry[]): Promise<string> {
  const bytes = sealObject(repo.keys.objectKey, ObjectKind.index, encodeIndex(packs));
  const id = objectName(bytes);
  await repo.store.put(indexName(id), [bytes]);
  return id;
}

export async function readIndex(repo: Repository, id: string): Promise<PackEntry[]> {
  const subject = indexName(id);
  return decodeIndex(openObject(repo.keys.objectKey, ObjectKind.index, await repo.store.get(subject), subject, id), subject);
}

/** Where each chunk lives, from the given index objects (all of the store's when omitted). */
export async function loadChunkLocations(repo: Repository, indexIds?: readonly string[]): Promise<Map<string, ChunkLocation>> {
  const ids = indexIds ?? (await repo.store.list('indexes/')).map(idOf);
  const locations = new Map<string, ChunkLocation>();
  for (const index of ids) {
    for (const pack of await readIndex(repo, index)) {
      for (const blob of pack.blobs) {
        if (!locations.has(blob.id)) locations.set(blob.id, { pack: packName(pack.pack), offset: blob.offset, length: blob.length, index });
      }
    }
  }
  return locations;
}

export async function writeManifest(repo: Repository, manifest: Manifest): Promise<string> {
  const bytes = sealObject(repo.keys.objectKey, ObjectKind.manifest, encodeManifest(manifest));
  const id = objectName(bytes);
  await repo.store.put(manifestName(id), [bytes]);
  return id;
}

export async function readManifest(repo: Repository, id: string): Promise<Manifest> {
  const subject = manifestName(id);
  const manifest = decodeManifest(openObject(repo.keys.objectKey, ObjectKind.manifest, await repo.store.get(subject), subject, id), subject);
  if (manifest.locker !== repo.lockerId) throw new EnvelockError('OBJECT_CORRUPTED', `Store object ${subject} belongs to another locker.`, { subject });
  return manifest;
}

/** Every snapshot in the store, oldest first (by sequence number, then id). */
export async function listSnapshots(repo: Repository): Promise<Snapshot[]> {
  const ids = (await repo.store.list('manifests/')).map(idOf);
  const snapshots: Snapshot[] = [];
  for (const id of ids) snapshots.push({ id, manifest: await readManifest(repo, id) });
  return snapshots.sort((a, b) => a.manifest.seq - b.manifest.seq || (a.id < b.id ? -1 : 1));
}
