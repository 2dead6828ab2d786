/**
 * The committed format vectors (test/vectors/format-v1.json, written by
 * scripts/make-test-vectors.ts) recomputed from their inputs with the engine's
 * functions, including its real worker, pack writer and store paths. Any change
 * to a construction of format version 1 makes this fail. The committed objects
 * are also put into a real store and opened like any locker's.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcmOpen, gcmSeal, TAG_BYTES, ZERO_NONCE } from '../electron/core/crypto/aead.js';
import { deriveKek, type KdfParams } from '../electron/core/crypto/kdf.js';
import { blobKeyFor, chunkId, deriveLockerKeys, keyCommitment, objectKeyFor } from '../electron/core/crypto/keys.js';
import { formatRecoveryKey, parseRecoveryKey } from '../electron/core/crypto/recovery-key.js';
import { AVG_CHUNK, MAX_CHUNK, MIN_CHUNK, nextCut } from '../electron/core/locker/chunker.js';
import { CONFIG_NAME, decodeConfig, encodeConfig } from '../electron/core/locker/config-object.js';
import { CryptoPool } from '../electron/core/locker/crypto-pool.js';
import { decodeIndex, encodeIndex, type PackEntry } from '../electron/core/locker/index-object.js';
import { decodeKeyslots, encodeKeyslots, KEYSLOTS_NAME, recoveryKek, wrapLmk, type Keyslot } from '../electron/core/locker/keyslots.js';
import { decodeManifest, encodeManifest, type Manifest } from '../electron/core/locker/manifest.js';
import { objectHeader, ObjectKind } from '../electron/core/locker/object-header.js';
import { checkPack } from '../electron/core/locker/pack-check.js';
import { computePackId, PackWriter } from '../electron/core/locker/pack-writer.js';
import { openRepository, readIndex, readManifest, type Repository } from '../electron/core/locker/repository.js';
import { objectName, openObject, sealObject } from '../electron/core/locker/sealed-object.js';
import { indexName, manifestName, packName } from '../electron/core/store/object-store.js';
import { LocalStore } from '../electron/core/store/local-store.js';
import { cleanupTempDirs, encryptChunks, tempDir } from './helpers.js';

interface Vectors {
  readme: { about: string; inputs: Record<string, string>; outputs: Record<string, string> };
  inputs: {
    lmk: string;
    lockerId: string;
    passphrase: string;
    kdf: { algorithm: 'argon2id'; memoryKiB: number; iterations: number; parallelism: number; salt: string };
    passphraseSlot: { id: string; wrapNonce: string };
    recoveryKey: string;
    recoverySlot: { id: string; salt: string; wrapNonce: string };
    keyslotsGeneration: number;
    chunks: [{ name: 'hello'; plaintextUtf8: string }, { name: 'pattern'; length: number; pattern: string; plaintextSha256: string }];
    indexSalt: string;
    manifestSalt: string;
    manifest: Manifest;
    chunking: { prng: string; seed: number; length: number };
  };
  keys: { chunkIdKey: string; blobKey: string; objectKey: string; keyslotsMacKey: string; commitment: string; gearTableSha256: string; gearTableFirst8: number[] };
  chunks: { name: string; length: number; plaintextSha256: string; chunkId: string; chunkKey: string; sealedLength: number; tag: string; sealed?: string; sealedSha256?: string }[];
  pack: { id: string; storeName: string; length: number; sha256: string; header: string; blobs: PackEntry['blobs'] };
  config: { bytes: string };
  keyslots: { passphraseKek: string; recoveryKek: string; bodyJson: string; mac: string; bytes: string };
  index: { plaintext: string; objectKey: string; bytes: string; id: string; storeName: string };
  manifest: { json: string; deflated: string; objectKey: string; bytes: string; id: string; storeName: string };
  recoveryKeyText: string;
  chunking: { minChunk: number; avgChunk: number; maxChunk: number; inputSha256: string; inputFirst16: string; chunkLengths: number[]; chunkEnds: number[] };
}

const V = JSON.parse(readFileSync(new URL('./vectors/format-v1.json', import.meta.url), 'utf8')) as Vectors;
const I = V.inputs;

const fromHex = (h: string): Buffer => Buffer.from(h, 'hex');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const counting = (first: number, n: number): string => hex(Buffer.from(Array.from({ length: n }, (_, i) => (first + i) & 0xff)));

const lmk = fromHex(I.lmk);
const lockerId = fromHex(I.lockerId);
const keys = deriveLockerKeys(lmk, lockerId);
const kdf: KdfParams = { ...I.kdf, salt: fromHex(I.kdf.salt) };
const recoveryKey = fromHex(I.recoveryKey);

/** The chunk plaintexts, rebuilt from their descriptions. */
function plaintexts(): Buffer[] {
  const pattern = Buffer.alloc(I.chunks[1].length);
  for (let i = 0; i < pattern.length; i++) pattern[i] = i % 251;
  return [Buffer.from(I.chunks[0].plaintextUtf8, 'utf8'), pattern];
}

/** xorshift32 exactly as the vectors describe it, written independently of the script. */
function xorshift32(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out[i] = x & 0xff;
  }
  return out;
}

afterAll(cleanupTempDirs);

describe('format v1 test vectors', () => {
  it('describes every input and uses the documented fixed patterns', () => {
    for (const key of Object.keys(I)) expect(V.readme.inputs[key], `readme for input ${key}`).toEqual(expect.any(String));
    expect(I.lmk).toBe(counting(0x00, 32));
    expect(I.lockerId).toBe(counting(0xa0, 16));
    expect(I.passphrase).toBe('correct horse battery staple');
    expect(I.kdf).toEqual({ algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4, salt: counting(0xb0, 16) });
    expect(I.recoveryKey).toBe(counting(0x30, 20));
    expect(I.chunks[0].plaintextUtf8).toBe('hello, locker\n');
    expect(I.chunks[1].length).toBe(1024 * 1024);
    expect(I.chunking).toMatchObject({ seed: 1, length: 12 * 1024 * 1024 });
  });

  it('derived keys, commitment and gear table', () => {
    expect(hex(keys.chunkIdKey)).toBe(V.keys.chunkIdKey);
    expect(hex(keys.blobKey)).toBe(V.keys.blobKey);
    expect(hex(keys.objectKey)).toBe(V.keys.objectKey);
    expect(hex(keys.keyslotsMacKey)).toBe(V.keys.keyslotsMacKey);
    expect(hex(keyCommitment(lmk, lockerId))).toBe(V.keys.commitment);
    const gear = Buffer.alloc(1024);
    keys.gearTable.forEach((value, i) => gear.writeInt32BE(value, i * 4));
    expect(sha256(gear)).toBe(V.keys.gearTableSha256);
    expect(Array.from(keys.gearTable.subarray(0, 8))).toEqual(V.keys.gearTableFirst8);
  });

  it('chunk ids, chunk keys and blobs, by the documented construction and by the crypto workers', async () => {
    const plains = plaintexts();
    expect(sha256(plains[1] as Buffer)).toBe(I.chunks[1].plaintextSha256);
    expect(V.chunks.map((c) => c.name)).toEqual(['hello', 'pattern']);
    const sealedAll: Buffer[] = [];
    V.chunks.forEach((vector, i) => {
      const plain = plains[i] as Buffer;
      expect(plain.length).toBe(vector.length);
      expect(sha256(plain)).toBe(vector.plaintextSha256);
      const id = chunkId(keys.chunkIdKey, plain);
      expect(hex(id)).toBe(vector.chunkId);
      const key = blobKeyFor(keys.blobKey, id);
      expect(hex(key)).toBe(vector.chunkKey);
      const sealed = gcmSeal(key, ZERO_NONCE, plain);
      expect(sealed.length).toBe(vector.sealedLength);
      expect(hex(sealed.subarray(sealed.length - TAG_BYTES))).toBe(vector.tag);
      if (vector.sealed !== undefined) expect(hex(sealed)).toBe(vector.sealed);
      else expect(sha256(sealed)).toBe(vector.sealedSha256);
      expect(gcmOpen(key, ZERO_NONCE, sealed).equals(plain)).toBe(true); // Buffer.equals: toEqual walks 1 MiB byte by byte
      sealedAll.push(sealed);
    });
    expect(V.chunks[0]?.sealed).toBeDefined(); // the small blob is committed whole

    // The seal path: the crypto worker must produce the same ids, bodies and tags.
    const pool = new CryptoPool(keys, 1);
    try {
      const { ids, tags, bodies } = await encryptChunks(pool, plains);
      V.chunks.forEach((vector, i) => {
        expect(hex(ids.subarray(i * 32, i * 32 + 32))).toBe(vector.chunkId);
        expect(hex(tags.subarray(i * 16, i * 16 + 16))).toBe(vector.tag);
        expect(Buffer.concat([bodies[i] as Buffer, tags.subarray(i * 16, i * 16 + 16)]).equals(sealedAll[i] as Buffer)).toBe(true);
      });
    } finally {
      await pool.close();
    }
  });

  it('config object', () => {
    expect(hex(encodeConfig({ lockerId, commitment: keyCommitment(lmk, lockerId) }))).toBe(V.config.bytes);
    expect(decodeConfig(fromHex(V.config.bytes))).toEqual({ lockerId, commitment: fromHex(V.keys.commitment) });
  });

  it('keyslots object: KEKs, wrapped keys, body and MAC', async () => {
    const passphraseKek = await deriveKek(I.passphrase, kdf, 'vectors');
    expect(hex(passphraseKek)).toBe(V.keyslots.passphraseKek);
    const recKek = recoveryKek(recoveryKey, fromHex(I.recoverySlot.salt));
    expect(hex(recKek)).toBe(V.keyslots.recoveryKek);
    const slots: Keyslot[] = [
      { id: I.passphraseSlot.id, type: 'passphrase', kdf, wrapped: wrapLmk(passphraseKek, lmk, lockerId, I.passphraseSlot.id, fromHex(I.passphraseSlot.wrapNonce)) },
      { id: I.recoverySlot.id, type: 'recovery', salt: fromHex(I.recoverySlot.salt), wrapped: wrapLmk(recKek, lmk, lockerId, I.recoverySlot.id, fromHex(I.recoverySlot.wrapNonce)) },
    ];
    const bytes = encodeKeyslots({ generation: I.keyslotsGeneration, slots }, lockerId, keys.keyslotsMacKey);
    expect(hex(bytes)).toBe(V.keyslots.bytes);
    const parsed = decodeKeyslots(fromHex(V.keyslots.bytes));
    expect(parsed.generation).toBe(I.keyslotsGeneration);
    expect(parsed.lockerId).toEqual(lockerId);
    expect(parsed.slots).toEqual(slots);
    expect(hex(parsed.mac)).toBe(V.keyslots.mac);
    expect(parsed.signed.subarray(34).toString('utf8')).toBe(V.keyslots.bodyJson);
  });

  it('pack id, header and bytes', () => {
    const plains = plaintexts();
    const blobs = V.chunks.map((c, i) => {
      const id = fromHex(c.chunkId);
      return { id, sealed: gcmSeal(blobKeyFor(keys.blobKey, id), ZERO_NONCE, plains[i] as Buffer) };
    });
    expect(computePackId(blobs)).toBe(V.pack.id);
    expect(packName(V.pack.id)).toBe(V.pack.storeName);
    expect(hex(objectHeader(ObjectKind.pack))).toBe(V.pack.header);
    const bytes = Buffer.concat([objectHeader(ObjectKind.pack), ...blobs.map((b) => b.sealed)]);
    expect(bytes.length).toBe(V.pack.length);
    expect(sha256(bytes)).toBe(V.pack.sha256);
    expect(V.pack.blobs).toEqual([
      { id: V.chunks[0]?.chunkId, offset: 10, length: V.chunks[0]?.sealedLength },
      { id: V.chunks[1]?.chunkId, offset: 10 + (V.chunks[0]?.sealedLength as number), length: V.chunks[1]?.sealedLength },
    ]);
  });

  it('index object', () => {
    const plain = encodeIndex([{ pack: V.pack.id, blobs: V.pack.blobs }]);
    expect(hex(plain)).toBe(V.index.plaintext);
    expect(hex(objectKeyFor(keys.objectKey, ObjectKind.index, fromHex(I.indexSalt)))).toBe(V.index.objectKey);
    const bytes = sealObject(keys.objectKey, ObjectKind.index, plain, fromHex(I.indexSalt));
    expect(hex(bytes)).toBe(V.index.bytes);
    expect(objectName(bytes)).toBe(V.index.id);
    expect(indexName(V.index.id)).toBe(V.index.storeName);
    expect(decodeIndex(openObject(keys.objectKey, ObjectKind.index, fromHex(V.index.bytes), V.index.storeName, V.index.id), V.index.storeName)).toEqual([
      { pack: V.pack.id, blobs: V.pack.blobs },
    ]);
  });

  it('manifest object (the DEFLATE stream may differ between compressors; its content may not)', () => {
    const manifest = I.manifest;
    expect(JSON.stringify(manifest)).toBe(V.manifest.json);
    expect(inflateRawSync(encodeManifest(manifest)).toString('utf8')).toBe(V.manifest.json);
    const deflated = fromHex(V.manifest.deflated);
    expect(inflateRawSync(deflated).toString('utf8')).toBe(V.manifest.json);
    expect(hex(objectKeyFor(keys.objectKey, ObjectKind.manifest, fromHex(I.manifestSalt)))).toBe(V.manifest.objectKey);
    const bytes = sealObject(keys.objectKey, ObjectKind.manifest, deflated, fromHex(I.manifestSalt));
    expect(hex(bytes)).toBe(V.manifest.bytes);
    expect(objectName(bytes)).toBe(V.manifest.id);
    expect(manifestName(V.manifest.id)).toBe(V.manifest.storeName);
    expect(decodeManifest(openObject(keys.objectKey, ObjectKind.manifest, bytes, V.manifest.storeName, V.manifest.id), V.manifest.storeName)).toEqual(manifest);
    // The manifest ties the other vectors together.
    expect(manifest.locker).toBe(I.lockerId);
    expect(manifest.indexes).toEqual([V.index.id]);
    expect(manifest.entries.flatMap((e) => (e.type === 'file' ? e.chunks : []))).toEqual(V.chunks.map((c) => c.chunkId));
    expect(manifest.entries.map((e) => e.type)).toEqual(['dir', 'file', 'file', 'file', 'symlink']);
  });

  it('recovery key text', () => {
    expect(formatRecoveryKey(recoveryKey)).toBe(V.recoveryKeyText);
    expect(parseRecoveryKey(V.recoveryKeyText)).toEqual(recoveryKey);
    expect(parseRecoveryKey(V.recoveryKeyText.toLowerCase().replaceAll('-', ' '))).toEqual(recoveryKey);
  });

  it('content-defined cut points of the xorshift32 input', () => {
    expect({ minChunk: MIN_CHUNK, avgChunk: AVG_CHUNK, maxChunk: MAX_CHUNK }).toEqual({ minChunk: V.chunking.minChunk, avgChunk: V.chunking.avgChunk, maxChunk: V.chunking.maxChunk });
    const input = xorshift32(I.chunking.seed, I.chunking.length);
    expect(hex(input.subarray(0, 16))).toBe(V.chunking.inputFirst16);
    expect(sha256(input)).toBe(V.chunking.inputSha256);
    const lengths: number[] = [];
    const ends: number[] = [];
    for (let start = 0; start < input.length; ) {
      start += nextCut(keys.gearTable, input, start, input.length);
      lengths.push(start - (ends.at(-1) ?? 0));
      ends.push(start);
    }
    expect(lengths).toEqual(V.chunking.chunkLengths);
    expect(ends).toEqual(V.chunking.chunkEnds);
    expect(ends.at(-1)).toBe(I.chunking.length);
  });
});

describe('the committed objects form a locker that opens', () => {
  let store: LocalStore;
  let repo: Repository;

  beforeAll(async () => {
    store = new LocalStore(join(tempDir(), 'store'));
    await store.put(CONFIG_NAME, [fromHex(V.config.bytes)]);
    await store.put(KEYSLOTS_NAME, [fromHex(V.keyslots.bytes)]);
    await store.put(V.index.storeName, [fromHex(V.index.bytes)]);
    await store.put(V.manifest.storeName, [fromHex(V.manifest.bytes)]);
    repo = await openRepository(store, { kind: 'passphrase', passphrase: I.passphrase });
  });

  it('the passphrase and the recovery key text both unlock the master key', async () => {
    expect(repo.lmk).toEqual(lmk);
    expect(repo.lockerId).toBe(I.lockerId);
    const viaRecovery = await openRepository(store, { kind: 'recovery', key: parseRecoveryKey(V.recoveryKeyText) });
    expect(viaRecovery.lmk).toEqual(lmk);
  });

  it('reads the index and the manifest by their ids', async () => {
    expect(await readIndex(repo, V.index.id)).toEqual([{ pack: V.pack.id, blobs: V.pack.blobs }]);
    expect(await readManifest(repo, V.manifest.id)).toEqual(I.manifest);
  });

  it('the pack writer writes the vector pack, and read-back authenticates it', async () => {
    const plains = plaintexts();
    const pool = new CryptoPool(repo.keys, 1);
    try {
      const { ids, tags, bodies } = await encryptChunks(pool, plains);
      const writer = new PackWriter(store);
      for (const [i, body] of bodies.entries()) await writer.add(ids.subarray(i * 32, i * 32 + 32), body, tags.subarray(i * 16, i * 16 + 16));
      const written = await writer.finish();
      expect(written).toEqual([{ pack: V.pack.id, blobs: V.pack.blobs }]);
      const bytes = await store.get(V.pack.storeName);
      expect(bytes.length).toBe(V.pack.length);
      expect(sha256(bytes)).toBe(V.pack.sha256);
      expect(await checkPack(repo, pool, { pack: V.pack.id, blobs: V.pack.blobs }, true)).toBe(plains[0]!.length + plains[1]!.length);
    } finally {
      await pool.close();
    }
  });
});
