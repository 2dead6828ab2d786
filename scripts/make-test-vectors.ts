/**
 * Writes test/vectors/format-v1.json: deterministic test vectors for
 * docs/FORMAT.md, built from fixed inputs with the engine's own functions.
 * Run: npx tsx scripts/make-test-vectors.ts
 *
 * Nothing here is random: every key, salt and nonce is a fixed byte pattern, so
 * rerunning the script reproduces the committed file byte for byte (the one
 * machine-dependent value, the DEFLATE stream of the manifest, is explained in
 * the file's readme). test/vectors.test.ts recomputes everything from the
 * file's inputs and fails if any construction changes.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gcmSeal, TAG_BYTES, ZERO_NONCE } from '../electron/core/crypto/aead.js';
import { deriveKek, type KdfParams } from '../electron/core/crypto/kdf.js';
import { blobKeyFor, chunkId, deriveLockerKeys, keyCommitment, objectKeyFor } from '../electron/core/crypto/keys.js';
import { formatRecoveryKey } from '../electron/core/crypto/recovery-key.js';
import { AVG_CHUNK, MAX_CHUNK, MIN_CHUNK, nextCut } from '../electron/core/locker/chunker.js';
import { encodeConfig } from '../electron/core/locker/config-object.js';
import { encodeIndex, type PackEntry } from '../electron/core/locker/index-object.js';
import { encodeKeyslots, recoveryKek, wrapLmk, type Keyslot } from '../electron/core/locker/keyslots.js';
import { encodeManifest, type Manifest } from '../electron/core/locker/manifest.js';
import { objectHeader, ObjectKind } from '../electron/core/locker/object-header.js';
import { computePackId } from '../electron/core/locker/pack-writer.js';
import { objectName, sealObject } from '../electron/core/locker/sealed-object.js';
import { indexName, manifestName, packName } from '../electron/core/store/object-store.js';

const OUT = fileURLToPath(new URL('../test/vectors/format-v1.json', import.meta.url));

/** n bytes counting up from `first` (mod 256). */
const run = (first: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (first + i) & 0xff));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** xorshift32 (Marsaglia 2003, shifts 13/17/5), one output byte per step: the low 8 bits of the new state. */
function xorshift32Bytes(seed: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The 1 MiB chunk: byte i = i mod 251. */
function patternBytes(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = i % 251;
  return out;
}

// ---------- fixed inputs ----------

const lmk = run(0x00, 32);
const lockerId = run(0xa0, 16);
const passphrase = 'correct horse battery staple';
const kdf: KdfParams = { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4, salt: run(0xb0, 16) };
const passphraseSlot = { id: 'passphrase-1', wrapNonce: run(0xc0, 12) };
const recoveryKey = run(0x30, 20);
const recoverySlot = { id: 'recovery-1', salt: run(0xd0, 16), wrapNonce: run(0xe0, 12) };
const keyslotsGeneration = 1;
const helloText = 'hello, locker\n';
const patternLength = 1024 * 1024;
const indexSalt = run(0x60, 32);
const manifestSalt = run(0x80, 32);
const cdcSeed = 1;
const cdcLength = 12 * 1024 * 1024;
const created = '2024-01-02T03:04:05.678Z';

// ---------- keys ----------

const keys = deriveLockerKeys(lmk, lockerId);
const gearBytes = Buffer.from(hkdfSync('sha256', lmk, lockerId, 'envelock v1 gear table', 1024));
const gearTableFirst8 = Array.from(keys.gearTable.subarray(0, 8));

// ---------- chunks and blobs ----------

const chunkInputs = [
  { name: 'hello', plaintext: Buffer.from(helloText, 'utf8') },
  { name: 'pattern', plaintext: patternBytes(patternLength) },
];
const chunks = chunkInputs.map(({ name, plaintext }) => {
  const id = chunkId(keys.chunkIdKey, plaintext);
  const key = blobKeyFor(keys.blobKey, id);
  const sealed = gcmSeal(key, ZERO_NONCE, plaintext);
  return { name, plaintext, id, key, sealed };
});

// ---------- pack ----------

const packHeader = objectHeader(ObjectKind.pack);
const packBytes = Buffer.concat([packHeader, ...chunks.map((c) => c.sealed)]);
const packId = computePackId(chunks.map((c) => ({ id: c.id, sealed: c.sealed })));
let offset = packHeader.length;
const packEntry: PackEntry = {
  pack: packId,
  blobs: chunks.map((c) => {
    const blob = { id: hex(c.id), offset, length: c.sealed.length };
    offset += c.sealed.length;
    return blob;
  }),
};

// ---------- config and keyslots ----------

const configBytes = encodeConfig({ lockerId, commitment: keyCommitment(lmk, lockerId) });
const passphraseKek = await deriveKek(passphrase, kdf, 'test vectors');
const recoveryKekBytes = recoveryKek(recoveryKey, recoverySlot.salt);
const slots: Keyslot[] = [
  { id: passphraseSlot.id, type: 'passphrase', kdf, wrapped: wrapLmk(passphraseKek, lmk, lockerId, passphraseSlot.id, passphraseSlot.wrapNonce) },
  { id: recoverySlot.id, type: 'recovery', salt: recoverySlot.salt, wrapped: wrapLmk(recoveryKekBytes, lmk, lockerId, recoverySlot.id, recoverySlot.wrapNonce) },
];
const keyslotsBytes = encodeKeyslots({ generation: keyslotsGeneration, slots }, lockerId, keys.keyslotsMacKey);
const keyslotsBodyLength = keyslotsBytes.readUInt32BE(10 + 16 + 4);
const keyslotsBody = keyslotsBytes.subarray(34, 34 + keyslotsBodyLength);

// ---------- index ----------

const indexPlain = encodeIndex([packEntry]);
const indexBytes = sealObject(keys.objectKey, ObjectKind.index, indexPlain, indexSalt);
const indexId = objectName(indexBytes);

// ---------- manifest ----------

const [hello, pattern] = chunks as [(typeof chunks)[number], (typeof chunks)[number]];
const manifest: Manifest = {
  format: 1,
  locker: hex(lockerId),
  seq: 1,
  parents: [],
  created,
  keyslotGeneration: keyslotsGeneration,
  indexes: [indexId],
  entries: [
    { path: 'docs', type: 'dir', mode: 0o755, mtimeNs: '1700000000123456789' },
    { path: 'docs/hello.txt', type: 'file', mode: 0o644, mtimeNs: '1700000001000000000', size: hello.plaintext.length, chunks: [hex(hello.id)] },
    { path: 'docs/pattern.bin', type: 'file', mode: 0o600, mtimeNs: '1700000002500000000', size: pattern.plaintext.length, chunks: [hex(pattern.id)] },
    { path: 'empty', type: 'file', mode: 0o644, mtimeNs: '-1000', size: 0, chunks: [] },
    { path: 'link', type: 'symlink', target: 'docs/hello.txt', mtimeNs: '1700000003000000001' },
  ],
};
const manifestJson = JSON.stringify(manifest);
const manifestDeflated = encodeManifest(manifest);
const manifestBytes = sealObject(keys.objectKey, ObjectKind.manifest, manifestDeflated, manifestSalt);
const manifestId = objectName(manifestBytes);

// ---------- chunking ----------

const cdcInput = xorshift32Bytes(cdcSeed, cdcLength);
const cdcLengths: number[] = [];
for (let start = 0; start < cdcInput.length; ) {
  const n = nextCut(keys.gearTable, cdcInput, start, cdcInput.length);
  cdcLengths.push(n);
  start += n;
}
const cdcEnds = cdcLengths.reduce<number[]>((ends, n) => [...ends, (ends.at(-1) ?? 0) + n], []);

// ---------- the file ----------

const vectors = {
  readme: {
    about:
      'Test vectors for the Envelock locker format version 1 (docs/FORMAT.md). Every value is derived from the fixed inputs below by the ' +
      'constructions in FORMAT.md; test/vectors.test.ts recomputes all of them with the engine. Regenerate with `npx tsx scripts/make-test-vectors.ts` ' +
      '(only after an intended format change: the new file is then a new format version).',
    encoding:
      'Binary values are lowercase hex unless a field name says otherwise (…Utf8, …Json). Byte patterns such as "bytes 0x00..0x1f" mean the bytes counting up, inclusive. ' +
      'Store names are paths inside the store.',
    inputs: {
      lmk: 'Locker master key: 32 bytes 0x00..0x1f.',
      lockerId: 'Locker id: 16 bytes 0xa0..0xaf.',
      passphrase: 'The passphrase of the passphrase slot (UTF-8, NFC).',
      kdf: 'Argon2id parameters of the passphrase slot (the format minimum: 64 MiB, t=3, p=4); salt = 16 bytes 0xb0..0xbf.',
      passphraseSlot: 'Slot id, and the 12-byte GCM nonce used to wrap the LMK (0xc0..0xcb). Real writers pick the nonce at random.',
      recoveryKey: 'Recovery key: 20 bytes 0x30..0x43.',
      recoverySlot: 'Slot id, HKDF salt (16 bytes 0xd0..0xdf) and wrap nonce (12 bytes 0xe0..0xeb). Real writers pick both at random.',
      keyslotsGeneration: 'Generation number of the keyslots object.',
      chunks: 'Two chunk plaintexts: "hello, locker\\n" (14 bytes), and 1 MiB whose byte i is i mod 251 (given by its SHA-256, not its bytes).',
      indexSalt: 'Salt of the index object: 32 bytes 0x60..0x7f. Real writers pick it at random.',
      manifestSalt: 'Salt of the manifest object: 32 bytes 0x80..0x9f. Real writers pick it at random.',
      manifest: 'The manifest (snapshot) document: a folder, two files in it (one per chunk), an empty file with a time before 1970, and a symlink. Its index is the index object below.',
      chunking:
        'Input of the chunking vector: 12 MiB from xorshift32 seeded with 1 (state x, uint32; per byte: x ^= x << 13; x ^= x >>> 17; x ^= x << 5; output x & 0xff), ' +
        'cut with the gear table derived from lmk and lockerId.',
    },
    outputs: {
      keys: 'HKDF-SHA256(lmk, salt = lockerId, info) outputs (FORMAT.md §3.2). gearTableSha256 is the SHA-256 of all 1024 bytes; gearTableFirst8 are its first 8 entries as signed 32-bit big-endian integers.',
      chunks: 'Per chunk: chunk id = HMAC(chunkIdKey, plaintext), chunk key = HMAC(blobKey, id), blob = AES-256-GCM(chunk key, zero nonce, plaintext), no AAD. The 1 MiB blob is given by its SHA-256 and tag.',
      pack: 'One pack holding the two blobs in order: header ‖ blob ‖ blob. Its id is SHA-256(header ‖ id1 ‖ tag1 ‖ id2 ‖ tag2), which differs from the SHA-256 of its bytes (also given).',
      config: 'The config object (58 bytes).',
      keyslots: 'The KEKs, the keyslots JSON body as written, and the whole keyslots object (passphrase slot and recovery slot, MAC under keyslotsMacKey).',
      index: 'The index plaintext (one pack, two blobs), the per-object AES key HMAC(objectKey, 0x04 ‖ salt), the sealed object and its id.',
      manifest:
        'The manifest JSON exactly as serialized, its DEFLATE (raw, RFC 1951) stream, the per-object key HMAC(objectKey, 0x05 ‖ salt), the sealed object and its id. ' +
        'DEFLATE output is not canonical: another compressor (or zlib build) may emit different bytes for the same JSON, and a reader only needs to inflate. ' +
        'The sealed object and its id are those of the committed deflated bytes.',
      recoveryKeyText: 'The recovery key as shown to the user (FORMAT.md §5.1).',
      chunking: 'Chunk lengths and cumulative end offsets of the 12 MiB input; inputSha256 lets a second implementation check its PRNG first.',
    },
  },
  inputs: {
    lmk: hex(lmk),
    lockerId: hex(lockerId),
    passphrase,
    kdf: { algorithm: kdf.algorithm, memoryKiB: kdf.memoryKiB, iterations: kdf.iterations, parallelism: kdf.parallelism, salt: hex(kdf.salt) },
    passphraseSlot: { id: passphraseSlot.id, wrapNonce: hex(passphraseSlot.wrapNonce) },
    recoveryKey: hex(recoveryKey),
    recoverySlot: { id: recoverySlot.id, salt: hex(recoverySlot.salt), wrapNonce: hex(recoverySlot.wrapNonce) },
    keyslotsGeneration,
    chunks: [
      { name: 'hello', plaintextUtf8: helloText },
      { name: 'pattern', length: patternLength, pattern: 'byte i = i mod 251', plaintextSha256: sha256(pattern.plaintext) },
    ],
    indexSalt: hex(indexSalt),
    manifestSalt: hex(manifestSalt),
    manifest,
    chunking: { prng: 'xorshift32, shifts 13/17/5, low byte of the state after each step', seed: cdcSeed, length: cdcLength },
  },
  keys: {
    chunkIdKey: hex(keys.chunkIdKey),
    blobKey: hex(keys.blobKey),
    objectKey: hex(keys.objectKey),
    keyslotsMacKey: hex(keys.keyslotsMacKey),
    commitment: hex(keyCommitment(lmk, lockerId)),
    gearTableSha256: sha256(gearBytes),
    gearTableFirst8,
  },
  chunks: chunks.map((c) => ({
    name: c.name,
    length: c.plaintext.length,
    plaintextSha256: sha256(c.plaintext),
    chunkId: hex(c.id),
    chunkKey: hex(c.key),
    sealedLength: c.sealed.length,
    tag: hex(c.sealed.subarray(c.sealed.length - TAG_BYTES)),
    ...(c.sealed.length <= 1024 ? { sealed: hex(c.sealed) } : { sealedSha256: sha256(c.sealed) }),
  })),
  pack: {
    id: packId,
    storeName: packName(packId),
    length: packBytes.length,
    sha256: sha256(packBytes),
    header: hex(packHeader),
    blobs: packEntry.blobs,
  },
  config: { bytes: hex(configBytes) },
  keyslots: {
    passphraseKek: hex(passphraseKek),
    recoveryKek: hex(recoveryKekBytes),
    bodyJson: keyslotsBody.toString('utf8'),
    mac: hex(keyslotsBytes.subarray(keyslotsBytes.length - 32)),
    bytes: hex(keyslotsBytes),
  },
  index: {
    plaintext: hex(indexPlain),
    objectKey: hex(objectKeyFor(keys.objectKey, ObjectKind.index, indexSalt)),
    bytes: hex(indexBytes),
    id: indexId,
    storeName: indexName(indexId),
  },
  manifest: {
    json: manifestJson,
    deflated: hex(manifestDeflated),
    objectKey: hex(objectKeyFor(keys.objectKey, ObjectKind.manifest, manifestSalt)),
    bytes: hex(manifestBytes),
    id: manifestId,
    storeName: manifestName(manifestId),
  },
  recoveryKeyText: formatRecoveryKey(recoveryKey),
  chunking: {
    minChunk: MIN_CHUNK,
    avgChunk: AVG_CHUNK,
    maxChunk: MAX_CHUNK,
    inputSha256: sha256(cdcInput),
    inputFirst16: hex(cdcInput.subarray(0, 16)),
    chunkLengths: cdcLengths,
    chunkEnds: cdcEnds,
  },
};

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(`wrote ${OUT}: ${chunks.length} chunks, pack ${packId.slice(0, 12)}…, index ${indexId.slice(0, 12)}…, manifest ${manifestId.slice(0, 12)}…, ${cdcLengths.length} cut points`);
