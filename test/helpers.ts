/**
 * Shared test fixtures: temp folders, a tree with every file kind, tree
 * snapshots for byte-exact comparison, and the CLI run as a real process.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineContext } from '../electron/core/service/lockers.js';
import type { Credential } from '../electron/core/locker/keyslots.js';
import type { CryptoPool } from '../electron/core/locker/crypto-pool.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'bin', 'envelock.js');
export const PASSPHRASE = 'correct horse battery staple';
export const PASS: Credential = { kind: 'passphrase', passphrase: PASSPHRASE };

const made: string[] = [];
export function tempDir(prefix = 'envelock-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A context on a fresh config folder; KDF calibration aims low (the floor still applies). */
export function testContext(configDir = tempDir('envelock-cfg-')): EngineContext {
  return { configDir, kdfTargetMs: 50, warn: () => undefined };
}

/** A folder with every kind of entry the format must carry. */
export function makeRichTree(root: string): void {
  mkdirSync(join(root, 'docs', 'nested', 'deeper'), { recursive: true });
  mkdirSync(join(root, 'empty-folder'));
  writeFileSync(join(root, 'hello.txt'), 'hello, locker\n');
  writeFileSync(join(root, 'empty-file'), '');
  writeFileSync(join(root, 'docs', 'random.bin'), randomBytes(3 * 1024 * 1024 + 17));
  writeFileSync(join(root, 'docs', 'nested', 'deeper', 'note.md'), '# deep\n');
  writeFileSync(join(root, 'docs', 'nested', 'ünïcödé 文件 📁.txt'), 'unicode name\n');
  writeFileSync(join(root, `${'l'.repeat(240)}.txt`), 'long name\n');
  writeFileSync(join(root, 'script.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'script.sh'), 0o750);
  writeFileSync(join(root, 'readonly.txt'), 'read only\n');
  chmodSync(join(root, 'readonly.txt'), 0o444);
  symlinkSync('hello.txt', join(root, 'link-to-hello'));
  symlinkSync('../outside/target', join(root, 'docs', 'dangling-link'));
  utimesSync(join(root, 'hello.txt'), new Date('2001-02-03T04:05:06.789Z'), new Date('2001-02-03T04:05:06.789Z'));
}

export interface TreeEntry {
  type: 'dir' | 'file' | 'symlink';
  mode: number;
  mtimeUs: number;
  sha256?: string;
  target?: string;
}

/**
 * Everything a round trip must preserve, keyed by relative path (microsecond
 * mtimes). Sockets and FIFOs are left out: lockers do not store them (and
 * reading a FIFO would block).
 */
export function snapshotTree(root: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(abs, { bigint: true });
      const base = { mode: Number(st.mode & 0o7777n), mtimeUs: Number(st.mtimeNs / 1000n) };
      if (st.isDirectory()) {
        out[path] = { type: 'dir', ...base };
        walk(abs, path);
      } else if (st.isSymbolicLink()) {
        out[path] = { type: 'symlink', mode: 0, mtimeUs: base.mtimeUs, target: readlinkSync(abs) };
      } else if (st.isFile()) {
        out[path] = { type: 'file', ...base, sha256: createHash('sha256').update(readFileSync(abs)).digest('hex') };
      }
    }
  };
  walk(root, '');
  return out;
}

/** Every store object (tmp/ excluded) → SHA-256 of its bytes. */
export function storeHashes(store: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(store, rel), { withFileTypes: true })) {
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (name === 'tmp') continue;
      if (entry.isDirectory()) walk(name);
      else out[name] = createHash('sha256').update(readFileSync(join(store, name))).digest('hex');
    }
  };
  walk('');
  return out;
}

/** Every regular file under a folder, as a path → content map. */
export function filesUnder(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const st = lstatSync(abs);
      if (st.isDirectory()) walk(abs);
      else if (st.isFile()) out.set(abs, readFileSync(abs));
    }
  };
  walk(root);
  return out;
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
}

/** Runs the built CLI (`npm test` builds first) as a separate process. */
export function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): CliResult {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ENVELOCK_PASSPHRASE: PASSPHRASE, ENVELOCK_KDF_TARGET_MS: '50', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
    json: () => JSON.parse(result.stdout) as Record<string, unknown>,
  };
}

/** Encrypts whole chunks through the real crypto workers; bodies come back as separate buffers. */
export async function encryptChunks(pool: CryptoPool, plains: readonly Uint8Array[]): Promise<{ ids: Buffer; tags: Buffer; bodies: Buffer[] }> {
  const lengths = plains.map((p) => p.length);
  const total = lengths.reduce((a, b) => a + b, 0);
  const data = new ArrayBuffer(Math.max(1, total));
  Buffer.from(data).set(Buffer.concat(plains));
  const { ids, tags, out } = await pool.encrypt(data, lengths.map((length) => ({ length })), new ArrayBuffer(Math.max(1, total)));
  let at = 0;
  const bodies = lengths.map((length) => Buffer.from(out).subarray(at, (at += length)));
  return { ids, tags, bodies };
}
