// Baselines: `cp -r` (the I/O floor), tar | age (encrypt / decrypt), restic (backup / restore).
// Each one is a PairTask that makes its own fresh output folders for every run.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markFailed, record, runTimed, type PairTask, type RunResult, type SectionContext } from './measure.js';
import { treeStats } from './datasets.js';

export interface ToolInfo {
  name: string;
  path: string | null;
  version: string | null;
  /** Why it is unavailable (null if available). */
  missing: string | null;
}

export function detectTool(name: string, versionArgs: string[]): ToolInfo {
  const r = spawnSync('bash', ['-c', 'command -v "$1"', 'bash', name], { encoding: 'utf8' });
  const path = r.status === 0 ? r.stdout.trim() : null;
  if (path === null || path === '') {
    return { name, path: null, version: null, missing: `\`${name}\` not installed (Debian: apt-get install -y ${name})` };
  }
  const v = spawnSync(path, versionArgs, { encoding: 'utf8' });
  const first = `${v.stdout ?? ''}${v.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  const version = /v?(\d+\.\d+(?:\.\d+)?)/.exec(first)?.[1] ?? (first || null);
  return { name, path, version, missing: null };
}

/** Checks that an output tree holds as many files and bytes as the dataset. */
function checkTree(ctx: SectionContext, r: RunResult, dir: string): void {
  if (!r.ok) return;
  const s = treeStats(dir);
  if (s.files !== ctx.srcFiles || s.bytes !== ctx.srcBytes) {
    markFailed(r, `output has ${s.files} files / ${s.bytes} bytes, expected ${ctx.srcFiles} / ${ctx.srcBytes}`);
  }
}

export function cpTask(ctx: SectionContext): PairTask {
  return {
    name: 'cp',
    async run(pair) {
      const dst = join(ctx.runDir, `p${pair}-cp`);
      const r = await runTimed('cp', ['-r', ctx.srcDir, dst], { label: 'cp -r', timeoutMs: ctx.timeoutMs, flushPath: ctx.runDir });
      checkTree(ctx, r, dst);
      record(ctx, 'cp', 'copy', r);
    },
  };
}

export interface AgeKey {
  keyFile: string;
  recipient: string;
}

/** One X25519 identity for the whole benchmark (age's passphrase mode needs a TTY). */
export function ageKeygen(dir: string): AgeKey {
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'age-key.txt');
  const g = spawnSync('age-keygen', ['-o', keyFile], { encoding: 'utf8' });
  if (g.status !== 0) throw new Error(`age-keygen failed: ${g.stderr}`);
  const y = spawnSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' });
  const recipient = y.stdout.trim();
  if (y.status !== 0 || !recipient.startsWith('age1')) {
    // Fall back to the "# public key:" comment in the key file.
    const m = /public key: (age1\S+)/.exec(readFileSync(keyFile, 'utf8'));
    if (m?.[1] === undefined) throw new Error('could not read the age recipient');
    return { keyFile, recipient: m[1] };
  }
  return { keyFile, recipient };
}

export function ageTask(ctx: SectionContext, key: AgeKey): PairTask {
  return {
    name: 'age',
    async run(pair) {
      const dir = join(ctx.runDir, `p${pair}-age`);
      const out = join(dir, 'out.age');
      const dst = join(dir, 'restore');
      mkdirSync(dst, { recursive: true });
      const enc = await runTimed(
        'bash',
        ['-o', 'pipefail', '-c', 'tar -cf - -C "$1" . | age -r "$2" -o "$3"', 'bash', ctx.srcDir, key.recipient, out],
        { label: 'tar | age -r', timeoutMs: ctx.timeoutMs, flushPath: dir },
      );
      record(ctx, 'age', 'encrypt', enc);
      if (!enc.ok) return;
      const dec = await runTimed(
        'bash',
        ['-o', 'pipefail', '-c', 'age -d -i "$1" "$2" | tar -xf - -C "$3"', 'bash', key.keyFile, out, dst],
        { label: 'age -d | tar -x', timeoutMs: ctx.timeoutMs, flushPath: dst },
      );
      checkTree(ctx, dec, dst);
      record(ctx, 'age', 'decrypt', dec);
    },
  };
}

export const RESTIC_PASSWORD = 'envelock-bench-restic-password';

export function resticEnv(cacheDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, RESTIC_PASSWORD, RESTIC_CACHE_DIR: cacheDir };
  delete env['RESTIC_REPOSITORY'];
  delete env['RESTIC_PASSWORD_FILE'];
  delete env['RESTIC_PASSWORD_COMMAND'];
  return env;
}

/** `restic init` of a fresh local repository (untimed: it is a one-off KDF + a few files). */
export function resticInit(repo: string, cacheDir: string): void {
  const r = spawnSync('restic', ['init', '--repo', repo], { env: resticEnv(cacheDir), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`restic init failed: ${r.stderr}`);
}

export function resticTask(ctx: SectionContext, withRestore: boolean): PairTask {
  return {
    name: 'restic',
    async run(pair) {
      const dir = join(ctx.runDir, `p${pair}-restic`);
      const repo = join(dir, 'repo');
      const cache = join(dir, 'cache');
      const dst = join(dir, 'restore');
      mkdirSync(dir, { recursive: true });
      resticInit(repo, cache);
      const env = resticEnv(cache);
      const b = await runTimed('restic', ['-r', repo, '--cache-dir', cache, 'backup', '--quiet', ctx.srcDir], {
        label: 'restic backup',
        env,
        timeoutMs: ctx.timeoutMs,
        flushPath: dir,
      });
      record(ctx, 'restic', 'backup', b);
      if (!b.ok || !withRestore) return;
      // restic restores the absolute source path under --target; treeStats counts files anywhere below.
      const rr = await runTimed('restic', ['-r', repo, '--cache-dir', cache, 'restore', 'latest', '--target', dst], {
        label: 'restic restore',
        env,
        timeoutMs: ctx.timeoutMs,
        flushPath: dir,
      });
      checkTree(ctx, rr, dst);
      record(ctx, 'restic', 'restore', rr);
    },
  };
}
