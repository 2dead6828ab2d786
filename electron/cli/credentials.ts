/**
 * Where secrets come from, in order: a file named on the command line, an
 * environment variable (for scripts, like restic's RESTIC_PASSWORD), then a
 * no-echo prompt on a terminal. Secrets are never printed or logged.
 */
import { readFileSync } from 'node:fs';
import { EnvelockError } from '../../shared/errors.js';
import { parseRecoveryKey } from '../core/crypto/recovery-key.js';
import type { Credential } from '../core/locker/keyslots.js';
import { confirmSecret, readSecret } from './prompt.js';

function readSecretFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new EnvelockError('USAGE', `Cannot read the ${what} file ${path}.`, { subject: path, fix: `Check that ${path} exists and is readable.` });
  }
  // One trailing newline is what `echo pw > file` adds; it is not part of the secret.
  return text.replace(/\r?\n$/, '');
}

async function prompted(prompt: string, confirm: string | undefined): Promise<string> {
  try {
    return confirm === undefined ? await readSecret(prompt) : await confirmSecret(prompt, confirm);
  } catch (error) {
    const message = (error as Error).message;
    if (message === 'mismatch') throw new EnvelockError('USAGE', 'The two passphrases differ.', { fix: 'Type the same passphrase twice.' });
    if (message === 'cancelled') throw new EnvelockError('USAGE', 'Cancelled.', { fix: 'Run the command again when ready.' });
    throw new EnvelockError('PASSPHRASE_REQUIRED', 'A passphrase is needed and there is no terminal to ask for it.');
  }
}

export interface SecretSources {
  readonly passphraseFile?: string | undefined;
  readonly recoveryKeyFile?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/** The credential that opens an existing locker. */
export async function credentialFrom(sources: SecretSources): Promise<Credential> {
  if (sources.recoveryKeyFile !== undefined) return { kind: 'recovery', key: parseRecoveryKey(readSecretFile(sources.recoveryKeyFile, 'recovery key')) };
  if (sources.passphraseFile !== undefined) return { kind: 'passphrase', passphrase: readSecretFile(sources.passphraseFile, 'passphrase') };
  const fromEnv = sources.env.ENVELOCK_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return { kind: 'passphrase', passphrase: fromEnv };
  return { kind: 'passphrase', passphrase: await prompted('Passphrase: ', undefined) };
}

/** A passphrase being chosen (init, passwd): asked twice on a terminal. */
export async function newPassphraseFrom(file: string | undefined, envName: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (file !== undefined) return readSecretFile(file, 'passphrase');
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return prompted('New passphrase: ', 'Repeat the new passphrase: ');
}
