/**
 * `envelock`: the command line over the locker engine. Parses arguments, finds
 * credentials, draws progress, prints results (text, or JSON with --json) and
 * turns every failure into its documented exit code (docs/CLI.md).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EnvelockError, toEnvelockError } from '../../shared/errors.js';
import type { ProgressEvent } from '../../shared/progress.js';
import {
  addRecoveryKey, changePassphrase, initLocker, listLockerSnapshots, lockerStatus, lockLocker, removeRecoveryKey,
  restoreLocker, sealLocker, unlockLocker, verifyLocker, type EngineContext,
} from '../core/service/lockers.js';
import { defaultConfigDir } from '../core/service/config-dir.js';
import { credentialFrom, newPassphraseFrom } from './credentials.js';
import { createProgressReporter } from './progress.js';
import { renderError, renderLockers, renderSeal, renderSnapshots, renderVerify } from './render.js';

const HELP = `envelock — lock folders into client-side encrypted lockers

Usage:
  envelock init <folder> [--store <dir>] [--name <name>]   create a locker (the folder stays unlocked); prints the recovery key once
  envelock lock <locker> | --all [--shred]               seal, read back, verify, then remove the plaintext
  envelock unlock <locker> [--recovery-key-file F]       put the latest snapshot back into the home folder
  envelock seal <locker>                                 take a snapshot without locking
  envelock status [<locker>]                             state of one or all lockers
  envelock list                                          all lockers
  envelock snapshots <locker>                            the locker's snapshots
  envelock restore <locker> --to <dir> [--snapshot <id>] write a snapshot into another (empty) folder
  envelock verify <locker>                               authenticate every object, check every snapshot
  envelock passwd <locker> [--new-passphrase-file F]     change the passphrase (or ENVELOCK_NEW_PASSPHRASE)
  envelock recovery-key <locker> add|remove              replace or remove the recovery key

<locker> is a name, an id, or the home folder's path.

Options:
  --passphrase-file F    read the passphrase from F (else ENVELOCK_PASSPHRASE, else a prompt)
  --recovery-key-file F  open the locker with its recovery key instead
  --json                 print the result as JSON on stdout
  --shred                overwrite files before removing them (best effort; see README)
  -h, --help             this help;  --version  the version

Environment: ENVELOCK_CONFIG_DIR (registry and default stores), ENVELOCK_PASSPHRASE,
ENVELOCK_NEW_PASSPHRASE, ENVELOCK_KDF_TARGET_MS (KDF time when creating keyslots).
Exit codes: 0 ok, 1 internal, 2 usage, 3 wrong key, 4 not found, 5 integrity, 6 state, 7 I/O; see docs/CLI.md.
`;

const OPTIONS = {
  store: { type: 'string' },
  name: { type: 'string' },
  all: { type: 'boolean' },
  shred: { type: 'boolean' },
  to: { type: 'string' },
  snapshot: { type: 'string' },
  'passphrase-file': { type: 'string' },
  'recovery-key-file': { type: 'string' },
  'new-passphrase-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on the first Ctrl-C: the operation stops where nothing is lost (CANCELLED, exit 130). */
  readonly signal?: AbortSignal;
}

function usage(message: string): EnvelockError {
  return new EnvelockError('USAGE', message);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** ENVELOCK_TIMINGS=1: prints when each phase starts (for profiling; benchmarks use it too). */
function timePhases(out: NodeJS.WriteStream): (phase: string) => void {
  const start = performance.now();
  let last = '';
  return (phase) => {
    if (phase === last) return;
    last = phase;
    out.write(`[timing] ${((performance.now() - start) / 1000).toFixed(3)} s  ${phase}\n`);
  };
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let json = argv.includes('--json');
  const warnings: string[] = [];
  const reporter = createProgressReporter(io.stderr);
  const phaseTimer = io.env.ENVELOCK_TIMINGS === '1' ? timePhases(io.stderr) : undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw usage((error as Error).message);
    }
    const { values: opts, positionals } = parsed;
    json = opts.json === true;
    if (opts.version === true) {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const [command, ...args] = positionals;
    if (opts.help === true || command === undefined || command === 'help') {
      io.stdout.write(HELP);
      return command === undefined && opts.help !== true ? 2 : 0;
    }
    const kdfTarget = Number.parseInt(io.env.ENVELOCK_KDF_TARGET_MS ?? '', 10);
    const ctx: EngineContext = {
      configDir: defaultConfigDir(io.env),
      onProgress: (event: ProgressEvent) => {
        reporter.update(event);
        phaseTimer?.(event.phase);
      },
      warn: (message: string) => {
        warnings.push(message);
        if (!json) io.stderr.write(`warning: ${message}\n`);
      },
      ...(Number.isNaN(kdfTarget) ? {} : { kdfTargetMs: kdfTarget }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    };
    const sources = { passphraseFile: opts['passphrase-file'], recoveryKeyFile: opts['recovery-key-file'], env: io.env };
    /** The locker named on the command line; checked before any passphrase is asked for. */
    const locker = (): string => {
      const ref = args[0];
      if (ref === undefined) throw usage(`\`envelock ${command}\` needs a locker: its name, id or home folder.`);
      lockerStatus(ctx, ref);
      return ref;
    };
    const print = (result: unknown, text: string) => {
      reporter.done();
      io.stdout.write(json ? `${JSON.stringify({ ok: true, ...(result as object), ...(warnings.length > 0 ? { warnings } : {}) }, null, 2)}\n` : text);
    };

    switch (command) {
      case 'init': {
        const folder = args[0];
        if (folder === undefined) throw usage('`envelock init` needs the folder to lock.');
        const passphrase = await newPassphraseFrom(opts['passphrase-file'], 'ENVELOCK_PASSPHRASE', io.env);
        const result = await initLocker(ctx, { folder, passphrase, ...(opts.store === undefined ? {} : { store: opts.store }), ...(opts.name === undefined ? {} : { name: opts.name }) });
        print(
          result,
          `Created locker ${result.locker.name} (${result.locker.id}) for ${result.locker.home}; it stays unlocked until you run \`envelock lock ${result.locker.name}\`.\n` +
            `Store: ${result.locker.store}\nKey derivation: Argon2id, ${result.kdf.memoryKiB / 1024} MiB, ${result.kdf.iterations} passes, ${result.kdf.parallelism} lanes.\n\n` +
            `RECOVERY KEY (shown only this once; write it down or print it and keep it apart from this computer):\n\n    ${result.recoveryKey}\n\n` +
            `It opens the locker if you forget the passphrase: envelock unlock ${result.locker.name} --recovery-key-file FILE\n`,
        );
        return 0;
      }
      case 'lock': {
        const refs = opts.all === true ? lockerStatus(ctx).filter((l) => l.state !== 'locked').map((l) => l.id) : [locker()];
        const credential = refs.length > 0 ? await credentialFrom(sources) : undefined;
        const results = [];
        for (const ref of refs) results.push(await lockLocker(ctx, ref, credential as NonNullable<typeof credential>, { shred: opts.shred === true }));
        if (opts.all === true) print({ locked: results }, results.length === 0 ? 'Every locker is already locked.\n' : results.map((r) => renderSeal('Locked', r)).join(''));
        else print(results[0], renderSeal('Locked', results[0] as (typeof results)[number]));
        return 0;
      }
      case 'unlock': {
        const result = await unlockLocker(ctx, locker(), await credentialFrom(sources));
        print(result, `Unlocked ${result.locker}: ${result.files} files back in ${result.home}.\n`);
        return 0;
      }
      case 'seal': {
        const result = await sealLocker(ctx, locker(), await credentialFrom(sources));
        print(result, renderSeal('Sealed', result));
        return 0;
      }
      case 'status':
      case 'list': {
        const lockers = lockerStatus(ctx, command === 'status' ? args[0] : undefined);
        print({ lockers }, renderLockers(lockers));
        return 0;
      }
      case 'snapshots': {
        const snapshots = await listLockerSnapshots(ctx, locker(), await credentialFrom(sources));
        print({ snapshots }, renderSnapshots(snapshots));
        return 0;
      }
      case 'restore': {
        if (opts.to === undefined) throw usage('`envelock restore` needs --to <dir>, a folder that does not exist yet or is empty.');
        const result = await restoreLocker(ctx, locker(), await credentialFrom(sources), { to: opts.to, ...(opts.snapshot === undefined ? {} : { snapshot: opts.snapshot }) });
        print(result, `Restored snapshot #${result.snapshot?.seq} of ${result.locker}: ${result.files} files into ${result.home}.\n`);
        return 0;
      }
      case 'verify': {
        const report = await verifyLocker(ctx, locker(), await credentialFrom(sources));
        reporter.done();
        if (json) io.stdout.write(`${JSON.stringify({ ...report }, null, 2)}\n`);
        else io.stdout.write(renderVerify(report));
        return report.ok ? 0 : 5;
      }
      case 'passwd': {
        const ref = locker();
        const credential = await credentialFrom(sources);
        const next = await newPassphraseFrom(opts['new-passphrase-file'], 'ENVELOCK_NEW_PASSPHRASE', io.env);
        const result = await changePassphrase(ctx, ref, credential, next);
        print(result, 'Passphrase changed. Only the keyslots object was rewritten; the old passphrase no longer opens this locker.\n');
        return 0;
      }
      case 'recovery-key': {
        const ref = locker();
        const action = args[1];
        if (action !== 'add' && action !== 'remove') throw usage('`envelock recovery-key <locker>` needs `add` or `remove`.');
        const credential = await credentialFrom(sources);
        if (action === 'add') {
          const result = await addRecoveryKey(ctx, ref, credential);
          print(result, `New RECOVERY KEY (shown only this once; any earlier recovery key no longer works):\n\n    ${result.recoveryKey}\n\n`);
        } else {
          const result = await removeRecoveryKey(ctx, ref, credential);
          print(result, result.removed > 0 ? 'Recovery key removed; only the passphrase opens this locker now.\n' : 'This locker had no recovery key.\n');
        }
        return 0;
      }
      default:
        throw usage(`Unknown command ${JSON.stringify(command)}.`);
    }
  } catch (error) {
    reporter.done();
    const e = toEnvelockError(error);
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: e.toInfo() }, null, 2)}\n`);
    else io.stderr.write(renderError(e.toInfo()));
    return e.exitCode;
  }
}
