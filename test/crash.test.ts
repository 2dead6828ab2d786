/**
 * Crash safety. The CLI is killed with SIGKILL at every durable step of `lock`,
 * `seal` and `unlock` (ENVELOCK_CRASH_AFTER_WRITES=N, electron/core/crash-points.ts:
 * N = 1, 2, 3, … until a run finishes), each time from the same starting state.
 * After every crash: every original entry is in the home folder or in the
 * locker's latest snapshot (or both), byte for byte; `verify` passes; the next
 * `lock` succeeds and empties the home; and `unlock` gives back the identical tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, CLI, makeRichTree, PASSPHRASE, runCli, snapshotTree, tempDir, type CliResult, type TreeEntry } from './helpers.js';

/** rm -r that also works for a non-root user when a read-only folder is inside. */
function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  spawnSync('chmod', ['-R', 'u+w', dir]);
  rmSync(dir, { recursive: true, force: true });
}

const bases: string[] = [];
afterAll(() => {
  for (const base of bases) removeTree(base);
  cleanupTempDirs();
});

const LOCKER = 'crashbox';
const MiB = 1024 * 1024;
/** Safety stop for the N loop; no command here has nearly this many steps. */
const MAX_STEPS = 400;

type Tree = Record<string, TreeEntry>;

/**
 * A locker in a fixed work folder (the registry holds absolute paths), plus a
 * frozen copy of it that every kill point starts from.
 */
interface Site {
  readonly base: string;
  readonly work: string;
  readonly template: string;
  readonly home: string;
  readonly store: string;
  readonly cfg: string;
  /** The recovery key, in a file: the read-only checks open the locker with it (no Argon2 run). */
  readonly recoveryKeyFile: string;
}

function makeSite(): Site {
  const base = tempDir('envelock-crash-');
  bases.push(base);
  const work = join(base, 'work');
  mkdirSync(join(work, 'home'), { recursive: true });
  return {
    base, work, template: join(base, 'template'), home: join(work, 'home'), store: join(work, 'store'), cfg: join(work, 'cfg'),
    recoveryKeyFile: join(base, 'recovery-key'),
  };
}

function sh(command: string, args: readonly string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
}

function cli(site: Site, args: readonly string[], env: Record<string, string> = {}): CliResult {
  return runCli(args, { ENVELOCK_CONFIG_DIR: site.cfg, ...env });
}

function saveTemplate(site: Site): void {
  removeTree(site.template);
  sh('cp', ['-a', site.work, site.template]);
}

/**
 * Puts the work folder back to the template. The home's files are hard links
 * to the template's: lock only unlinks them and unlock writes new files, so
 * the template is never written through (and this keeps each reset cheap).
 */
function resetWork(site: Site): void {
  removeTree(site.work);
  mkdirSync(site.work);
  for (const name of readdirSync(site.template)) {
    sh('cp', name === 'home' ? ['-a', '-l', join(site.template, name), site.work] : ['-a', join(site.template, name), site.work]);
  }
}

function initLocker(site: Site): void {
  const r = cli(site, ['init', site.home, '--store', site.store, '--name', LOCKER, '--json']);
  if (r.status !== 0) throw new Error(`init failed: ${r.stdout}${r.stderr}`);
  writeFileSync(site.recoveryKeyFile, String(r.json().recoveryKey));
}

/**
 * The crashed command and the next lock use the passphrase, like a user; the
 * checks in between (restore, verify, the confirming unlock) use the recovery
 * key, which skips Argon2 and keeps some hundred runs affordable.
 */
function check(site: Site, args: readonly string[]): CliResult {
  return cli(site, [...args, '--recovery-key-file', site.recoveryKeyFile]);
}

function must(r: CliResult, what: string): void {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}, signal ${r.signal}): ${r.stdout}${r.stderr}`);
}

/**
 * makeRichTree (links, an empty folder, odd names and modes), small files in
 * nested folders, a read-only folder (lock opens it to empty it), and two
 * multi-chunk files: lock has some forty durable steps.
 */
function makeLockTree(home: string): void {
  makeRichTree(home);
  for (const sub of ['projects/alpha/src', 'projects/beta']) {
    const dir = join(home, ...sub.split('/'));
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 4; i++) writeFileSync(join(dir, `file-${i}.txt`), `${sub}/${i}\n${randomBytes(200 + i * 37).toString('base64')}\n`);
  }
  mkdirSync(join(home, 'read-only'));
  writeFileSync(join(home, 'read-only', 'a.txt'), 'kept under a read-only folder\n');
  writeFileSync(join(home, 'read-only', 'b.txt'), 'also\n');
  chmodSync(join(home, 'read-only'), 0o555);
  mkdirSync(join(home, 'media'));
  writeFileSync(join(home, 'media', 'video-1.bin'), randomBytes(5 * MiB + 123));
  writeFileSync(join(home, 'media', 'video-2.bin'), randomBytes(5 * MiB - 77));
}

function entryState(site: Site): string {
  const r = cli(site, ['status', LOCKER, '--json']);
  const lockers = r.json().lockers as { state: string }[] | undefined;
  return lockers?.[0]?.state ?? `unknown (${r.stdout}${r.stderr})`;
}

// ---------- checks (they collect failures, so one run reports every bad kill point) ----------

/** Same file content, mode and time; same link target; a folder only has to exist (lock empties it, which changes its time). */
function covers(want: TreeEntry, got: TreeEntry | undefined): boolean {
  if (got === undefined || got.type !== want.type) return false;
  if (want.type === 'dir') return true;
  if (want.type === 'symlink') return got.target === want.target;
  return got.sha256 === want.sha256 && got.mode === want.mode && got.mtimeUs === want.mtimeUs;
}

function uncovered(original: Tree, ...trees: Tree[]): string[] {
  return Object.entries(original)
    .filter(([path, want]) => !trees.some((tree) => covers(want, tree[path])))
    .map(([path]) => path);
}

function treeDiff(want: Tree, got: Tree): string[] {
  const out: string[] = [];
  for (const path of new Set([...Object.keys(want), ...Object.keys(got)])) {
    if (!isDeepStrictEqual(want[path], got[path])) out.push(`${path}: want ${JSON.stringify(want[path])}, got ${JSON.stringify(got[path])}`);
  }
  return out;
}

function treeOf(dir: string): Tree {
  return existsSync(dir) ? snapshotTree(dir) : {};
}

/** union(home, latest snapshot) ⊇ original; the snapshot is restored only when the home alone does not cover it. */
function checkComplete(site: Site, original: Tree, label: string, failures: string[]): void {
  const home = treeOf(site.home);
  let missing = uncovered(original, home);
  if (missing.length === 0) return;
  const to = join(site.base, 'restored');
  removeTree(to);
  const r = check(site, ['restore', LOCKER, '--to', to, '--json']);
  if (r.status !== 0) {
    failures.push(`${label}: the home lacks ${missing.length} entries (e.g. ${missing.slice(0, 3).join(', ')}) and restore failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
    return;
  }
  missing = uncovered(original, home, snapshotTree(to));
  removeTree(to);
  if (missing.length > 0) failures.push(`${label}: ${missing.length} entries are neither in the home nor in the latest snapshot: ${missing.slice(0, 5).join(', ')}`);
}

function checkVerify(site: Site, label: string, failures: string[]): void {
  const r = check(site, ['verify', LOCKER, '--json']);
  let ok = false;
  try {
    ok = r.json().ok === true;
  } catch {
    // not JSON: reported below
  }
  if (r.status !== 0 || !ok) failures.push(`${label}: verify failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
}

/** `lock` succeeds and empties the home; `alreadyLockedOk` when the crashed run had already recorded the locker as locked. */
function checkLock(site: Site, label: string, failures: string[], alreadyLockedOk: boolean): boolean {
  const r = cli(site, ['lock', LOCKER, '--json']);
  const alreadyLocked = r.status === 6 && r.stdout.includes('"ALREADY_LOCKED"');
  if (r.status !== 0 && !(alreadyLocked && alreadyLockedOk)) {
    failures.push(`${label}: the next lock failed (exit ${r.status}, signal ${r.signal}): ${r.stdout}${r.stderr}`);
    return false;
  }
  const left = existsSync(site.home) ? readdirSync(site.home) : ['<home folder missing>'];
  if (left.length > 0) {
    failures.push(`${label}: after the next lock the home still holds ${left.join(', ')}`);
    return false;
  }
  return true;
}

function checkUnlockIdentical(site: Site, original: Tree, label: string, failures: string[]): void {
  const r = check(site, ['unlock', LOCKER, '--json']);
  if (r.status !== 0) {
    failures.push(`${label}: unlock after the lock failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
    return;
  }
  const diff = treeDiff(original, treeOf(site.home));
  if (diff.length > 0) failures.push(`${label}: unlock gave back a different tree:\n    ${diff.slice(0, 8).join('\n    ')}`);
}

/** Everything a crash must leave true, then the locker must still lock and unlock to the original. */
function checkAfterCrash(site: Site, original: Tree, label: string, failures: string[]): void {
  const before = failures.length;
  checkComplete(site, original, label, failures);
  checkVerify(site, label, failures);
  const lockedAlready = entryState(site) === 'locked';
  if (failures.length > before) return;
  if (checkLock(site, label, failures, lockedAlready)) checkUnlockIdentical(site, original, label, failures);
}

interface KillRun {
  /** The N values whose run was killed (each one a distinct crash point). */
  readonly killed: number[];
  /** The first N whose run finished: the command has N - 1 durable steps. */
  readonly finishedAt: number;
  readonly finished: CliResult;
}

/** Runs `args` from the template with N = 1, 2, … until the run is not killed; `afterKill` checks each crash. */
function killAtEveryStep(site: Site, args: readonly string[], afterKill: (n: number) => void): KillRun {
  const killed: number[] = [];
  for (let n = 1; n <= MAX_STEPS; n++) {
    resetWork(site);
    const r = cli(site, args, { ENVELOCK_CRASH_AFTER_WRITES: String(n) });
    if (r.signal !== 'SIGKILL') return { killed, finishedAt: n, finished: r };
    killed.push(n);
    afterKill(n);
  }
  throw new Error(`${args.join(' ')} was still being killed after ${MAX_STEPS} steps`);
}

// ---------- unlock crashes outside the hook's steps ----------

/** What else is beside the home: an unlock's temp folder (a short random hidden name) while it is being written. */
function unlockTemps(site: Site): string[] {
  return readdirSync(site.work).filter((name) => !['home', 'store', 'cfg'].includes(name));
}

function countFiles(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const st = statSync(join(dir, name), { throwIfNoEntry: false });
    if (st === undefined) continue;
    n += st.isDirectory() ? countFiles(join(dir, name)) : 1;
  }
  return n;
}

/**
 * Runs the CLI and SIGKILLs it from outside once `ready()` holds. Where it
 * lands depends on timing; callers check the same invariants either way.
 */
async function runKilledWhen(site: Site, args: readonly string[], ready: () => boolean): Promise<{ signal: NodeJS.Signals | null; status: number | null }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ENVELOCK_PASSPHRASE: PASSPHRASE, ENVELOCK_KDF_TARGET_MS: '50', ENVELOCK_CONFIG_DIR: site.cfg },
    stdio: 'ignore',
  });
  const exited = new Promise<{ signal: NodeJS.Signals | null; status: number | null }>((resolve) => child.on('exit', (status, signal) => resolve({ status, signal })));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    let hit = false;
    try {
      hit = ready();
    } catch {
      // the folder moved under us: look again
    }
    if (hit) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return exited;
}

function setRecord(site: Site, change: (record: Record<string, unknown>) => Record<string, unknown>): void {
  const path = join(site.cfg, 'lockers.json');
  const registry = JSON.parse(readFileSync(path, 'utf8')) as { version: number; lockers: Record<string, unknown>[] };
  registry.lockers = registry.lockers.map((r) => (r.name === LOCKER ? change(r) : r));
  writeFileSync(path, JSON.stringify(registry, null, 2));
}

// ---------- the tests ----------

describe('crash safety (SIGKILL at every durable step)', () => {
  it('lock: killed at every step, the data stays complete and the next lock finishes the job', () => {
    const started = Date.now();
    const site = makeSite();
    makeLockTree(site.home);
    initLocker(site);
    const original = snapshotTree(site.home);
    saveTemplate(site);

    const failures: string[] = [];
    const run = killAtEveryStep(site, ['lock', LOCKER, '--json'], (n) => checkAfterCrash(site, original, `lock killed at step ${n}`, failures));
    must(run.finished, `lock with ENVELOCK_CRASH_AFTER_WRITES=${run.finishedAt}`);
    expect(readdirSync(site.home)).toEqual([]);
    checkVerify(site, 'uninterrupted lock', failures);
    checkUnlockIdentical(site, original, 'uninterrupted lock', failures);

    console.log(`lock: ${run.killed.length} kill points exercised (the command has ${run.finishedAt - 1} durable steps), ${Math.round((Date.now() - started) / 1000)} s`);
    expect(failures).toEqual([]);
    expect(run.killed.length).toBeGreaterThanOrEqual(20);
  }, 600_000);

  it('seal: killed at every step of a seal that writes many packs, the previous snapshot and the home stay intact', () => {
    const started = Date.now();
    const site = makeSite();
    makeRichTree(site.home);
    mkdirSync(join(site.home, 'big'));
    writeFileSync(join(site.home, 'big', 'old.bin'), randomBytes(2 * MiB));
    initLocker(site);
    must(cli(site, ['seal', LOCKER, '--json']), 'first seal');
    // Change the tree: an edited file, a removed one, a new folder, and ~144 MiB of
    // new data, so the second seal writes about nine 16 MiB packs (2 steps each)
    // plus an index, a manifest and the registry.
    writeFileSync(join(site.home, 'hello.txt'), 'hello again, locker\n');
    utimesSync(join(site.home, 'hello.txt'), new Date('2011-02-03T04:05:06.789Z'), new Date('2011-02-03T04:05:06.789Z'));
    unlinkSync(join(site.home, 'docs', 'nested', 'deeper', 'note.md'));
    mkdirSync(join(site.home, 'docs', 'added'));
    writeFileSync(join(site.home, 'docs', 'added', 'new.txt'), 'new since the first seal\n');
    for (let i = 0; i < 9; i++) writeFileSync(join(site.home, 'big', `new-${i}.bin`), randomBytes(16 * MiB));
    const original = snapshotTree(site.home);
    saveTemplate(site);

    const failures: string[] = [];
    const run = killAtEveryStep(site, ['seal', LOCKER, '--json'], (n) => checkAfterCrash(site, original, `seal killed at step ${n}`, failures));
    must(run.finished, `seal with ENVELOCK_CRASH_AFTER_WRITES=${run.finishedAt}`);
    expect(run.finished.json().changed).toBe(true);
    checkAfterCrash(site, original, 'uninterrupted seal', failures);

    console.log(`seal: ${run.killed.length} kill points exercised (the command has ${run.finishedAt - 1} durable steps), ${Math.round((Date.now() - started) / 1000)} s`);
    expect(failures).toEqual([]);
    expect(run.killed.length).toBeGreaterThanOrEqual(20);
  }, 600_000);

  it('unlock: killed at every step and mid-write, the next unlock gives back the identical tree', async () => {
    const started = Date.now();
    const site = makeSite();
    makeLockTree(site.home);
    initLocker(site);
    const original = snapshotTree(site.home);
    must(cli(site, ['lock', LOCKER, '--json']), 'lock');
    saveTemplate(site);

    const failures: string[] = [];
    /** After a crashed unlock: a second unlock succeeds, or (the first had finished) says ALREADY_UNLOCKED; either way the tree is the original. */
    const afterUnlockCrash = (label: string) => {
      const before = failures.length;
      checkComplete(site, original, label, failures);
      checkVerify(site, label, failures);
      const r = cli(site, ['unlock', LOCKER, '--json']);
      const already = r.status === 6 && r.stdout.includes('"ALREADY_UNLOCKED"');
      if (r.status !== 0 && !already) failures.push(`${label}: the second unlock failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
      const diff = treeDiff(original, treeOf(site.home));
      if (diff.length > 0) failures.push(`${label}: the home differs from the original:\n    ${diff.slice(0, 8).join('\n    ')}`);
      if (unlockTemps(site).length > 0) failures.push(`${label}: the unlock temp folder was left behind: ${unlockTemps(site).join(', ')}`);
      const state = entryState(site);
      if (state !== 'unlocked') failures.push(`${label}: state is ${state} after the second unlock`);
      if (failures.length === before && checkLock(site, label, failures, false)) checkUnlockIdentical(site, original, label, failures);
    };

    const run = killAtEveryStep(site, ['unlock', LOCKER, '--json'], (n) => afterUnlockCrash(`unlock killed at step ${n}`));
    must(run.finished, `unlock with ENVELOCK_CRASH_AFTER_WRITES=${run.finishedAt}`);
    expect(treeDiff(original, snapshotTree(site.home))).toEqual([]);

    // The hook counts only the registry saves of unlock; kill it from outside
    // while it writes the tree into its temp folder, at a few depths.
    let midWrite = 0;
    for (const atFiles of [1, 6, 12, 18]) {
      resetWork(site);
      const r = await runKilledWhen(site, ['unlock', LOCKER, '--json'], () => unlockTemps(site).some((t) => countFiles(join(site.work, t)) >= atFiles));
      if (r.signal === 'SIGKILL' && existsSync(site.home) && readdirSync(site.home).length === 0) midWrite++;
      afterUnlockCrash(`unlock killed from outside after ${atFiles} files (${r.signal ?? `exit ${r.status}`})`);
    }

    // The two windows no step marks, rebuilt on disk exactly as a crash leaves them:
    // (a) after the temp folder was renamed onto the home, before the registry said 'unlocked';
    resetWork(site);
    must(check(site, ['unlock', LOCKER, '--json']), 'unlock');
    const temp = join(site.work, '.9f3');
    setRecord(site, (r) => ({ ...r, state: 'unlocking', unlockingInto: temp }));
    afterUnlockCrash('unlock crashed after the rename (rebuilt state)');
    // (b) after the empty home was removed, before the full temp folder took its place.
    resetWork(site);
    must(check(site, ['unlock', LOCKER, '--json']), 'unlock');
    renameSync(site.home, temp);
    setRecord(site, (r) => ({ ...r, state: 'unlocking', unlockingInto: temp }));
    afterUnlockCrash('unlock crashed between removing the home and the rename (rebuilt state)');

    console.log(`unlock: ${run.killed.length} hook kill points (the command has ${run.finishedAt - 1} durable steps), ${midWrite} of 4 outside kills landed mid-write, ${Math.round((Date.now() - started) / 1000)} s`);
    expect(failures).toEqual([]);
    expect(run.killed.length).toBeGreaterThanOrEqual(2);
  }, 600_000);
});
