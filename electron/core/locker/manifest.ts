/**
 * Manifests: one snapshot of a home folder (docs/FORMAT.md §8). Plaintext is
 * raw-DEFLATE-compressed UTF-8 JSON, sealed as object kind 5. Names, sizes,
 * times and the tree exist only here. Manifests name their parents, carry a
 * sequence number (rollback detection) and the keyslots generation current when
 * they were written (keyslot replay detection).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { corrupted } from './object-header.js';

export interface DirEntry { readonly path: string; readonly type: 'dir'; readonly mode: number; readonly mtimeNs: string }
export interface FileEntry { readonly path: string; readonly type: 'file'; readonly mode: number; readonly mtimeNs: string; readonly size: number; readonly chunks: readonly string[] }
export interface SymlinkEntry { readonly path: string; readonly type: 'symlink'; readonly target: string; readonly mtimeNs: string }
export type Entry = DirEntry | FileEntry | SymlinkEntry;

export interface Manifest {
  readonly format: 1;
  readonly locker: string;
  readonly seq: number;
  readonly parents: readonly string[];
  readonly created: string;
  readonly keyslotGeneration: number;
  readonly indexes: readonly string[];
  readonly entries: readonly Entry[];
}

const MAX_PLAINTEXT = 1024 * 1024 * 1024;
const HEX64 = /^[0-9a-f]{64}$/;
/** Nanoseconds since 1970; negative before it (files really carry such times). */
const NS = /^-?\d{1,24}$/;

export function encodeManifest(manifest: Manifest): Buffer {
  return deflateRawSync(Buffer.from(JSON.stringify(manifest), 'utf8'));
}

/**
 * Path rules: relative, '/'-separated, no empty, '.' or '..' segments, no NUL.
 * A backslash is an ordinary name character on Linux and macOS, and seal stores
 * such names, so refusing them everywhere made a locked locker unopenable; only
 * on Windows, where it separates folders, is it unsafe.
 */
export function isSafeRelativePath(path: string, windows: boolean = process.platform === 'win32'): boolean {
  if (path.length === 0 || path.includes('\0') || path.startsWith('/') || (windows && path.includes('\\'))) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/**
 * Sort order of entries: segment by segment, each compared as UTF-8 bytes, so a
 * folder comes right before its content (a depth-first walk).
 */
export function comparePaths(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const x = sa[i] as string;
    const y = sb[i] as string;
    if (x !== y) return Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
  }
  return sa.length - sb.length;
}

export function decodeManifest(compressed: Buffer, subject: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(inflateRawSync(compressed, { maxOutputLength: MAX_PLAINTEXT }).toString('utf8'));
  } catch {
    throw corrupted(subject, 'its content is not a valid manifest');
  }
  return checkManifest(raw, subject);
}

function checkManifest(raw: unknown, subject: string): Manifest {
  const fail = (why: string): never => {
    throw corrupted(subject, why);
  };
  if (typeof raw !== 'object' || raw === null) fail('it is not an object');
  const m = raw as Record<string, unknown>;
  if (m.format !== 1) fail('unknown manifest format');
  if (typeof m.locker !== 'string' || !/^[0-9a-f]{32}$/.test(m.locker)) fail('no valid locker id');
  if (!Number.isSafeInteger(m.seq) || (m.seq as number) < 1) fail('no valid sequence number');
  if (!Number.isSafeInteger(m.keyslotGeneration) || (m.keyslotGeneration as number) < 1) fail('no valid keyslot generation');
  if (typeof m.created !== 'string' || Number.isNaN(Date.parse(m.created))) fail('no valid creation time');
  for (const key of ['parents', 'indexes'] as const) {
    const list = m[key];
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && HEX64.test(x))) fail(`invalid ${key} list`);
  }
  if (!Array.isArray(m.entries)) fail('no entry list');
  const entries = m.entries as unknown[];
  const kinds = new Map<string, Entry['type']>();
  let previous: string | undefined;
  for (const rawEntry of entries) {
    const e = (typeof rawEntry === 'object' && rawEntry !== null ? rawEntry : fail('an entry is not an object')) as Record<string, unknown>;
    const path = e.path;
    if (typeof path !== 'string' || !isSafeRelativePath(path)) fail(`an entry has an unsafe path ${JSON.stringify(path)}`);
    const p = path as string;
    if (previous !== undefined && comparePaths(previous, p) >= 0) fail('entries are not in order or repeat a path');
    previous = p;
    const slash = p.lastIndexOf('/');
    if (slash >= 0 && kinds.get(p.slice(0, slash)) !== 'dir') fail(`entry ${JSON.stringify(p)} has no parent folder entry`);
    if (typeof e.mtimeNs !== 'string' || !NS.test(e.mtimeNs)) fail(`entry ${JSON.stringify(p)} has no valid time`);
    if (e.type === 'dir' || e.type === 'file') {
      if (!Number.isInteger(e.mode) || (e.mode as number) < 0 || (e.mode as number) > 0o7777) fail(`entry ${JSON.stringify(p)} has an invalid mode`);
    }
    if (e.type === 'file') {
      if (!Number.isSafeInteger(e.size) || (e.size as number) < 0) fail(`entry ${JSON.stringify(p)} has an invalid size`);
      if (!Array.isArray(e.chunks) || !e.chunks.every((c) => typeof c === 'string' && HEX64.test(c))) fail(`entry ${JSON.stringify(p)} has invalid chunks`);
    } else if (e.type === 'symlink') {
      if (typeof e.target !== 'string' || e.target.length === 0 || e.target.includes('\0')) fail(`entry ${JSON.stringify(p)} has an invalid link target`);
    } else if (e.type !== 'dir') {
      fail(`entry ${JSON.stringify(p)} has unknown type`);
    }
    kinds.set(p, e.type as Entry['type']);
  }
  return m as unknown as Manifest;
}
