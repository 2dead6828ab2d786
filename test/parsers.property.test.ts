/**
 * Property-based tests of the store-object parsers: fully random inputs and
 * mutations of valid encodings (bit flips, truncation, extension, splices, and
 * field-level edits of the JSON objects). Every parser must either return a
 * value that satisfies the format's invariants or throw an EnvelockError with
 * one of its documented codes, naming the object. Any other exception (TypeError,
 * RangeError, SyntaxError…) is a bug. Valid inputs must round-trip exactly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelockError, type ErrorCode } from '../shared/errors.js';
import { KDF_LIMITS, type KdfParams } from '../electron/core/crypto/kdf.js';
import { formatRecoveryKey, parseRecoveryKey, RECOVERY_KEY_BYTES } from '../electron/core/crypto/recovery-key.js';
import { CONFIG_NAME, decodeConfig, encodeConfig } from '../electron/core/locker/config-object.js';
import { CryptoPool } from '../electron/core/locker/crypto-pool.js';
import { decodeIndex, encodeIndex, MAX_BLOB_BYTES, type PackEntry } from '../electron/core/locker/index-object.js';
import { decodeKeyslots, encodeKeyslots, type Keyslot, type Keyslots, type ParsedKeyslots } from '../electron/core/locker/keyslots.js';
import { comparePaths, decodeManifest, encodeManifest, type Entry, type Manifest } from '../electron/core/locker/manifest.js';
import { checkHeader, HEADER_BYTES, objectHeader, ObjectKind } from '../electron/core/locker/object-header.js';
import { checkPack } from '../electron/core/locker/pack-check.js';
import { PackWriter } from '../electron/core/locker/pack-writer.js';
import { createRepository, type Repository } from '../electron/core/locker/repository.js';
import { objectName, openObject, sealObject } from '../electron/core/locker/sealed-object.js';
import { packName } from '../electron/core/store/object-store.js';
import { LocalStore } from '../electron/core/store/local-store.js';
import { cleanupTempDirs, encryptChunks, PASSPHRASE, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

// ---------- harness ----------

const RUNS = 300;
/** A watchdog, not a timing assertion: a property that slows to a crawl fails instead of passing partially. */
const FC_OPTIONS = { numRuns: RUNS, interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true } as const;
const TEST_TIMEOUT = 90_000;

const WINDOWS = process.platform === 'win32';
const HEADER_CODES: readonly ErrorCode[] = ['OBJECT_CORRUPTED', 'OBJECT_TRUNCATED', 'UNSUPPORTED_FORMAT'];
const KEYSLOT_CODES: readonly ErrorCode[] = [...HEADER_CODES, 'KDF_PARAMS_REFUSED'];
const PLAINTEXT_CODES: readonly ErrorCode[] = ['OBJECT_CORRUPTED'];

type Outcome<T> = { ok: true; value: T } | { ok: false; error: EnvelockError };

/** Runs a parser; anything thrown that is not an EnvelockError escapes and fails the property. */
function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (error instanceof EnvelockError) return { ok: false, error };
    throw error;
  }
}

async function attemptAsync<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof EnvelockError) return { ok: false, error };
    throw error;
  }
}

/** The error is documented for this parser and names the object it is about. */
function expectDocumented(error: EnvelockError, codes: readonly ErrorCode[], subject: string | RegExp | undefined): void {
  expect(codes).toContain(error.code);
  if (typeof subject === 'string') expect(error.subject).toBe(subject);
  else if (subject !== undefined) expect(error.subject).toMatch(subject);
}

// ---------- byte-level mutations ----------

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'extend'; bytes: Uint8Array }
  | { op: 'splice'; at: number; remove: number; insert: Uint8Array };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), remove: fc.integer({ min: 0, max: 16 }), insert: fc.uint8Array({ maxLength: 16 }) }),
);
const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

function mutate(base: Uint8Array, mutations: readonly Mutation[]): Buffer {
  let b = Buffer.from(base);
  for (const m of mutations) {
    switch (m.op) {
      case 'flip':
        if (b.length > 0) b[m.at % b.length] = (b[m.at % b.length] as number) ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length > 0) b[m.at % b.length] = m.value;
        break;
      case 'truncate':
        b = b.subarray(0, m.at % (b.length + 1));
        break;
      case 'extend':
        b = Buffer.concat([b, m.bytes]);
        break;
      case 'splice': {
        const at = m.at % (b.length + 1);
        b = Buffer.concat([b.subarray(0, at), m.insert, b.subarray(Math.min(b.length, at + m.remove))]);
        break;
      }
    }
  }
  return b;
}

/** Random bytes, half of them behind a correct header so the parser gets past it. */
function randomObjectArb(kind: ObjectKind, maxLength = 512): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.uint8Array({ maxLength }).map((b) => Buffer.from(b)),
    fc.uint8Array({ maxLength }).map((b) => Buffer.concat([objectHeader(kind), b])),
  );
}

// ---------- JSON-level edits ----------

type JsonPath = (string | number)[];

function jsonPaths(value: unknown, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => jsonPaths(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) jsonPaths(v, [...prefix, k], out);
  return out;
}

/** Values that break one documented rule or another, plus arbitrary JSON. */
const nastyValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    '../x', '/abs', 'a//b', '.', '..', '', 'a/./b', 'a/../b', 'a\\b', 'x\u0000y', 'a/', '/',
    -1, -0.5, 0.5, 1e308, -1e308, 2 ** 53, 2 ** 64, Number.MAX_SAFE_INTEGER, 0, 64 * 1024 * 1024, 0xffffffff,
    null, true, false, [], {}, 'dir', 'file', 'symlink', 'recovery', 'passphrase', 'argon2i', '123', '1e3', 'not base64!', 'AAAA',
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

type JsonEdit =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'swap'; at: number; other: number }
  | { op: 'duplicate'; at: number };

const jsonEditArb: fc.Arbitrary<JsonEdit> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: nastyValueArb }), weight: 4 },
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.constantFrom('path', 'type', 'size', 'mode', 'chunks', 'target', 'extra', '__proto__'), value: nastyValueArb }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
);

function parentOf(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  return node;
}

/** Applies edits to a deep copy; paths are picked modulo the current number of paths. */
function editJson(value: unknown, edits: readonly JsonEdit[]): unknown {
  let root: unknown = structuredClone(value);
  for (const edit of edits) {
    const paths = jsonPaths(root);
    const path = paths[edit.at % paths.length] as JsonPath;
    if (path.length === 0) {
      if (edit.op === 'replace') root = structuredClone(edit.value);
      continue;
    }
    const parent = parentOf(root, path) as Record<string | number, unknown> | unknown[];
    const key = path[path.length - 1] as string | number;
    if (edit.op === 'replace') {
      (parent as Record<string | number, unknown>)[key] = structuredClone(edit.value);
    } else if (edit.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (edit.op === 'add') {
      const target = (parent as Record<string | number, unknown>)[key];
      if (Array.isArray(target)) target.splice(edit.at % (target.length + 1), 0, structuredClone(edit.value));
      else if (typeof target === 'object' && target !== null) Object.defineProperty(target, edit.key, { value: structuredClone(edit.value), enumerable: true, writable: true, configurable: true });
    } else if (Array.isArray(parent)) {
      const i = key as number;
      if (edit.op === 'duplicate') parent.splice(i, 0, structuredClone(parent[i]));
      else {
        const j = edit.other % parent.length;
        [parent[i], parent[j]] = [parent[j], parent[i]];
      }
    }
  }
  return root;
}

const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');

// ---------- value generators ----------

const bytesArb = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b));
const hexArb = (n: number) => bytesArb(n).map((b) => b.toString('hex'));
const hex64Arb = hexArb(32);

// ---------- header ----------

describe('checkHeader', () => {
  const kinds = Object.values(ObjectKind);

  it('accepts exactly a correct header and names the object in every refusal', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b)), fc.tuple(fc.constantFrom(...kinds), mutationsArb, fc.uint8Array({ maxLength: 8 })).map(([k, m, tail]) => mutate(Buffer.concat([objectHeader(k), tail]), m))),
        fc.constantFrom(...kinds),
        (bytes, kind) => {
          const result = attempt(() => checkHeader(bytes, kind, 'some/object'));
          // An independent oracle for the three header checks, in order.
          const expected: ErrorCode | undefined =
            bytes.length < HEADER_BYTES ? 'OBJECT_TRUNCATED'
              : bytes.subarray(0, 8).toString('latin1') !== 'ENVELOCK' ? 'OBJECT_CORRUPTED'
                : bytes[8] !== 1 ? 'UNSUPPORTED_FORMAT'
                  : bytes[9] !== kind ? 'OBJECT_CORRUPTED' : undefined;
          if (result.ok) expect(expected).toBeUndefined();
          else {
            expect(result.error.code).toBe(expected);
            expect(result.error.subject).toBe('some/object');
          }
        },
      ),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);
});

// ---------- config ----------

describe('decodeConfig', () => {
  const configArb = fc.record({ lockerId: bytesArb(16), commitment: bytesArb(32) });

  it('round-trips every valid config', () => {
    fc.assert(fc.property(configArb, (config) => {
      expect(decodeConfig(encodeConfig(config))).toEqual(config);
    }), FC_OPTIONS);
  }, TEST_TIMEOUT);

  it('random bytes and mutated configs: a well-formed config or a documented error', () => {
    fc.assert(
      fc.property(fc.oneof(randomObjectArb(ObjectKind.config, 80), fc.tuple(configArb, mutationsArb).map(([c, m]) => mutate(encodeConfig(c), m))), (bytes) => {
        const result = attempt(() => decodeConfig(bytes));
        if (!result.ok) return expectDocumented(result.error, HEADER_CODES, CONFIG_NAME);
        expect(bytes.length).toBe(HEADER_BYTES + 48);
        expect(result.value.lockerId).toEqual(bytes.subarray(HEADER_BYTES, HEADER_BYTES + 16));
        expect(result.value.commitment).toEqual(bytes.subarray(HEADER_BYTES + 16));
      }),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);
});

// ---------- keyslots ----------

const kdfArb: fc.Arbitrary<KdfParams> = fc.record({
  algorithm: fc.constant('argon2id' as const),
  memoryKiB: fc.integer({ min: KDF_LIMITS.minMemoryKiB, max: KDF_LIMITS.maxMemoryKiB }),
  iterations: fc.integer({ min: KDF_LIMITS.minIterations, max: KDF_LIMITS.maxIterations }),
  parallelism: fc.integer({ min: KDF_LIMITS.minParallelism, max: KDF_LIMITS.maxParallelism }),
  salt: bytesArb(16),
});
const slotIdArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 32 });
const slotArb: fc.Arbitrary<Keyslot> = fc.oneof(
  fc.record({ id: slotIdArb, type: fc.constant('passphrase' as const), kdf: kdfArb, wrapped: bytesArb(60) }),
  fc.record({ id: slotIdArb, type: fc.constant('recovery' as const), salt: bytesArb(16), wrapped: bytesArb(60) }),
);
const keyslotsArb = fc.record({
  keyslots: fc.record({
    generation: fc.integer({ min: 0, max: 0xffffffff }),
    slots: fc.uniqueArray(slotArb, { minLength: 1, maxLength: 4, selector: (s) => s.id }),
  }),
  lockerId: bytesArb(16),
  macKey: bytesArb(32),
});

const KEYSLOTS_FIXED = HEADER_BYTES + 16 + 8;

/** A keyslots object around any body: header ‖ locker id ‖ generation ‖ length ‖ body ‖ 32-byte MAC. */
function frameKeyslots(body: Buffer, generation = 1): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt32BE(generation, 0);
  fixed.writeUInt32BE(body.length, 4);
  return Buffer.concat([objectHeader(ObjectKind.keyslots), Buffer.alloc(16, 7), fixed, body, Buffer.alloc(32, 9)]);
}

function checkKeyslotsShape(parsed: ParsedKeyslots, bytes: Buffer): void {
  expect(parsed.lockerId).toEqual(bytes.subarray(HEADER_BYTES, HEADER_BYTES + 16));
  expect(Number.isInteger(parsed.generation) && parsed.generation >= 0 && parsed.generation <= 0xffffffff).toBe(true);
  expect(parsed.mac.length).toBe(32);
  expect(Buffer.concat([parsed.signed, parsed.mac])).toEqual(bytes);
  expect(parsed.slots.length).toBeGreaterThanOrEqual(1);
  expect(parsed.slots.length).toBeLessThanOrEqual(32);
  expect(new Set(parsed.slots.map((s) => s.id)).size).toBe(parsed.slots.length);
  for (const slot of parsed.slots) {
    expect(typeof slot.id).toBe('string');
    expect(slot.id.length).toBeGreaterThanOrEqual(1);
    expect(slot.id.length).toBeLessThanOrEqual(64);
    expect(slot.wrapped.length).toBe(60);
    if (slot.type === 'recovery') expect(slot.salt.length).toBe(16);
    else {
      expect(slot.type).toBe('passphrase');
      expect(slot.kdf.algorithm).toBe('argon2id');
      expect(slot.kdf.salt.length).toBe(16);
      for (const [value, min, max] of [
        [slot.kdf.memoryKiB, KDF_LIMITS.minMemoryKiB, KDF_LIMITS.maxMemoryKiB],
        [slot.kdf.iterations, KDF_LIMITS.minIterations, KDF_LIMITS.maxIterations],
        [slot.kdf.parallelism, KDF_LIMITS.minParallelism, KDF_LIMITS.maxParallelism],
      ] as const) {
        expect(Number.isInteger(value) && value >= min && value <= max).toBe(true);
      }
    }
  }
}

function expectKeyslotsOutcome(bytes: Buffer): void {
  const result = attempt(() => decodeKeyslots(bytes));
  if (result.ok) checkKeyslotsShape(result.value, bytes);
  else expectDocumented(result.error, KEYSLOT_CODES, /^keyslots( \(slot .*\))?$/s);
}

const encodeArbKeyslots = ({ keyslots, lockerId, macKey }: { keyslots: Keyslots; lockerId: Buffer; macKey: Buffer }) => encodeKeyslots(keyslots, lockerId, macKey);

describe('decodeKeyslots', () => {
  it('round-trips every valid keyslots object', () => {
    fc.assert(
      fc.property(keyslotsArb, (input) => {
        const bytes = encodeArbKeyslots(input);
        const parsed = decodeKeyslots(bytes);
        expect(parsed.generation).toBe(input.keyslots.generation);
        expect(parsed.lockerId).toEqual(input.lockerId);
        expect(parsed.slots).toEqual(input.keyslots.slots);
        checkKeyslotsShape(parsed, bytes);
      }),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('random bytes, random JSON bodies and byte-mutated objects: valid slots or a documented error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          randomObjectArb(ObjectKind.keyslots),
          fc.jsonValue({ maxDepth: 4 }).map((v) => frameKeyslots(jsonBytes(v))),
          fc.tuple(keyslotsArb, mutationsArb).map(([k, m]) => mutate(encodeArbKeyslots(k), m)),
        ),
        expectKeyslotsOutcome,
      ),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('valid keyslots with edited JSON fields: valid slots or a documented error', () => {
    fc.assert(
      fc.property(keyslotsArb, fc.array(jsonEditArb, { minLength: 1, maxLength: 3 }), (input, edits) => {
        const bytes = encodeArbKeyslots(input);
        const body = JSON.parse(bytes.subarray(KEYSLOTS_FIXED, bytes.length - 32).toString('utf8')) as unknown;
        expectKeyslotsOutcome(frameKeyslots(jsonBytes(editJson(body, edits)), input.keyslots.generation));
      }),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('refuses hostile sizes and KDF parameters before doing any work', () => {
    const huge = frameKeyslots(Buffer.from('{}'));
    huge.writeUInt32BE(0xffffffff, KEYSLOTS_FIXED - 4);
    expect(attempt(() => decodeKeyslots(huge))).toMatchObject({ ok: false, error: { code: 'OBJECT_CORRUPTED', subject: 'keyslots' } });
    const slot = { id: 'p', type: 'passphrase', wrapped: Buffer.alloc(60).toString('base64') };
    const kdf = { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4, salt: Buffer.alloc(16).toString('base64') };
    expect(decodeKeyslots(frameKeyslots(jsonBytes({ slots: [{ ...slot, kdf }] }))).slots).toHaveLength(1);
    for (const change of [{ memoryKiB: 64 * 1024 * 1024 }, { memoryKiB: 1024 }, { iterations: 1e9 }, { parallelism: 1 }, { algorithm: 'argon2i' }, { salt: 'AAAA' }, { memoryKiB: '65536' }]) {
      const result = attempt(() => decodeKeyslots(frameKeyslots(jsonBytes({ slots: [{ ...slot, kdf: { ...kdf, ...change } }] }))));
      expect(result).toMatchObject({ ok: false, error: { code: 'KDF_PARAMS_REFUSED', subject: 'keyslots (slot p)' } });
    }
  });
});

// ---------- index ----------

const packEntryArb: fc.Arbitrary<PackEntry> = fc.record({
  pack: hex64Arb,
  blobs: fc.array(fc.record({ id: hex64Arb, offset: fc.integer({ min: 0, max: 0xffffffff }), length: fc.integer({ min: 16, max: MAX_BLOB_BYTES }) }), { maxLength: 5 }),
});
const indexArb = fc.array(packEntryArb, { maxLength: 4 });

function expectIndexOutcome(plain: Buffer): void {
  const result = attempt(() => decodeIndex(plain, 'indexes/x'));
  if (!result.ok) return expectDocumented(result.error, PLAINTEXT_CODES, 'indexes/x');
  for (const pack of result.value) {
    expect(pack.pack).toMatch(/^[0-9a-f]{64}$/);
    for (const blob of pack.blobs) {
      expect(blob.id).toMatch(/^[0-9a-f]{64}$/);
      expect(Number.isInteger(blob.offset) && blob.offset >= 0).toBe(true);
      expect(blob.length >= 16 && blob.length <= MAX_BLOB_BYTES).toBe(true);
    }
  }
  // The encoding is canonical: whatever decodes re-encodes to the same bytes.
  expect(encodeIndex(result.value)).toEqual(plain);
}

describe('decodeIndex', () => {
  it('round-trips every valid index', () => {
    fc.assert(fc.property(indexArb, (packs) => {
      expect(decodeIndex(encodeIndex(packs), 'indexes/x')).toEqual(packs);
    }), FC_OPTIONS);
  }, TEST_TIMEOUT);

  it('random and mutated plaintexts: a canonical index or a documented error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
          fc.tuple(indexArb, mutationsArb).map(([p, m]) => mutate(encodeIndex(p), m)),
          // Any count field overwritten with a random (often huge) value.
          fc.tuple(indexArb, fc.nat(), fc.integer({ min: 0, max: 0xffffffff })).map(([p, at, count]) => {
            const plain = encodeIndex(p);
            const countFields = [0];
            let pos = 4;
            for (const pack of p) {
              countFields.push(pos + 32);
              pos += 36 + pack.blobs.length * 40;
            }
            plain.writeUInt32BE(count, countFields[at % countFields.length] as number);
            return plain;
          }),
        ),
        expectIndexOutcome,
      ),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('fails fast on huge claimed counts instead of looping or allocating', () => {
    const claims = (packCount: number, blobCount?: number) => {
      const plain = Buffer.alloc(blobCount === undefined ? 8 : 4 + 36 + 40);
      plain.writeUInt32BE(packCount, 0);
      if (blobCount !== undefined) plain.writeUInt32BE(blobCount, 4 + 32);
      return attempt(() => decodeIndex(plain, 'indexes/x'));
    };
    expect(claims(0xffffffff)).toMatchObject({ ok: false, error: { code: 'OBJECT_CORRUPTED', subject: 'indexes/x' } });
    expect(claims(1, 0xffffffff)).toMatchObject({ ok: false, error: { code: 'OBJECT_CORRUPTED' } });
    expect(claims(1, 0x7fffffff)).toMatchObject({ ok: false, error: { code: 'OBJECT_CORRUPTED' } });
    expect(attempt(() => decodeIndex(Buffer.alloc(0), 'indexes/x'))).toMatchObject({ ok: false, error: { code: 'OBJECT_CORRUPTED' } });
  });
});

// ---------- manifest ----------

/** Segment-wise UTF-8 comparison, written independently of comparePaths. */
function pathOrder(a: string, b: string): number {
  const sa = a.split('/').map((s) => Buffer.from(s, 'utf8'));
  const sb = b.split('/').map((s) => Buffer.from(s, 'utf8'));
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const c = Buffer.compare(sa[i] as Buffer, sb[i] as Buffer);
    if (c !== 0) return c;
  }
  return sa.length - sb.length;
}

/** The documented manifest rules, checked on anything decodeManifest accepts. */
function checkManifestInvariants(m: Manifest): void {
  const isHex64 = (x: unknown) => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);
  const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 1;
  expect(m.format).toBe(1);
  expect(m.locker).toMatch(/^[0-9a-f]{32}$/);
  expect(isCount(m.seq) && isCount(m.keyslotGeneration)).toBe(true);
  expect(typeof m.created === 'string' && !Number.isNaN(Date.parse(m.created))).toBe(true);
  expect(Array.isArray(m.parents) && m.parents.every(isHex64)).toBe(true);
  expect(Array.isArray(m.indexes) && m.indexes.every(isHex64)).toBe(true);
  expect(Array.isArray(m.entries)).toBe(true);
  const kinds = new Map<string, string>();
  let previous: string | undefined;
  for (const e of m.entries) {
    expect(typeof e.path).toBe('string');
    const segments = e.path.split('/');
    // A backslash is a name character except on Windows, where it separates folders.
    const safe = !e.path.includes('\0') && !(WINDOWS && e.path.includes('\\')) && segments.every((s) => s !== '' && s !== '.' && s !== '..');
    expect(safe, `unsafe path ${JSON.stringify(e.path)} accepted`).toBe(true);
    if (previous !== undefined) expect(pathOrder(previous, e.path), 'entries out of order accepted').toBeLessThan(0);
    previous = e.path;
    if (segments.length > 1) expect(kinds.get(segments.slice(0, -1).join('/')), `${e.path} without its folder accepted`).toBe('dir');
    expect(e.mtimeNs).toMatch(/^-?\d{1,24}$/);
    expect(['dir', 'file', 'symlink']).toContain(e.type);
    if (e.type !== 'symlink') expect(Number.isInteger(e.mode) && e.mode >= 0 && e.mode <= 0o7777).toBe(true);
    if (e.type === 'file') {
      expect(Number.isSafeInteger(e.size) && e.size >= 0, `size ${String(e.size)} accepted`).toBe(true);
      expect(Array.isArray(e.chunks) && e.chunks.every(isHex64)).toBe(true);
    }
    if (e.type === 'symlink') expect(typeof e.target === 'string' && e.target.length > 0 && !e.target.includes('\0')).toBe(true);
    kinds.set(e.path, e.type);
  }
}

const segmentArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).filter((s) => s !== '.' && s !== '..' && !/[/\0]/.test(s) && !(WINDOWS && s.includes('\\')));
interface EntrySpec {
  segments: string[];
  kind: Entry['type'];
  mode: number;
  mtimeNs: string;
  size: number;
  chunks: string[];
  target: string;
}

const entrySpecArb: fc.Arbitrary<EntrySpec> = fc.record({
  segments: fc.array(segmentArb, { minLength: 1, maxLength: 3 }),
  kind: fc.constantFrom<Entry['type']>('dir', 'file', 'symlink'),
  mode: fc.integer({ min: 0, max: 0o7777 }),
  mtimeNs: fc.bigInt({ min: -(10n ** 24n) + 1n, max: 10n ** 24n - 1n }).map(String),
  size: fc.maxSafeNat(),
  chunks: fc.array(hex64Arb, { maxLength: 3 }),
  target: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((t) => !t.includes('\0')),
});

/** A valid tree: every folder on the way has a dir entry, anything with children is a dir, sorted. */
function buildEntries(specs: readonly EntrySpec[]): Entry[] {
  const byPath = new Map<string, Entry>();
  const dir = (path: string, mode: number, mtimeNs: string): Entry => ({ path, type: 'dir', mode, mtimeNs });
  for (const spec of specs) {
    for (let i = 1; i < spec.segments.length; i++) {
      const path = spec.segments.slice(0, i).join('/');
      if (byPath.get(path)?.type !== 'dir') byPath.set(path, dir(path, spec.mode, spec.mtimeNs));
    }
    const path = spec.segments.join('/');
    if (byPath.has(path)) continue;
    byPath.set(
      path,
      spec.kind === 'dir' ? dir(path, spec.mode, spec.mtimeNs)
        : spec.kind === 'file' ? { path, type: 'file', mode: spec.mode, mtimeNs: spec.mtimeNs, size: spec.size, chunks: spec.chunks }
          : { path, type: 'symlink', target: spec.target, mtimeNs: spec.mtimeNs },
    );
  }
  return [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
}

const manifestArb: fc.Arbitrary<Manifest> = fc.record({
  format: fc.constant(1 as const),
  locker: hexArb(16),
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  parents: fc.array(hex64Arb, { maxLength: 2 }),
  created: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  keyslotGeneration: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  indexes: fc.array(hex64Arb, { maxLength: 3 }),
  entries: fc.array(entrySpecArb, { maxLength: 10 }).map(buildEntries),
});

function expectManifestOutcome(compressed: Buffer): void {
  const result = attempt(() => decodeManifest(compressed, 'manifests/x'));
  if (result.ok) checkManifestInvariants(result.value);
  else expectDocumented(result.error, PLAINTEXT_CODES, 'manifests/x');
}

describe('decodeManifest', () => {
  it('round-trips every valid manifest', () => {
    fc.assert(
      fc.property(manifestArb, (manifest) => {
        const decoded = decodeManifest(encodeManifest(manifest), 'manifests/x');
        expect(decoded).toEqual(manifest);
        checkManifestInvariants(decoded);
      }),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('random bytes, arbitrary JSON documents and mutated DEFLATE streams: a valid manifest or a documented error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
          fc.jsonValue({ maxDepth: 4 }).map((v) => deflateRawSync(jsonBytes(v))),
          fc.tuple(manifestArb, mutationsArb).map(([m, mut]) => mutate(encodeManifest(m), mut)),
          fc.tuple(manifestArb, mutationsArb).map(([m, mut]) => deflateRawSync(mutate(jsonBytes(m), mut))),
        ),
        expectManifestOutcome,
      ),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('valid manifests with edited fields (unsafe paths, reordering, missing parents, bad numbers and types): invariants hold or a documented error', () => {
    fc.assert(
      fc.property(manifestArb, fc.array(jsonEditArb, { minLength: 1, maxLength: 3 }), (manifest, edits) => {
        expectManifestOutcome(deflateRawSync(jsonBytes(editJson(manifest, edits))));
      }),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('rejects each broken rule with OBJECT_CORRUPTED naming the manifest', () => {
    const base: Manifest = {
      format: 1, locker: 'ab'.repeat(16), seq: 1, parents: [], created: '2024-01-02T03:04:05.678Z', keyslotGeneration: 1, indexes: [],
      entries: [
        { path: 'a', type: 'dir', mode: 0o755, mtimeNs: '1' },
        { path: 'a/f', type: 'file', mode: 0o644, mtimeNs: '2', size: 3, chunks: ['cd'.repeat(32)] },
        { path: 'b', type: 'symlink', target: 'a/f', mtimeNs: '3' },
      ],
    };
    expect(decodeManifest(encodeManifest(base), 'manifests/x')).toEqual(base);
    const withEntries = (entries: unknown[]) => ({ ...base, entries });
    const [dir, file, link] = base.entries as [Entry, Entry, Entry];
    const broken: unknown[] = [
      ...['../x', '/abs', 'a//b', '.', '..', 'a/./f', 'a/../f', 'a/', '', 'a\u0000f', ...(WINDOWS ? ['a\\f'] : [])].map((path) => withEntries([dir, { ...file, path }])),
      withEntries([file, dir, link]), // out of order
      withEntries([dir, link, file]),
      withEntries([dir, file, file, link]), // repeated path
      withEntries([file, link]), // missing parent folder
      withEntries([{ ...dir, type: 'file', size: 0, chunks: [] }, file]), // parent is a file
      withEntries([dir, { ...file, size: -1 }]),
      withEntries([dir, { ...file, size: 2 ** 53 }]),
      withEntries([dir, { ...file, size: 1e308 }]),
      withEntries([dir, { ...file, size: '3' }]),
      withEntries([dir, { ...file, mode: -1 }]),
      withEntries([dir, { ...file, mode: 0o10000 }]),
      withEntries([dir, { ...file, chunks: ['xyz'] }]),
      withEntries([dir, { ...file, chunks: 'cd'.repeat(32) }]),
      withEntries([dir, { ...file, mtimeNs: 2 }]),
      withEntries([dir, { ...file, mtimeNs: '2.5' }]),
      withEntries([dir, { ...file, mtimeNs: '1'.repeat(25) }]),
      withEntries([dir, { ...file, type: 'fifo' }]),
      withEntries([dir, file, { ...link, target: '' }]),
      withEntries([dir, file, { ...link, target: 7 }]),
      withEntries([dir, file, null]),
      { ...base, seq: 0 }, { ...base, seq: 2 ** 60 }, { ...base, seq: '1' }, { ...base, keyslotGeneration: -1 },
      { ...base, format: 2 }, { ...base, locker: 'AB'.repeat(16) }, { ...base, created: 'yesterday' },
      { ...base, parents: ['00'] }, { ...base, indexes: null }, { ...base, entries: {} }, [], null, 'manifest',
    ];
    for (const doc of broken) {
      const result = attempt(() => decodeManifest(deflateRawSync(jsonBytes(doc)), 'manifests/x'));
      expect(result, JSON.stringify(doc)).toMatchObject({ ok: false, error: { code: 'OBJECT_CORRUPTED', subject: 'manifests/x' } });
    }
  });
});

// ---------- sealed objects ----------

describe('openObject', () => {
  const sealedArb = fc.record({
    key: bytesArb(32),
    kind: fc.constantFrom(ObjectKind.index, ObjectKind.manifest),
    plaintext: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    salt: bytesArb(32),
  });

  it('opens what sealObject sealed, and the name is the SHA-256 of the bytes', () => {
    fc.assert(
      fc.property(sealedArb, ({ key, kind, plaintext, salt }) => {
        const bytes = sealObject(key, kind, plaintext, salt);
        expect(openObject(key, kind, bytes, 'o', objectName(bytes))).toEqual(plaintext);
      }),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('random bytes: a documented error naming the object', () => {
    fc.assert(
      fc.property(bytesArb(32), fc.constantFrom(ObjectKind.index, ObjectKind.manifest).chain((kind) => fc.tuple(fc.constant(kind), randomObjectArb(kind, 200))), (key, [kind, bytes]) => {
        const result = attempt(() => openObject(key, kind, bytes, 'indexes/o'));
        // 16 random bytes that happen to be a valid GCM tag would be a 2^-128 event.
        expect(result.ok).toBe(false);
        if (!result.ok) expectDocumented(result.error, HEADER_CODES, 'indexes/o');
      }),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('any change to a sealed object is detected, with or without its expected name', () => {
    fc.assert(
      fc.property(sealedArb, mutationsArb, fc.boolean(), ({ key, kind, plaintext, salt }, mutations, withName) => {
        const original = sealObject(key, kind, plaintext, salt);
        const bytes = mutate(original, mutations);
        const result = attempt(() => openObject(key, kind, bytes, 'manifests/o', withName ? objectName(original) : undefined));
        if (result.ok) {
          expect(bytes).toEqual(original); // only a no-op mutation may open
          expect(result.value).toEqual(plaintext);
        } else expectDocumented(result.error, HEADER_CODES, 'manifests/o');
      }),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);
});

// ---------- recovery key ----------

describe('parseRecoveryKey', () => {
  /** Keys whose text starts with "E1K", which a typo-tolerant reader may see typed as "ELK". */
  const startsWithE1K = (key: Buffer) => {
    const k = Buffer.from(key);
    k[0] = 0x70; // 01110 000..: E (14), then 0 0001 → 1
    k[1] = ((k[1] as number) & 1) | 0x66; // ..01 10011 x → K (19)
    return k;
  };
  const keyArb = fc.oneof(bytesArb(RECOVERY_KEY_BYTES), bytesArb(RECOVERY_KEY_BYTES).map(startsWithE1K));
  const typoOf: Record<string, readonly string[]> = { '0': ['O', 'o'], '1': ['I', 'i', 'L', 'l'] };

  it('round-trips every key, in any case, with any separators, with or without prefix, with O/0 and I/L/1 typos', () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.record({
          lower: fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }),
          typo: fc.array(fc.nat(3), { minLength: 36, maxLength: 36 }),
          typoOn: fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }),
          separator: fc.constantFrom('-', ' ', '', '  ', ' - ', '\n', '\t', '\u00a0'),
          prefix: fc.constantFrom('ELK', 'elk', 'Elk', ''),
          pad: fc.constantFrom('', ' ', '\n', '  \t', '\r\n'),
        }),
        (key, v) => {
          const text = formatRecoveryKey(key);
          expect(text).toMatch(/^ELK(-[0-9A-HJKMNP-TV-Z]{4}){9}$/);
          const chars = [...text.split('-').slice(1).join('')].map((c, i) => {
            const options = typoOf[c];
            const typed = options !== undefined && v.typoOn[i] === true ? (options[(v.typo[i] as number) % options.length] as string) : c;
            return v.lower[i] === true ? typed.toLowerCase() : typed;
          });
          const groups = Array.from({ length: 9 }, (_, g) => chars.slice(g * 4, g * 4 + 4).join(''));
          const typed = v.pad + (v.prefix === '' ? '' : v.prefix + v.separator) + groups.join(v.separator) + v.pad;
          expect(parseRecoveryKey(typed)).toEqual(key);
        },
      ),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);

  it('a key typed without prefix that starts with E1K, typed ELK, still parses', () => {
    const key = startsWithE1K(Buffer.alloc(RECOVERY_KEY_BYTES, 0x5a));
    const body = formatRecoveryKey(key).slice('ELK-'.length);
    expect(body.startsWith('E1K')).toBe(true);
    expect(parseRecoveryKey(body)).toEqual(key);
    expect(parseRecoveryKey(`ELK${body.replace('1', 'L')}`)).toEqual(key);
    expect(parseRecoveryKey(body.replace('1', 'L'))).toEqual(key);
  });

  it('random text and mutated keys: a 20-byte key or INVALID_RECOVERY_KEY', () => {
    const alphabetChar = fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZabcxyzILOUilou- '.split(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.string({ unit: alphabetChar, minLength: 30, maxLength: 50 }),
          fc.tuple(bytesArb(RECOVERY_KEY_BYTES), mutationsArb).map(([k, m]) => mutate(Buffer.from(formatRecoveryKey(k), 'latin1'), m).toString('latin1')),
          fc.tuple(bytesArb(RECOVERY_KEY_BYTES), fc.nat(), alphabetChar).map(([k, at, c]) => {
            const t = formatRecoveryKey(k);
            const i = at % t.length;
            return t.slice(0, i) + c + t.slice(i + 1);
          }),
        ),
        (text) => {
          const result = attempt(() => parseRecoveryKey(text));
          if (!result.ok) return expectDocumented(result.error, ['INVALID_RECOVERY_KEY'], undefined);
          expect(result.value.length).toBe(RECOVERY_KEY_BYTES);
          expect(parseRecoveryKey(formatRecoveryKey(result.value))).toEqual(result.value);
        },
      ),
      FC_OPTIONS,
    );
  }, TEST_TIMEOUT);
});

// ---------- packs, through a tiny real locker ----------

describe('checkPack on a real pack', () => {
  let storeDir: string;
  let repo: Repository;
  let pool: CryptoPool;
  let entry: PackEntry;
  let original: Buffer;
  let plainBytes: number;

  beforeAll(async () => {
    storeDir = join(tempDir(), 'store');
    const kdf: KdfParams = { algorithm: 'argon2id', memoryKiB: KDF_LIMITS.minMemoryKiB, iterations: KDF_LIMITS.minIterations, parallelism: KDF_LIMITS.minParallelism, salt: Buffer.alloc(16, 1) };
    ({ repo } = await createRepository(new LocalStore(storeDir), PASSPHRASE, kdf));
    pool = new CryptoPool(repo.keys, 1);
    const lengths = [1000, 17, 5000, 1];
    const plain = Buffer.alloc(lengths.reduce((a, b) => a + b), 0).map((_, i) => (i * 7) & 0xff);
    plainBytes = plain.length;
    let at = 0;
    const { ids, tags, bodies } = await encryptChunks(pool, lengths.map((length) => plain.subarray(at, (at += length))));
    const writer = new PackWriter(repo.store);
    for (const [i, body] of bodies.entries()) {
      await writer.add(ids.subarray(i * 32, i * 32 + 32), body, tags.subarray(i * 16, i * 16 + 16));
    }
    const written = await writer.finish();
    expect(written).toHaveLength(1);
    entry = written[0] as PackEntry;
    original = await repo.store.get(packName(entry.pack));
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await pool.close();
  });

  const packPath = () => join(storeDir, ...packName(entry.pack).split('/'));

  it('authenticates the untouched pack', async () => {
    expect(await checkPack(repo, pool, entry, true)).toBe(plainBytes);
  });

  it('detects any change to the pack bytes, naming the pack', async () => {
    await fc.assert(
      fc.asyncProperty(mutationsArb, fc.boolean(), async (mutations, checkIds) => {
        const bytes = mutate(original, mutations);
        writeFileSync(packPath(), bytes);
        const result = await attemptAsync(() => checkPack(repo, pool, entry, checkIds));
        if (result.ok) {
          expect(bytes).toEqual(original);
          expect(result.value).toBe(plainBytes);
        } else expectDocumented(result.error, HEADER_CODES, packName(entry.pack));
      }),
      { ...FC_OPTIONS, numRuns: 150 },
    );
    writeFileSync(packPath(), original);
  }, TEST_TIMEOUT);

  it('refuses index entries that do not describe the pack', async () => {
    writeFileSync(packPath(), original);
    await fc.assert(
      fc.asyncProperty(mutationsArb, async (mutations) => {
        const parsed = attempt(() => decodeIndex(mutate(encodeIndex([entry]), mutations), 'indexes/x'));
        if (!parsed.ok || parsed.value.length !== 1) return;
        const changed = parsed.value[0] as PackEntry;
        const result = await attemptAsync(() => checkPack(repo, pool, changed, true));
        if (result.ok) {
          expect(changed).toEqual(entry);
          return;
        }
        if (changed.pack !== entry.pack) expect(result.error.code).toBe('OBJECT_MISSING');
        else expectDocumented(result.error, HEADER_CODES, packName(entry.pack));
      }),
      { ...FC_OPTIONS, numRuns: 150 },
    );
  }, TEST_TIMEOUT);
});
