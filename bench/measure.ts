// Spawning, timing and peak-RSS measurement for the benchmark harness.
//
// Every timed run is measured the same way, whatever the tool:
//   1. (untimed) `sync`, so dirty pages left by earlier runs are not billed to this one;
//   2. the command, wall-clock timed from spawn to exit;
//   3. (timed, reported separately as "flush") `sync -f <output>`, i.e. syncfs() of the
//      output's filesystem, so every tool is charged for getting its output onto disk.
//      A tool that fsyncs internally (as a locker that deletes plaintext must) is then
//      not penalised against cp/age, which leave dirty pages in the cache.
// Flushing can be turned off with setFlush(false) (`--no-flush` on the command line).
//
// Peak RSS: GNU time (`/usr/bin/time -f %M`, Debian package `time`) reports the
// child's ru_maxrss from wait4(): the peak resident set of the largest process in the
// tree it waited for, threads included (worker_threads share the process). Without
// it we poll VmHWM in /proc/<pid>/status of the child and its descendants every 10 ms,
// which can miss processes that live less than one poll interval.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface RunResult {
  label: string;
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Wall time of the command itself (ms). */
  cmdMs: number;
  /** Wall time of the syncfs() after the command (ms); 0 when flushing is off. */
  flushMs: number;
  /** cmdMs + flushMs: the number the tables use. */
  totalMs: number;
  /** Peak RSS in KiB, or null if it could not be measured. */
  peakRssKiB: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  label: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Path on the filesystem the command writes to; flushed (and timed) after the run. */
  flushPath?: string;
}

const CAPTURE_LIMIT = 256 * 1024;

let flushEnabled = true;
export function setFlush(on: boolean): void {
  flushEnabled = on;
}
export function flushIsOn(): boolean {
  return flushEnabled;
}

export type RssMethod = 'gnu-time' | 'proc-poll';

function detectGnuTime(): boolean {
  if (!existsSync('/usr/bin/time')) return false;
  const dir = mkdtempSync(join(tmpdir(), 'envelock-bench-time-'));
  try {
    const out = join(dir, 'rss');
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
    if (r.status !== 0) return false;
    return /^\d+\s*$/m.test(readFileSync(out, 'utf8'));
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const rssMethod: RssMethod = detectGnuTime() ? 'gnu-time' : 'proc-poll';

/** Untimed full `sync`, to start each timed run from a clean page cache state. */
export function syncAll(): void {
  spawnSync('sync', [], { stdio: 'ignore' });
}

function syncFs(path: string): number {
  const t0 = performance.now();
  const r = spawnSync('sync', ['-f', path], { stdio: 'ignore' });
  if (r.status !== 0) spawnSync('sync', [], { stdio: 'ignore' });
  return performance.now() - t0;
}

function readVmHwmKiB(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] !== undefined ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop() as number;
    out.push(p);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(/\s+/)) {
          if (c !== '') stack.push(Number(c));
        }
      } catch {
        /* task gone */
      }
    }
  }
  return out;
}

function appendCapped(prev: string, chunk: Buffer): string {
  const s = prev + chunk.toString('utf8');
  return s.length > CAPTURE_LIMIT ? s.slice(s.length - CAPTURE_LIMIT) : s;
}

/** Run one command, timed, with peak RSS. Never throws for a failing command. */
export async function runTimed(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const doFlush = flushEnabled && opts.flushPath !== undefined;
  if (doFlush) syncAll();

  let rssDir: string | null = null;
  let file = cmd;
  let argv = args;
  if (rssMethod === 'gnu-time') {
    rssDir = mkdtempSync(join(tmpdir(), 'envelock-bench-rss-'));
    file = '/usr/bin/time';
    argv = ['-f', '%M', '-o', join(rssDir, 'rss'), cmd, ...args];
  }

  const t0 = performance.now();
  const child = spawn(file, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so a timeout can kill the whole tree
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout = appendCapped(stdout, c)));
  child.stderr.on('data', (c: Buffer) => (stderr = appendCapped(stderr, c)));

  let polledPeak: number | null = null;
  let poller: NodeJS.Timeout | undefined;
  if (rssMethod === 'proc-poll' && child.pid !== undefined) {
    const root = child.pid;
    poller = setInterval(() => {
      for (const p of descendants(root)) {
        const v = readVmHwmKiB(p);
        if (v !== null && (polledPeak === null || v > polledPeak)) polledPeak = v;
      }
    }, 10);
  }

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }, opts.timeoutMs);

  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (err) => {
      stderr += `\nspawn error: ${err.message}`;
      resolve({ code: null, signal: null });
    });
    child.on('close', (c, s) => resolve({ code: c, signal: s }));
  });
  const cmdMs = performance.now() - t0;
  clearTimeout(timer);
  if (poller !== undefined) clearInterval(poller);

  let peakRssKiB: number | null = polledPeak;
  if (rssDir !== null) {
    try {
      const lines = readFileSync(join(rssDir, 'rss'), 'utf8').trim().split('\n');
      const last = Number(lines[lines.length - 1]);
      peakRssKiB = Number.isFinite(last) ? last : null;
    } catch {
      peakRssKiB = null;
    }
    rmSync(rssDir, { recursive: true, force: true });
  }

  const ok = code === 0 && !timedOut;
  const flushMs = doFlush && ok && opts.flushPath !== undefined ? syncFs(opts.flushPath) : 0;
  return {
    label: opts.label,
    ok,
    exitCode: code,
    signal,
    timedOut,
    cmdMs,
    flushMs,
    totalMs: cmdMs + flushMs,
    peakRssKiB,
    stdout,
    stderr,
  };
}

/** One-line reason for a failed run (exit code, timeout, tail of stderr). */
export function failureReason(r: RunResult): string {
  const what = r.timedOut
    ? 'timed out'
    : r.signal !== null
      ? `killed by ${r.signal}`
      : `exit code ${String(r.exitCode)}`;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ');
  return tail ? `${what}: ${tail}` : what;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

// ---------------------------------------------------------------------------
// Samples and paired, alternating runs

export interface SampleKey {
  dataset: string;
  tool: string;
  op: string;
}

export class Samples {
  private readonly map = new Map<string, { key: SampleKey; runs: RunResult[] }>();

  add(key: SampleKey, r: RunResult): void {
    const k = `${key.dataset}\u0000${key.tool}\u0000${key.op}`;
    let e = this.map.get(k);
    if (e === undefined) {
      e = { key, runs: [] };
      this.map.set(k, e);
    }
    e.runs.push(r);
  }

  get(dataset: string, tool: string, op: string): RunResult[] {
    return this.map.get(`${dataset}\u0000${tool}\u0000${op}`)?.runs ?? [];
  }

  /** Median total time (ms) over the successful runs, or null if none succeeded. */
  medianMs(dataset: string, tool: string, op: string): number | null {
    const ok = this.get(dataset, tool, op).filter((r) => r.ok);
    return ok.length === 0 ? null : median(ok.map((r) => r.totalMs));
  }

  all(): { key: SampleKey; runs: RunResult[] }[] {
    return [...this.map.values()];
  }
}

export interface PairTask {
  name: string;
  /** Runs this tool's operations once for pair number `pair` (0-based). */
  run(pair: number): Promise<void>;
}

export interface PairPlan {
  tasks: PairTask[];
  maxPairs: number;
  /** Soft budget for the whole section (ms since sectionStart). */
  budgetMs: number;
  sectionStart: number;
  /** Hard deadline for the whole benchmark (performance.now() value). */
  deadline: number;
  log: (msg: string) => void;
}

/**
 * Paired, alternating runs: pair 0 runs the tasks in order A B C, pair 1 in order
 * C B A, and so on, so drift (page cache, ext4 state, thermal) hits every tool alike.
 * A further pair starts only if the previous one's duration still fits in the
 * section budget and before the global deadline. Returns the number of pairs done.
 */
export async function runPairs(plan: PairPlan): Promise<number> {
  let done = 0;
  let lastPairMs = 0;
  for (let i = 0; i < plan.maxPairs; i++) {
    const now = performance.now();
    if (i > 0) {
      const projected = now + lastPairMs;
      if (projected > plan.sectionStart + plan.budgetMs || projected > plan.deadline) {
        plan.log(
          `  time box: pair ${i} took ${(lastPairMs / 1000).toFixed(1)} s; another would exceed the ` +
            `section budget (${(plan.budgetMs / 1000).toFixed(0)} s) or the global deadline; stopping at ${done} pair(s)`,
        );
        break;
      }
    }
    const order = i % 2 === 0 ? plan.tasks : [...plan.tasks].reverse();
    plan.log(`  pair ${i + 1}: ${order.map((t) => t.name).join(' → ')}`);
    const t0 = performance.now();
    for (const t of order) await t.run(i);
    lastPairMs = performance.now() - t0;
    done++;
  }
  return done;
}

// ---------------------------------------------------------------------------
// What every tool's task needs to know about the section it runs in.

export interface SectionContext {
  /** Dataset id used as the sample key ('large', 'small', 'mix'). */
  dataset: string;
  /** The dataset (never modified). */
  srcDir: string;
  /** Files and bytes of the dataset, to check outputs against. */
  srcFiles: number;
  srcBytes: number;
  /** Fresh folder for this section's outputs; every run makes its own subfolder. */
  runDir: string;
  samples: Samples;
  timeoutMs: number;
  log: (msg: string) => void;
}

/** Records a run, and logs it in one line. */
export function record(ctx: SectionContext, tool: string, op: string, r: RunResult): void {
  ctx.samples.add({ dataset: ctx.dataset, tool, op }, r);
  const rss = r.peakRssKiB === null ? '?' : `${(r.peakRssKiB / 1024).toFixed(0)} MiB`;
  if (r.ok) {
    ctx.log(`    ${tool} ${op}: ${(r.totalMs / 1000).toFixed(2)} s (flush ${(r.flushMs / 1000).toFixed(2)} s), peak RSS ${rss}`);
  } else {
    ctx.log(`    ${tool} ${op}: FAILED (${failureReason(r)})`);
  }
}

/** Marks a run that exited 0 but produced a wrong result as failed. */
export function markFailed(r: RunResult, why: string): void {
  r.ok = false;
  r.stderr += `\nverification failed: ${why}`;
}
