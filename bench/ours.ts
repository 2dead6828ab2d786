// "Ours": the envelock CLI, driven exactly as a user would (`node bin/envelock.js ...`).
//
// Contract used (see the brief in bench/run.ts):
//   ENVELOCK_CONFIG_DIR=<dir> ENVELOCK_PASSPHRASE=<pw> node bin/envelock.js init <folder> --store <store> --name <name> --json
//   ... lock <name> --json     seal + verify + remove the plaintext (the folder is left empty)
//   ... unlock <name> --json   materialize the latest snapshot back into the folder
//   ... seal <name> --json     snapshot without locking
// init runs with ENVELOCK_KDF_TARGET_MS=600 (KDF calibration target).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareTrees, copyTree, entryCount } from './datasets.js';
import { markFailed, record, runTimed, type PairTask, type RunResult, type SectionContext } from './measure.js';

export const KDF_TARGET_MS = '600';
export const PASSPHRASE = 'envelock bench passphrase: correct horse battery staple';

export interface CliProbe {
  ok: boolean;
  cli: string;
  /** Why it cannot be used (empty if ok). */
  reason: string;
}

/** Checks that `bin/envelock.js` exists and `--help` exits 0. */
export function probeCli(repoRoot: string, cliOverride?: string): CliProbe {
  const cli = cliOverride ?? join(repoRoot, 'bin', 'envelock.js');
  if (!existsSync(cli)) {
    return { ok: false, cli, reason: `${cli} not found — build the CLI first (\`npm run build\`), or pass --cli PATH` };
  }
  const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) {
    const tail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    return { ok: false, cli, reason: `\`node ${cli} --help\` exited with ${String(r.status)}${tail ? `: ${tail}` : ''} — is the build up to date (\`npm run build\`)?` };
  }
  return { ok: true, cli, reason: '' };
}

/** One locker: its folder, store and config dir, all fresh. */
export class Locker {
  readonly home: string;
  readonly store: string;
  readonly config: string;

  constructor(
    readonly cli: string,
    base: string,
    readonly name: string,
  ) {
    this.home = join(base, 'home');
    this.store = join(base, 'store');
    this.config = join(base, 'config');
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.config, { recursive: true });
  }

  private env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, ENVELOCK_CONFIG_DIR: this.config, ENVELOCK_PASSPHRASE: PASSPHRASE, ...extra };
  }

  init(timeoutMs: number): Promise<RunResult> {
    return runTimed(process.execPath, [this.cli, 'init', this.home, '--store', this.store, '--name', this.name, '--json'], {
      label: 'envelock init',
      env: this.env({ ENVELOCK_KDF_TARGET_MS: KDF_TARGET_MS }),
      timeoutMs,
      flushPath: this.config,
    });
  }

  /** lock / unlock / seal; the flush covers the store for lock/seal and the folder for unlock. */
  op(op: 'lock' | 'unlock' | 'seal', timeoutMs: number): Promise<RunResult> {
    return runTimed(process.execPath, [this.cli, op, this.name, '--json'], {
      label: `envelock ${op}`,
      env: this.env(),
      timeoutMs,
      flushPath: op === 'unlock' ? this.home : this.config,
    });
  }
}

/**
 * Per pair: copy the dataset into a fresh folder (untimed), init (timed separately),
 * lock (timed), check the folder is empty, unlock (timed), check the folder is
 * byte-identical to the dataset.
 */
export function oursTask(ctx: SectionContext, cli: string): PairTask {
  return {
    name: 'envelock',
    async run(pair) {
      const locker = new Locker(cli, join(ctx.runDir, `p${pair}-envelock`), `bench-${ctx.dataset}-${pair}`);
      copyTree(ctx.srcDir, locker.home);
      const init = await locker.init(ctx.timeoutMs);
      record(ctx, 'envelock', 'init', init);
      if (!init.ok) return;

      const lock = await locker.op('lock', ctx.timeoutMs);
      if (lock.ok) {
        const left = entryCount(locker.home);
        if (left > 0) markFailed(lock, `lock left ${left} entries in the folder (contract: folder left empty)`);
      }
      record(ctx, 'envelock', 'lock', lock);
      if (!lock.ok) return;

      const unlock = await locker.op('unlock', ctx.timeoutMs);
      if (unlock.ok) {
        const diff = compareTrees(ctx.srcDir, locker.home);
        if (diff !== null) markFailed(unlock, `unlocked folder differs from the dataset: ${diff}`);
      }
      record(ctx, 'envelock', 'unlock', unlock);
    },
  };
}
