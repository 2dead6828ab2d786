/**
 * A full round trip through the built `envelock` CLI as a separate process:
 * init --json (recovery key), lock, status, snapshots, verify, the refusals with
 * their exit codes, and unlock with --recovery-key-file. Exit codes and JSON
 * shapes are checked, and the home comes back identical.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TAG_BYTES } from '../electron/core/crypto/aead.js';
import { formatRecoveryKey, generateRecoveryKey } from '../electron/core/crypto/recovery-key.js';
import { HEADER_BYTES } from '../electron/core/locker/object-header.js';
import { CLI, cleanupTempDirs, makeRichTree, PASSPHRASE, runCli, snapshotTree, tempDir, type CliResult } from './helpers.js';

afterAll(cleanupTempDirs);

const HEX32 = /^[0-9a-f]{32}$/;
const HEX64 = /^[0-9a-f]{64}$/;

function ok(result: CliResult): Record<string, unknown> {
  expect(result.status, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(0);
  return result.json();
}

function failed(result: CliResult, exit: number, code: string): Record<string, unknown> {
  expect(result.status, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(exit);
  const json = result.json();
  expect(json.ok).toBe(false);
  expect(json.error).toMatchObject({ code, message: expect.any(String), fix: expect.any(String) });
  return json;
}

describe('envelock CLI round trip', () => {
  it('init, lock, status, snapshots, verify, refusals, unlock with the recovery key', () => {
    const base = realpathSync(tempDir('envelock-cli-rt-'));
    const home = join(base, 'cli-home');
    const store = join(base, 'cli-store');
    mkdirSync(home);
    makeRichTree(home);
    // Big enough for several packs, so verify checks packs concurrently.
    writeFileSync(join(home, 'several packs.bin'), randomBytes(40 * 1024 * 1024));
    const before = snapshotTree(home);
    const files = Object.values(before).filter((e) => e.type === 'file').length;
    const folders = Object.values(before).filter((e) => e.type === 'dir').length;
    const env = { ENVELOCK_CONFIG_DIR: join(base, 'config') };

    // init --json: the locker, the recovery key (shown once), the KDF without its salt.
    const init = ok(runCli(['init', home, '--store', store, '--name', 'cli-locker', '--json'], env));
    expect(init).toMatchObject({
      ok: true,
      locker: { name: 'cli-locker', home, store, state: 'unlocked', homeExists: true, lastSnapshot: null, storeBytes: expect.any(Number), created: expect.any(String) },
      recoveryKey: expect.stringMatching(/^ELK(-[0-9A-Z]{4}){9}$/),
      kdf: { memoryKiB: expect.any(Number), iterations: expect.any(Number), parallelism: expect.any(Number) },
    });
    expect((init.kdf as Record<string, unknown>).salt).toBeUndefined();
    const locker = init.locker as { id: string };
    expect(locker.id).toMatch(HEX32);
    const recoveryKey = init.recoveryKey as string;

    // lock: sealed, read back, home emptied.
    const lock = ok(runCli(['lock', 'cli-locker', '--json'], env));
    expect(lock).toMatchObject({
      ok: true,
      locker: 'cli-locker',
      changed: true,
      snapshot: { seq: 1, parents: [], files, folders, id: expect.stringMatching(HEX64) },
      filesRead: files,
      bytesStored: expect.any(Number),
      removed: Object.keys(before).length,
    });
    expect(lock.bytesStored as number).toBeGreaterThan(3 * 1024 * 1024);
    expect(readdirSync(home)).toEqual([]);
    const snapshotId = (lock.snapshot as { id: string }).id;

    // status: locked, with the snapshot just made; by name, by home path and by id.
    for (const ref of ['cli-locker', home, locker.id]) {
      const status = ok(runCli(['status', ref, '--json'], env));
      expect(status).toMatchObject({ ok: true, lockers: [{ id: locker.id, name: 'cli-locker', state: 'locked', homeExists: true, lastSnapshot: { id: snapshotId, seq: 1 } }] });
    }

    // snapshots: exactly the one.
    const snapshots = ok(runCli(['snapshots', 'cli-locker', '--json'], env));
    expect(snapshots.snapshots).toEqual([{ id: snapshotId, seq: 1, created: expect.any(String), parents: [], files, folders, bytes: expect.any(Number) }]);

    // verify: everything authenticates.
    const verify = ok(runCli(['verify', 'cli-locker', '--json'], env));
    expect(verify).toMatchObject({ ok: true, problems: [], latest: { id: snapshotId, seq: 1 } });
    const counts = verify.counts as { manifests: number; packs: number; indexes: number; chunks: number; bytes: number };
    expect(counts.manifests).toBe(1);
    expect(counts.packs).toBeGreaterThanOrEqual(1);
    expect(counts.indexes).toBeGreaterThanOrEqual(1);
    expect(counts.chunks).toBeGreaterThanOrEqual(4);
    expect(counts.packs).toBeGreaterThanOrEqual(3);
    // Every stored byte is accounted for: plaintext, one tag per chunk, one header per pack.
    expect(counts.bytes + counts.chunks * TAG_BYTES + counts.packs * HEADER_BYTES).toBe(lock.bytesStored);

    // Refusals, each with its exit code; none of them touches the home.
    failed(runCli(['lock', 'cli-locker', '--json'], env), 6, 'ALREADY_LOCKED');
    failed(runCli(['unlock', 'cli-locker', '--json'], { ...env, ENVELOCK_PASSPHRASE: 'this is the wrong passphrase' }), 3, 'WRONG_PASSPHRASE');
    expect(readdirSync(home)).toEqual([]);
    const wrongKeyFile = join(base, 'wrong-recovery-key.txt');
    writeFileSync(wrongKeyFile, `${formatRecoveryKey(generateRecoveryKey())}\n`);
    failed(runCli(['unlock', 'cli-locker', '--recovery-key-file', wrongKeyFile, '--json'], env), 3, 'WRONG_RECOVERY_KEY');
    expect(readdirSync(home)).toEqual([]);
    writeFileSync(join(home, 'stray.txt'), 'not in the locker\n');
    failed(runCli(['unlock', 'cli-locker', '--json'], env), 6, 'HOME_NOT_EMPTY');
    expect(readdirSync(home)).toEqual(['stray.txt']);
    failed(runCli(['unlock', 'no-such-locker', '--json'], env), 4, 'LOCKER_NOT_FOUND');
    const stillLocked = ok(runCli(['status', 'cli-locker', '--json'], env));
    expect((stillLocked.lockers as { state: string }[])[0]?.state).toBe('locked');

    // unlock with the recovery key printed by init (no passphrase available at all).
    rmSync(join(home, 'stray.txt'));
    const keyFile = join(base, 'recovery-key.txt');
    writeFileSync(keyFile, `${recoveryKey}\n`);
    const unlock = ok(runCli(['unlock', 'cli-locker', '--recovery-key-file', keyFile, '--json'], { ...env, ENVELOCK_PASSPHRASE: '' }));
    expect(unlock).toMatchObject({ ok: true, locker: 'cli-locker', home, files, snapshot: { id: snapshotId, seq: 1 } });
    expect(snapshotTree(home)).toEqual(before);

    const unlocked = ok(runCli(['status', '--json'], env));
    expect(unlocked.lockers).toEqual([expect.objectContaining({ name: 'cli-locker', state: 'unlocked', lastSnapshot: { id: snapshotId, seq: 1 } })]);

    // A seal with nothing changed writes no snapshot; text output says so.
    const seal = ok(runCli(['seal', 'cli-locker', '--json'], env));
    expect(seal).toMatchObject({ ok: true, changed: false, snapshot: { id: snapshotId, seq: 1 }, bytesStored: 0 });
    const text = runCli(['snapshots', 'cli-locker'], env);
    expect(text.status).toBe(0);
    expect(text.stdout.trim().split('\n')).toHaveLength(1);
  });
});

/** The uid/gid the tests drop to when they run as root: modes mean nothing to root. */
const NOBODY = '65534';

/** runCli, but as an ordinary user: as-is when the tests are not root, through setpriv when they are. */
function runCliAsUser(args: readonly string[], env: Record<string, string>): CliResult {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'setpriv' : process.execPath;
  const argv = asRoot ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CLI, ...args] : [CLI, ...args];
  const result = spawnSync(command, argv, {
    encoding: 'utf8',
    env: { ...process.env, ENVELOCK_PASSPHRASE: PASSPHRASE, ENVELOCK_KDF_TARGET_MS: '50', ...env },
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) as Record<string, unknown> };
}

describe('envelock CLI as an ordinary user', () => {
  it('locks (with --shred) and unlocks read-only folders and files', ({ skip }) => {
    if (process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status !== 0) skip('running as root without setpriv: cannot test as an ordinary user');
    const base = realpathSync(tempDir('envelock-cli-user-'));
    const home = join(base, 'user-home');
    mkdirSync(join(home, 'Read Only Folder', 'Locked Inside'), { recursive: true });
    writeFileSync(join(home, 'Read Only Folder', 'inside-read-only.txt'), 'inside a read-only folder\n');
    writeFileSync(join(home, 'Read Only Folder', 'Locked Inside', 'deeper.txt'), 'inside two read-only folders\n');
    writeFileSync(join(home, 'read-only-file.txt'), 'a read-only file, shredded on lock\n');
    chmodSync(join(home, 'read-only-file.txt'), 0o444);
    chmodSync(join(home, 'Read Only Folder', 'Locked Inside'), 0o500);
    chmodSync(join(home, 'Read Only Folder'), 0o555);
    if (process.getuid?.() === 0) {
      chmodSync(base, 0o755);
      expect(spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, base]).status).toBe(0);
    }
    const before = snapshotTree(home);
    const env = { ENVELOCK_CONFIG_DIR: join(base, 'config') };

    ok(runCliAsUser(['init', home, '--store', join(base, 'store'), '--name', 'user-locker', '--json'], env));
    const lock = ok(runCliAsUser(['lock', 'user-locker', '--shred', '--json'], env));
    expect(lock).toMatchObject({ ok: true, changed: true, removed: Object.keys(before).length });
    expect(readdirSync(home)).toEqual([]);
    const status = ok(runCliAsUser(['status', 'user-locker', '--json'], env));
    expect((status.lockers as { state: string }[])[0]?.state).toBe('locked');

    ok(runCliAsUser(['unlock', 'user-locker', '--json'], env));
    expect(snapshotTree(home)).toEqual(before);
  });
});

describe('envelock CLI and Ctrl-C', () => {
  it('the first SIGINT stops a lock where nothing is lost: exit 130, CANCELLED, every file still home', async () => {
    const base = realpathSync(tempDir('envelock-cli-sigint-'));
    const home = join(base, 'home');
    mkdirSync(home);
    for (let i = 0; i < 8; i++) writeFileSync(join(home, `part-${i}.bin`), randomBytes(8 * 1024 * 1024));
    const before = snapshotTree(home);
    const env = { ENVELOCK_CONFIG_DIR: join(base, 'config') };
    ok(runCli(['init', home, '--store', join(base, 'store'), '--name', 'sigint', '--json'], env));

    // ENVELOCK_TIMINGS prints each phase as it starts: SIGINT goes out when sealing begins.
    const child = spawn(process.execPath, [CLI, 'lock', 'sigint', '--json'], {
      env: { ...process.env, ENVELOCK_PASSPHRASE: PASSPHRASE, ENVELOCK_TIMINGS: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false; // once only: a second Ctrl-C means "stop at once"
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
      if (!interrupted && stderr.includes('Sealing')) interrupted = child.kill('SIGINT');
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status, stderr).toBe(130);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(stderr).toContain('stopping where nothing is lost');
    expect(snapshotTree(home)).toEqual(before);
    const status2 = ok(runCli(['status', 'sigint', '--json'], env));
    expect((status2.lockers as { state: string }[])[0]?.state).toBe('unlocked');
  });
});
