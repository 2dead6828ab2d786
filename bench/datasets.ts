// Dataset generators and tree helpers for the benchmark harness.
// All file contents are fresh random bytes (crypto.randomFillSync in 16 MiB slices),
// so neither compression nor deduplication can make any tool look faster than it is.
// Sizes and layout come from a seeded PRNG, so every run uses the same shapes.

import { randomFillSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, openSync, readSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

const SLICE = 16 * MiB;
let scratch: Buffer | undefined;
function scratchBuf(): Buffer {
  scratch ??= Buffer.allocUnsafe(SLICE);
  return scratch;
}

/** Small deterministic PRNG (mulberry32), for sizes and layout only; never for content. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `size` fresh random bytes to `path` (created or truncated). */
export function writeRandomFile(path: string, size: number): void {
  const buf = scratchBuf();
  const fd = openSync(path, 'w');
  try {
    let left = size;
    while (left > 0) {
      const n = Math.min(left, SLICE);
      randomFillSync(buf, 0, n);
      let off = 0;
      while (off < n) off += writeSync(fd, buf, off, n - off);
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Leaf folder paths of a two-level tree with about `leaves` leaf folders (d00/s00 ...). */
function leafFolders(root: string, leaves: number): string[] {
  const top = Math.max(1, Math.round(Math.sqrt(leaves)));
  const out: string[] = [];
  for (let i = 0; out.length < leaves; i++) {
    const d = join(root, `d${String(i % top).padStart(2, '0')}`, `s${String(Math.floor(i / top)).padStart(2, '0')}`);
    mkdirSync(d, { recursive: true });
    out.push(d);
  }
  return out;
}

/** `count` files of uniformly random size in [minBytes, maxBytes], spread over ~`leaves` nested folders. */
export function writeSmallFiles(root: string, count: number, leaves: number, minBytes: number, maxBytes: number, seed: number): void {
  const rnd = prng(seed);
  const dirs = leafFolders(root, leaves);
  for (let i = 0; i < count; i++) {
    const size = minBytes + Math.floor(rnd() * (maxBytes - minBytes + 1));
    const dir = dirs[i % dirs.length] as string;
    writeRandomFile(join(dir, `f${String(i).padStart(5, '0')}.bin`), size);
  }
}

export interface DatasetSpec {
  id: string;
  title: string;
  /** Fills the (existing, empty) folder. */
  generate(dir: string): void;
}

/** The three comparison datasets; `scale` is 1 for the full run, 1/16 for --quick. */
export function comparisonDatasets(scale: number): DatasetSpec[] {
  const bigFile = Math.round(GiB * scale);
  const smallCount = Math.max(16, Math.round(10_000 * scale));
  const mixBig = Math.round(100 * MiB * scale);
  const mixSmall = Math.max(16, Math.round(2_000 * scale));
  return [
    {
      id: 'large',
      title: `1 file of ${fmtBytes(bigFile)}`,
      generate: (dir) => writeRandomFile(join(dir, 'large.bin'), bigFile),
    },
    {
      id: 'small',
      title: `${smallCount.toLocaleString('en-US')} files of 1–64 KiB in ~100 folders`,
      generate: (dir) => writeSmallFiles(dir, smallCount, 100, KiB, 64 * KiB, 0x5eed0001),
    },
    {
      id: 'mix',
      title: `3 × ${fmtBytes(mixBig)} + ${mixSmall.toLocaleString('en-US')} files of 1–64 KiB`,
      generate: (dir) => {
        for (let i = 0; i < 3; i++) writeRandomFile(join(dir, `big-${i}.bin`), mixBig);
        writeSmallFiles(join(dir, 'small'), mixSmall, 20, KiB, 64 * KiB, 0x5eed0002);
      },
    },
  ];
}

/** The incremental re-seal dataset: 100 files of `fileSize` bytes in 10 folders. */
export function writeIncrementalDataset(dir: string, fileSize: number): string[] {
  const files: string[] = [];
  for (let i = 0; i < 100; i++) {
    const sub = join(dir, `part-${String(Math.floor(i / 10)).padStart(2, '0')}`);
    mkdirSync(sub, { recursive: true });
    const f = join(sub, `chunk-${String(i).padStart(3, '0')}.bin`);
    writeRandomFile(f, fileSize);
    files.push(f);
  }
  return files;
}

// ---------------------------------------------------------------------------
// Tree helpers

export interface TreeEntry {
  rel: string;
  size: number;
}

/** Regular files under `root`, sorted by relative path (symlinks and specials ignored). */
export function listFiles(root: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, d.name);
      const r = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) walk(abs, r);
      else if (d.isFile()) out.push({ rel: r, size: lstatSync(abs).size });
    }
  };
  walk(root, '');
  out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return out;
}

export function treeStats(root: string): { files: number; bytes: number } {
  const l = listFiles(root);
  return { files: l.length, bytes: l.reduce((s, e) => s + e.size, 0) };
}

/** Number of entries (of any kind) directly in `dir`; -1 if it does not exist. */
export function entryCount(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return -1;
  }
}

/** Byte-for-byte comparison of two trees. Returns null if identical, else a reason. */
export function compareTrees(a: string, b: string): string | null {
  const la = listFiles(a);
  const lb = listFiles(b);
  if (la.length !== lb.length) return `file count differs: ${la.length} vs ${lb.length}`;
  const bufA = Buffer.allocUnsafe(4 * MiB);
  const bufB = Buffer.allocUnsafe(4 * MiB);
  for (let i = 0; i < la.length; i++) {
    const ea = la[i] as TreeEntry;
    const eb = lb[i] as TreeEntry;
    if (ea.rel !== eb.rel) return `path differs: ${ea.rel} vs ${eb.rel}`;
    if (ea.size !== eb.size) return `size differs for ${ea.rel}: ${ea.size} vs ${eb.size}`;
    const fa = openSync(join(a, ea.rel), 'r');
    const fb = openSync(join(b, eb.rel), 'r');
    try {
      let pos = 0;
      while (pos < ea.size) {
        const na = readSync(fa, bufA, 0, bufA.length, pos);
        const nb = readSync(fb, bufB, 0, na, pos);
        if (na === 0 || nb !== na || bufA.compare(bufB, 0, nb, 0, na) !== 0) return `content differs in ${ea.rel} near byte ${pos}`;
        pos += na;
      }
    } finally {
      closeSync(fa);
      closeSync(fb);
    }
  }
  return null;
}

/** Untimed copy of the contents of `src` into `dst` (created). */
export function copyTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  const r = spawnSync('cp', ['-r', `${src}/.`, dst], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`cp -r ${src}/. ${dst} failed: ${r.stderr.toString()}`);
}

export function removeTree(dir: string): void {
  // rm -rf is much faster than fs.rmSync on trees with many files.
  spawnSync('rm', ['-rf', '--', dir], { stdio: 'ignore' });
}

export function fmtBytes(n: number): string {
  if (n >= GiB && n % GiB === 0) return `${n / GiB} GiB`;
  if (n >= GiB) return `${(n / GiB).toFixed(2)} GiB`;
  if (n >= MiB) return `${Number.isInteger(n / MiB) ? n / MiB : (n / MiB).toFixed(2)} MiB`;
  if (n >= KiB) return `${(n / KiB).toFixed(1)} KiB`;
  return `${n} B`;
}
