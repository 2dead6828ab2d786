// Envelock benchmark: `npx tsx bench/run.ts [--quick] [--json FILE]` (npm run bench).
//
// Measures, in one run and on the same data, the envelock CLI (init / lock / unlock /
// seal) against `cp -r` (the I/O floor), tar | age, and restic, on three datasets:
//   large: one 1 GiB file;  small: 10,000 files of 1–64 KiB in ~100 folders;
//   mix:   3 × 100 MiB + 2,000 files of 1–64 KiB.
// plus the unlock latency of an empty locker (≈ one KDF + process start), and the bytes
// an incremental re-seal adds after rewriting one 10 MiB file of a 1000 MiB locker.
//
// Method: paired, alternating runs (A B C D, then D C B A), fresh output folders for
// every run, medians; each timed run starts after an untimed `sync` and includes a
// timed syncfs() of its output (see bench/measure.ts). Progress goes to stderr; the
// final markdown report goes to stdout.
//
// Options:
//   --quick        1/16 of the data sizes, 1 pair unless --pairs is given (smoke test)
//   --json FILE    also write all results (every run) as JSON
//   --pairs N      pairs per dataset (default 3; fewer if the time box says so)
//   --no-flush     do not include syncfs() of the output in the timings
//   --cli PATH     the CLI to run (default: <repo>/bin/envelock.js)
//   --skip-ours    run the baselines only (exit 0 even without the CLI)
//   --keep         keep the temp folder (its path is printed)

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { availableParallelism, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ageKeygen, ageTask, cpTask, detectTool, resticInit, resticEnv, resticTask, type AgeKey, type ToolInfo } from './baselines.js';
import {
  GiB,
  MiB,
  comparisonDatasets,
  fmtBytes,
  listFiles,
  removeTree,
  treeStats,
  writeIncrementalDataset,
  writeRandomFile,
} from './datasets.js';
import {
  failureReason,
  flushIsOn,
  median,
  rssMethod,
  runPairs,
  runTimed,
  Samples,
  setFlush,
  type PairTask,
  type RunResult,
  type SectionContext,
} from './measure.js';
import { timeKdf } from './kdf.js';
import { KDF_TARGET_MS, Locker, oursTask, PASSPHRASE, probeCli } from './ours.js';

// ---------------------------------------------------------------------------
// Options

interface Options {
  quick: boolean;
  json: string | null;
  pairs: number;
  flush: boolean;
  cli: string | undefined;
  skipOurs: boolean;
  keep: boolean;
}

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: npx tsx bench/run.ts [--quick] [--json FILE] [--pairs N] [--no-flush] [--cli PATH] [--skip-ours] [--keep]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  let pairsGiven = false;
  const o: Options = { quick: false, json: null, pairs: 3, flush: true, cli: undefined, skipOurs: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--quick':
        o.quick = true;
        break;
      case '--json':
        o.json = resolve(value());
        break;
      case '--pairs': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) usage('--pairs needs a positive integer');
        o.pairs = n;
        pairsGiven = true;
        break;
      }
      case '--no-flush':
        o.flush = false;
        break;
      case '--cli':
        o.cli = resolve(value());
        break;
      case '--skip-ours':
        o.skipOurs = true;
        break;
      case '--keep':
        o.keep = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
        process.exit(0);
        break;
      default:
        usage(`unknown argument: ${String(a)}`);
    }
  }
  if (o.quick && !pairsGiven) o.pairs = 1;
  return o;
}

// ---------------------------------------------------------------------------
// Time box: the full run must stay under 10 minutes on 2 cores.

const SEC = 1000;
const TOTAL_BUDGET_MS = 540 * SEC; // soft: sections are planned to fit in 9 min
const HARD_DEADLINE_MS = 585 * SEC; // no timed run may go past this
const BUDGET_MS: Record<string, number> = {
  latency: 25 * SEC,
  large: 190 * SEC,
  small: 120 * SEC,
  mix: 95 * SEC,
  incremental: 90 * SEC,
};
const RUN_TIMEOUT_MS = 240 * SEC;

// ---------------------------------------------------------------------------
// Logging

const t0 = performance.now();
function log(msg: string): void {
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);
}

function sh(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// ---------------------------------------------------------------------------
// Machine facts

interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  memTotal: string;
  kernel: string;
  node: string;
  tmpDir: string;
  tmpFs: string;
  gitCommit: string | null;
  rssMethod: string;
  loadAvgStart: number | null;
  /**
   * User-mode CPU seconds used during the run by processes outside this benchmark's
   * tree, plus hypervisor steal. Kernel time is left out on purpose: page-cache
   * writeback caused by the benchmark itself runs in kernel threads.
   */
  otherCpuSec: number | null;
  /** otherCpuSec as a share of nproc × wall time. */
  otherCpuShare: number | null;
}

function loadAvg(): number | null {
  try {
    const v = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

const CLK_TCK = Number(sh('getconf', ['CLK_TCK'])) || 100;
/** Above this share of the machine used by other processes, the report carries a warning. */
const BUSY_SHARE = 0.05;

/**
 * CPU seconds: user-mode time of the whole machine plus steal (/proc/stat), and
 * user-mode time of this process plus its waited-for children (/proc/self/stat
 * utime + cutime). The difference over the run is other work competing with us.
 */
function cpuSnapshot(): { machine: number; self: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, , , , , , steal = 0] = cpu;
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // After "pid (comm) ", field 3 (state) is f[0]; utime is field 14 (f[11]), cutime field 16 (f[13]).
    const self = (f[11] ?? 0) + (f[13] ?? 0);
    return { machine: (user + nice + steal) / CLK_TCK, self: self / CLK_TCK };
  } catch {
    return null;
  }
}

function machineInfo(work: string, repoRoot: string): MachineInfo {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    /* not Linux */
  }
  const nproc = Number(sh('nproc', [])) || availableParallelism();
  return {
    date: new Date().toISOString(),
    nproc,
    cpuModel,
    memTotal: fmtBytes(totalmem()),
    kernel: `Linux ${release()}`,
    node: process.version,
    tmpDir: tmpdir(),
    tmpFs: sh('findmnt', ['-n', '-o', 'FSTYPE', '-T', work]) ?? 'unknown',
    gitCommit: sh('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']),
    rssMethod: rssMethod === 'gnu-time' ? '/usr/bin/time -f %M (ru_maxrss)' : '/proc/<pid>/status VmHWM polling (10 ms)',
    loadAvgStart: loadAvg(),
    otherCpuSec: null,
    otherCpuShare: null,
  };
}

// ---------------------------------------------------------------------------
// Results beyond the per-dataset samples

interface Extra {
  section: string;
  name: string;
  value: string;
  raw: number | null;
  target: string;
  status: 'met' | 'NOT met' | '' | 'n/a';
  note: string;
}

interface Skip {
  section: string;
  what: string;
  reason: string;
}

interface DatasetMeta {
  id: string;
  title: string;
  files: number;
  bytes: number;
  generateMs: number;
  pairs: number;
}

const sec = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const medianOk = (runs: RunResult[]): number | null => {
  const ok = runs.filter((r) => r.ok).map((r) => r.totalMs);
  return ok.length === 0 ? null : median(ok);
};

// ---------------------------------------------------------------------------
// Sections

interface Env {
  opts: Options;
  scale: number;
  work: string;
  samples: Samples;
  extras: Extra[];
  skips: Skip[];
  datasets: DatasetMeta[];
  tools: { age: ToolInfo; restic: ToolInfo; ageKeygen: ToolInfo };
  cli: string | null;
  failures: string[];
  ageKey?: AgeKey;
  /** Time to reserve for removing a section's outputs (the slowest seen so far). */
  cleanupReserveMs: number;
}

function deadlineLeft(): number {
  return t0 + HARD_DEADLINE_MS - performance.now();
}

function runTimeout(): number {
  return Math.max(30 * SEC, Math.min(RUN_TIMEOUT_MS, deadlineLeft()));
}

function sectionAllowed(e: Env, section: string, what: string): boolean {
  // Start a section only if its budget still fits before the soft total budget,
  // or at least half of it does before the hard deadline.
  const left = t0 + TOTAL_BUDGET_MS - e.cleanupReserveMs - performance.now();
  const need = (BUDGET_MS[section] ?? 60 * SEC) * (e.opts.quick ? 0.1 : 1);
  if (left < need / 2 || deadlineLeft() < need / 2) {
    e.skips.push({ section, what, reason: `time box: only ${(left / 1000).toFixed(0)} s of the 9-min budget left` });
    log(`skipping ${what}: time box`);
    return false;
  }
  return true;
}

async function latencySection(e: Env): Promise<void> {
  if (e.cli === null) return;
  if (!sectionAllowed(e, 'latency', 'unlock latency')) return;
  log('section: latency (empty locker)');
  const dir = join(e.work, 'latency');
  mkdirSync(dir, { recursive: true });
  const timeout = runTimeout();

  const help: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await runTimed(process.execPath, [e.cli, '--help'], { label: 'envelock --help', timeoutMs: timeout });
    if (r.ok) help.push(r.totalMs);
  }
  const nodeBare: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await runTimed(process.execPath, ['-e', '0'], { label: 'node -e 0', timeoutMs: timeout });
    if (r.ok) nodeBare.push(r.cmdMs);
  }

  const locker = new Locker(e.cli, join(dir, 'locker'), 'bench-empty');
  const init = await locker.init(timeout);
  const lockMs: number[] = [];
  const unlockMs: number[] = [];
  const unlockRss: number[] = [];
  if (!init.ok) {
    e.failures.push(`latency: init of an empty folder failed: ${failureReason(init)}`);
    log(`  init FAILED: ${failureReason(init)}`);
  } else {
    for (let i = 0; i < 3; i++) {
      const l = await locker.op('lock', timeout);
      if (!l.ok) {
        e.failures.push(`latency: lock of an empty locker failed: ${failureReason(l)}`);
        log(`  lock FAILED: ${failureReason(l)}`);
        break;
      }
      lockMs.push(l.totalMs);
      const u = await locker.op('unlock', timeout);
      if (!u.ok) {
        e.failures.push(`latency: unlock of an empty locker failed: ${failureReason(u)}`);
        log(`  unlock FAILED: ${failureReason(u)}`);
        break;
      }
      unlockMs.push(u.totalMs);
      if (u.peakRssKiB !== null) unlockRss.push(u.peakRssKiB);
    }
  }
  const add = (name: string, xs: number[], note: string): void => {
    const m = xs.length > 0 ? median(xs) : null;
    e.extras.push({ section: 'latency', name, value: m === null ? 'failed' : `${sec(m)} s`, raw: m, target: '', status: '', note });
  };
  add('Node start (`node -e 0`)', nodeBare, 'reference: process start alone');
  add('CLI start (`envelock --help`)', help, '');
  e.extras.push({
    section: 'latency',
    name: `init of an empty folder (KDF calibration, ENVELOCK_KDF_TARGET_MS=${KDF_TARGET_MS})`,
    value: init.ok ? `${sec(init.totalMs)} s` : 'failed',
    raw: init.ok ? init.totalMs : null,
    target: '',
    status: '',
    note: '1 run',
  });
  if (init.ok) {
    const kdf = await timeKdf(locker.store, PASSPHRASE);
    const m = median(kdf.ms);
    const met = m >= 300 && m <= 1500 && kdf.atLeastFloor;
    e.extras.push({
      section: 'latency',
      name: '**KDF alone** (Argon2id, as calibrated by init)',
      value: `${sec(m)} s`,
      raw: m,
      target: '0.3–1.5 s, ≥ m=64 MiB t=3 p=4',
      status: met ? 'met' : 'NOT met',
      note: `m=${kdf.memoryKiB / 1024} MiB, t=${kdf.iterations}, p=${kdf.parallelism}; median of ${kdf.ms.length}, in-process`,
    });
  }
  add('lock of an empty locker', lockMs, `median of ${lockMs.length}`);
  add('**unlock latency incl. KDF** (empty locker)', unlockMs, `median of ${unlockMs.length}; ≈ one KDF + CLI start`);
  if (unlockRss.length > 0) {
    const m = median(unlockRss);
    e.extras.push({ section: 'latency', name: 'peak RSS of unlock (empty locker)', value: `${(m / 1024).toFixed(0)} MiB`, raw: m, target: '', status: '', note: 'mostly the KDF memory cost' });
  }
  removeTree(dir);
}

async function comparisonSection(e: Env, spec: ReturnType<typeof comparisonDatasets>[number]): Promise<void> {
  if (!sectionAllowed(e, spec.id, `dataset ${spec.title}`)) return;
  const start = performance.now();
  log(`section: ${spec.id} — ${spec.title}`);
  const src = join(e.work, `data-${spec.id}`);
  mkdirSync(src, { recursive: true });
  spec.generate(src);
  const stats = treeStats(src);
  const generateMs = performance.now() - start;
  log(`  generated ${stats.files} files, ${fmtBytes(stats.bytes)} in ${sec(generateMs)} s`);

  const runDir = join(e.work, `runs-${spec.id}`);
  mkdirSync(runDir, { recursive: true });
  const ctx: SectionContext = {
    dataset: spec.id,
    srcDir: src,
    srcFiles: stats.files,
    srcBytes: stats.bytes,
    runDir,
    samples: e.samples,
    timeoutMs: runTimeout(),
    log,
  };
  const tasks: PairTask[] = [cpTask(ctx)];
  if (e.tools.age.missing === null && e.tools.ageKeygen.missing === null) {
    e.ageKey ??= ageKeygen(join(e.work, 'age'));
    tasks.push(ageTask(ctx, e.ageKey));
  }
  if (e.tools.restic.missing === null) tasks.push(resticTask(ctx, true));
  if (e.cli !== null) tasks.push(oursTask(ctx, e.cli));

  const pairs = await runPairs({
    tasks,
    maxPairs: e.opts.pairs,
    budgetMs: (BUDGET_MS[spec.id] ?? 60 * SEC) * (e.opts.quick ? 0.25 : 1),
    sectionStart: start,
    deadline: t0 + TOTAL_BUDGET_MS - e.cleanupReserveMs,
    log,
  });
  e.datasets.push({ id: spec.id, title: spec.title, files: stats.files, bytes: stats.bytes, generateMs, pairs });
  log(`  cleaning up ${spec.id}`);
  timedCleanup(e, runDir, src);
}

async function incrementalSection(e: Env): Promise<void> {
  if (e.cli === null) return;
  if (!sectionAllowed(e, 'incremental', 'incremental re-seal')) return;
  const start = performance.now();
  const fileSize = Math.round(10 * MiB * e.scale);
  const total = 100 * fileSize;
  const targetBytes = Math.round(1.2 * fileSize);
  log(`section: incremental re-seal (100 files × ${fmtBytes(fileSize)} = ${fmtBytes(total)})`);
  const dir = join(e.work, 'incremental');
  const locker = new Locker(e.cli, join(dir, 'locker'), 'bench-incremental');
  const files = writeIncrementalDataset(locker.home, fileSize);
  const timeout = runTimeout();
  const push = (name: string, value: string, raw: number | null, target = '', status: Extra['status'] = '', note = ''): void => {
    e.extras.push({ section: 'incremental', name, value, raw, target, status, note });
  };
  const fail = (what: string, r: RunResult): void => {
    e.failures.push(`incremental: ${what} failed: ${failureReason(r)}`);
    log(`  ${what} FAILED: ${failureReason(r)}`);
    push(what, 'failed', null, '', 'n/a', failureReason(r));
  };

  const init = await locker.init(timeout);
  if (!init.ok) return fail('init', init);
  const s1 = await locker.op('seal', timeout);
  if (!s1.ok) return fail('first seal', s1);
  const size1 = storeBytes(locker.store);
  push(`first seal of ${fmtBytes(total)} (100 files)`, `${sec(s1.totalMs)} s`, s1.totalMs, '', '', `${(total / 1e6 / (s1.totalMs / 1000)).toFixed(0)} MB/s, peak RSS ${rssText(s1)}; store ${fmtBytes(size1)}`);

  const changed = files[37] as string;
  writeRandomFile(changed, fileSize);
  const s2 = await locker.op('seal', timeout);
  if (!s2.ok) return fail('re-seal after one change', s2);
  const size2 = storeBytes(locker.store);
  const added = size2 - size1;
  push(`re-seal after rewriting one ${fmtBytes(fileSize)} file`, `${sec(s2.totalMs)} s`, s2.totalMs, '', '', `peak RSS ${rssText(s2)}`);
  push(
    '**bytes added to the store by that re-seal**',
    fmtBytes(added),
    added,
    `≤ ${fmtBytes(targetBytes)} (1.2 × file)`,
    added <= targetBytes ? 'met' : 'NOT met',
    `${added.toLocaleString('en-US')} bytes`,
  );

  const s3 = await locker.op('seal', timeout);
  if (!s3.ok) return fail('re-seal without changes', s3);
  const size3 = storeBytes(locker.store);
  push('re-seal without changes', `${sec(s3.totalMs)} s`, s3.totalMs, '', '', `adds ${fmtBytes(size3 - size2)} to the store`);

  // Reference: what restic adds for the same change (if installed and time allows).
  if (e.tools.restic.missing === null && performance.now() - start < (BUDGET_MS['incremental'] ?? 0) * 0.5) {
    const repo = join(dir, 'restic-repo');
    const cache = join(dir, 'restic-cache');
    resticInit(repo, cache);
    const env = resticEnv(cache);
    const b1 = await runTimed('restic', ['-r', repo, '--cache-dir', cache, 'backup', '--quiet', locker.home], { label: 'restic backup', env, timeoutMs: timeout, flushPath: dir });
    if (b1.ok) {
      const r1 = storeBytes(repo);
      writeRandomFile(files[61] as string, fileSize);
      const b2 = await runTimed('restic', ['-r', repo, '--cache-dir', cache, 'backup', '--quiet', locker.home], { label: 'restic backup', env, timeoutMs: timeout, flushPath: dir });
      if (b2.ok) {
        const r2 = storeBytes(repo);
        push('reference: restic backup of the same change adds', fmtBytes(r2 - r1), r2 - r1, '', '', `restic: first backup ${sec(b1.totalMs)} s, incremental ${sec(b2.totalMs)} s`);
      }
    }
  } else if (e.tools.restic.missing === null) {
    e.skips.push({ section: 'incremental', what: 'restic reference for the incremental change', reason: 'time box' });
  }
  timedCleanup(e, dir);
}

/** The CLI's --json result, without the (throwaway) recovery key. */
function cliOutput(stdout: string): unknown {
  try {
    const v: unknown = JSON.parse(stdout);
    if (v !== null && typeof v === 'object' && 'recoveryKey' in v) return { ...v, recoveryKey: '(omitted)' };
    return v;
  } catch {
    return stdout.length > 0 ? stdout.slice(0, 2000) : null;
  }
}

/** Removes folders, and remembers the slowest cleanup so later time boxes reserve room for one. */
function timedCleanup(e: Env, ...dirs: string[]): void {
  const start = performance.now();
  for (const d of dirs) removeTree(d);
  e.cleanupReserveMs = Math.max(e.cleanupReserveMs, performance.now() - start);
}

function storeBytes(dir: string): number {
  return listFiles(dir).reduce((s, f) => s + f.size, 0);
}

function rssText(r: RunResult): string {
  return r.peakRssKiB === null ? '?' : `${(r.peakRssKiB / 1024).toFixed(0)} MiB`;
}

// ---------------------------------------------------------------------------
// Report

interface RatioRow {
  dataset: string;
  name: string;
  value: number | null;
  target: number | null;
  status: string;
}

const OPS: { tool: string; op: string; label: string }[] = [
  { tool: 'cp', op: 'copy', label: '`cp -r` (I/O floor)' },
  { tool: 'age', op: 'encrypt', label: '`tar \\| age -r` encrypt' },
  { tool: 'age', op: 'decrypt', label: '`age -d \\| tar -x` decrypt' },
  { tool: 'restic', op: 'backup', label: '`restic backup`' },
  { tool: 'restic', op: 'restore', label: '`restic restore`' },
  { tool: 'envelock', op: 'init', label: '**envelock init**' },
  { tool: 'envelock', op: 'lock', label: '**envelock lock**' },
  { tool: 'envelock', op: 'unlock', label: '**envelock unlock**' },
];

const RATIOS: { name: string; num: [string, string]; den: [string, string]; target: number | null }[] = [
  { name: 'lock / cp', num: ['envelock', 'lock'], den: ['cp', 'copy'], target: null },
  { name: 'lock / age encrypt', num: ['envelock', 'lock'], den: ['age', 'encrypt'], target: 1.5 },
  { name: 'lock / restic backup', num: ['envelock', 'lock'], den: ['restic', 'backup'], target: 0.5 },
  { name: 'unlock / cp', num: ['envelock', 'unlock'], den: ['cp', 'copy'], target: null },
  { name: 'unlock / age decrypt', num: ['envelock', 'unlock'], den: ['age', 'decrypt'], target: 1.0 },
  { name: 'unlock / restic restore', num: ['envelock', 'unlock'], den: ['restic', 'restore'], target: null },
];

function computeRatios(e: Env): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const d of e.datasets) {
    for (const r of RATIOS) {
      const num = e.samples.medianMs(d.id, r.num[0], r.num[1]);
      const den = e.samples.medianMs(d.id, r.den[0], r.den[1]);
      const value = num !== null && den !== null && den > 0 ? num / den : null;
      let status = '';
      if (value === null) {
        const missing = num === null ? `${r.num[0]} ${r.num[1]}` : `${r.den[0]} ${r.den[1]}`;
        status = `n/a (no ${missing} result)`;
      } else if (r.target !== null) {
        status = value <= r.target ? 'met' : '**NOT met**';
      }
      rows.push({ dataset: d.id, name: r.name, value, target: r.target, status });
    }
  }
  return rows;
}

function markdown(e: Env, m: MachineInfo, ratios: RatioRow[]): string {
  const L: string[] = [];
  L.push(`## Envelock benchmark${e.opts.quick ? ' (--quick: 1/16 scale, smoke run — not representative)' : ''}`);
  L.push('');
  L.push(`- Machine: ${m.nproc} × ${m.cpuModel}, ${m.memTotal} RAM, ${m.kernel}, temp folder on ${m.tmpFs} (${m.tmpDir})`);
  L.push(`- Node ${m.node}; ${[e.tools.age, e.tools.restic].map((t) => (t.missing === null ? `${t.name} ${t.version ?? ''}`.trim() : `${t.name}: not installed`)).join('; ')}`);
  L.push(`- Date: ${m.date}${m.gitCommit !== null ? `; commit ${m.gitCommit}` : ''}`);
  const busy = m.otherCpuShare !== null && m.otherCpuShare > BUSY_SHARE;
  L.push(
    `- Other processes during the run (user CPU + steal): ${m.otherCpuSec === null ? '?' : `${m.otherCpuSec.toFixed(0)} CPU-s (${((m.otherCpuShare ?? 0) * 100).toFixed(1)}% of ${m.nproc} cores)`}; ` +
      `load average at start ${m.loadAvgStart ?? '?'}` +
      (busy ? ' — **WARNING: the machine was busy with other work; these numbers are not representative**' : ''),
  );
  L.push(
    `- Method: paired alternating runs (A B C D, then D C B A), fresh output folders each run, median shown; ` +
      `warm page cache for the source; each time ${flushIsOn() ? 'includes a final `sync -f` (syncfs) of the output, after an untimed `sync`' : 'excludes flushing to disk (--no-flush)'}; ` +
      `peak RSS via ${m.rssMethod}. envelock \`lock\` = seal + verify + remove plaintext; every unlock is checked byte-for-byte against the dataset.`,
  );
  L.push('');

  for (const d of e.datasets) {
    L.push(`### ${d.title} (${d.files.toLocaleString('en-US')} file${d.files === 1 ? '' : 's'}, ${fmtBytes(d.bytes)}; ${d.pairs} pair${d.pairs === 1 ? '' : 's'})`);
    L.push('');
    L.push('| Operation | Median time (s) | of which flush (s) | Throughput (MB/s) | Peak RSS (MiB) | Runs ok |');
    L.push('|---|--:|--:|--:|--:|--:|');
    for (const o of OPS) {
      const runs = e.samples.get(d.id, o.tool, o.op);
      if (runs.length === 0) continue;
      const ok = runs.filter((r) => r.ok);
      const med = medianOk(runs);
      const flush = ok.length > 0 ? median(ok.map((r) => r.flushMs)) : null;
      const rss = ok.map((r) => r.peakRssKiB).filter((x): x is number => x !== null);
      const tput = med !== null && o.op !== 'init' ? (d.bytes / 1e6 / (med / 1000)).toFixed(0) : '';
      L.push(
        `| ${o.label} | ${med === null ? 'failed' : sec(med)} | ${flush === null ? '' : sec(flush)} | ${tput} | ${rss.length > 0 ? (Math.max(...rss) / 1024).toFixed(0) : '?'} | ${ok.length}/${runs.length} |`,
      );
    }
    L.push('');
    const rs = ratios.filter((r) => r.dataset === d.id);
    L.push('| Ratio | Value | Target | Status |');
    L.push('|---|--:|--:|---|');
    for (const r of rs) {
      L.push(`| ${r.name} | ${r.value === null ? '—' : `${r.value.toFixed(2)}×`} | ${r.target === null ? '—' : `≤ ${r.target.toFixed(1)}×`} | ${r.status} |`);
    }
    L.push('');
  }

  if (e.extras.length > 0) {
    L.push('### Latency and incremental re-seal');
    L.push('');
    L.push('| Measurement | Value | Target | Status | Notes |');
    L.push('|---|--:|--:|---|---|');
    for (const x of e.extras) {
      L.push(`| ${x.name} | ${x.value} | ${x.target || '—'} | ${x.status === 'NOT met' ? '**NOT met**' : x.status} | ${x.note} |`);
    }
    L.push('');
  }

  const notes: string[] = [];
  for (const s of e.skips) notes.push(`- Skipped ${s.what}${s.section ? ` (${s.section})` : ''}: ${s.reason}`);
  for (const f of e.failures) notes.push(`- FAILURE: ${f}`);
  if (notes.length > 0) {
    L.push('### Notes');
    L.push('');
    L.push(...notes);
    L.push('');
  }
  return L.join('\n');
}

// ---------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  setFlush(opts.flush);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const scale = opts.quick ? 1 / 16 : 1;
  const work = mkdtempSync(join(tmpdir(), 'envelock-bench-'));
  let cleaned = false;
  const cleanup = (): void => {
    if (cleaned) return;
    cleaned = true;
    if (opts.keep) log(`keeping ${work}`);
    else removeTree(work);
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      log(`${sig}: cleaning up ${work}`);
      cleanup();
      process.exit(130);
    });
  }

  try {
    const e: Env = {
      opts,
      scale,
      work,
      samples: new Samples(),
      extras: [],
      skips: [],
      datasets: [],
      tools: {
        age: detectTool('age', ['--version']),
        ageKeygen: detectTool('age-keygen', ['--version']),
        restic: detectTool('restic', ['version']),
      },
      cli: null,
      failures: [],
      cleanupReserveMs: (opts.quick ? 2 : 15) * SEC,
    };
    const cpuStart = cpuSnapshot();
    const m = machineInfo(work, repoRoot);
    log(`envelock bench${opts.quick ? ' --quick' : ''}: ${m.nproc} × ${m.cpuModel}, Node ${m.node}, work dir ${work} (${m.tmpFs})`);
    log(`peak RSS via ${m.rssMethod}${rssMethod === 'proc-poll' ? ' — install GNU time (apt-get install -y time) for exact numbers' : ''}`);

    for (const t of [e.tools.age, e.tools.restic]) {
      if (t.missing !== null) {
        e.skips.push({ section: '', what: `baseline ${t.name}`, reason: t.missing });
        log(`baseline ${t.name} skipped: ${t.missing}`);
      } else log(`baseline ${t.name}: ${t.version ?? ''} (${t.path ?? ''})`);
    }
    if (e.tools.age.missing === null && e.tools.ageKeygen.missing !== null) {
      e.skips.push({ section: '', what: 'baseline age', reason: e.tools.ageKeygen.missing });
    }

    if (opts.skipOurs) {
      e.skips.push({ section: '', what: 'envelock (ours)', reason: '--skip-ours' });
    } else {
      const p = probeCli(repoRoot, opts.cli);
      if (p.ok) {
        e.cli = p.cli;
        log(`ours: node ${p.cli}`);
      } else {
        e.failures.push(`envelock CLI not usable: ${p.reason}`);
        log(`ERROR: envelock CLI not usable: ${p.reason}`);
        log('       running the baselines only; the run will exit non-zero (use --skip-ours to measure baselines on purpose)');
      }
    }

    const free = ((): number | null => {
      try {
        const st = statfsSync(work);
        return st.bavail * st.bsize;
      } catch {
        return null;
      }
    })();
    const needBytes = 10 * GiB * scale;
    if (free !== null && free < needBytes) log(`WARNING: only ${fmtBytes(free)} free under ${work}; the run needs about ${fmtBytes(needBytes)}`);

    // Cheap sections with targets first, so a slow or busy machine still reports them.
    await latencySection(e);
    await incrementalSection(e);
    for (const spec of comparisonDatasets(scale)) await comparisonSection(e, spec);
    const cpuEnd = cpuSnapshot();
    if (cpuStart !== null && cpuEnd !== null) {
      const other = Math.max(0, cpuEnd.machine - cpuStart.machine - (cpuEnd.self - cpuStart.self));
      m.otherCpuSec = other;
      m.otherCpuShare = other / (m.nproc * ((performance.now() - t0) / 1000));
      if (m.otherCpuShare > BUSY_SHARE) {
        log(`WARNING: other work used ${other.toFixed(0)} CPU-s (${(m.otherCpuShare * 100).toFixed(0)}% of the machine) during the run: numbers are not representative`);
      }
    }

    const ratios = computeRatios(e);
    for (const s of e.samples.all()) {
      for (const r of s.runs) {
        if (!r.ok) e.failures.push(`${s.key.dataset}: ${s.key.tool} ${s.key.op} failed: ${failureReason(r)}`);
      }
    }
    const md = markdown(e, m, ratios);
    process.stdout.write(`\n${md}\n`);
    log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    if (opts.json !== null) {
      mkdirSync(dirname(opts.json), { recursive: true });
      const json = {
        version: 1,
        quick: opts.quick,
        scale,
        flushIncluded: flushIsOn(),
        machine: m,
        tools: e.tools,
        datasets: e.datasets,
        samples: e.samples.all().map((s) => ({
          ...s.key,
          medianMs: medianOk(s.runs),
          runs: s.runs.map((r) => ({
            ok: r.ok,
            totalMs: r.totalMs,
            cmdMs: r.cmdMs,
            flushMs: r.flushMs,
            peakRssKiB: r.peakRssKiB,
            exitCode: r.exitCode,
            timedOut: r.timedOut,
            ...(r.ok ? {} : { error: failureReason(r) }),
            ...(s.key.tool === 'envelock' ? { output: cliOutput(r.stdout) } : {}),
          })),
        })),
        ratios,
        extras: e.extras,
        skipped: e.skips,
        failures: e.failures,
        durationMs: performance.now() - t0,
        markdown: md,
      };
      writeFileSync(opts.json, JSON.stringify(json, null, 2) + '\n');
      log(`wrote ${opts.json}`);
    }
    return e.failures.length > 0 ? 1 : 0;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
