/**
 * Every failure a user can cause, as a value with a code, a message and a fix.
 * Shared by the CLI and (later) the UI, so an error reads the same everywhere.
 * No Node or DOM imports here: this file is part of the IPC contract.
 */

export const ERROR_CODES = {
  USAGE: { exit: 2, fix: 'Run `envelock --help` for the commands and their options.' },
  WRONG_PASSPHRASE: { exit: 3, fix: 'Check the passphrase (caps lock, keyboard layout) and try again, or unlock with --recovery-key-file.' },
  WRONG_RECOVERY_KEY: { exit: 3, fix: 'Use the recovery key printed when this locker was created (or when the key was last replaced).' },
  INVALID_RECOVERY_KEY: { exit: 3, fix: 'Copy the recovery key again: it looks like ELK-XXXX-XXXX-… with nine groups; a typo changes its check group.' },
  PASSPHRASE_REQUIRED: { exit: 3, fix: 'Type it at the prompt, or pass --passphrase-file FILE, or set ENVELOCK_PASSPHRASE for scripts.' },
  WEAK_PASSPHRASE: { exit: 3, fix: 'Choose a passphrase of at least 10 characters without repeats or common words; four or five random words are strong and easy to type.' },
  TOO_MANY_ATTEMPTS: { exit: 3, fix: 'Wait the time shown, then try again; after repeated wrong passphrases each try waits longer. The recovery key also opens the locker.' },
  LOCKER_NOT_FOUND: { exit: 4, fix: 'Run `envelock list` to see your lockers; a locker is named by its name, its id or its home folder.' },
  SNAPSHOT_NOT_FOUND: { exit: 4, fix: 'Run `envelock snapshots <locker>` to see the snapshot ids.' },
  HOME_MISSING: { exit: 4, fix: 'The home folder was moved or deleted. Put it back, or unlock to a fresh home with `envelock restore <locker> --to <dir>`.' },
  FOLDER_NOT_FOUND: { exit: 4, fix: 'Check the path; it must be an existing folder.' },
  LOCKER_EXISTS: { exit: 6, fix: 'This folder or name already belongs to a locker: run `envelock status` to see it, or pick another --name.' },
  HOME_NOT_EMPTY: { exit: 6, fix: 'Move the files now in the home folder elsewhere (they are not part of the locker), then unlock again; or use `envelock restore --to <empty dir>`.' },
  TARGET_NOT_EMPTY: { exit: 6, fix: 'Restore into a folder that does not exist yet or is empty.' },
  ALREADY_LOCKED: { exit: 6, fix: 'Nothing to do: the locker is locked. Unlock it with `envelock unlock <locker>`.' },
  NOT_UNLOCKED: { exit: 6, fix: 'Unlock the locker first with `envelock unlock <locker>`.' },
  ALREADY_UNLOCKED: { exit: 6, fix: 'Nothing to do: the locker is unlocked; its files are in the home folder.' },
  LOCKER_BUSY: { exit: 6, fix: 'Another envelock process is working on this locker; wait for it to finish. If none is running, retry: a stale lock is taken over automatically.' },
  FILE_BUSY: { exit: 7, fix: 'Close the program that is writing to the file and lock again; only files already safe in the locker were removed.' },
  DISK_FULL: { exit: 7, fix: 'Free space on the disk holding the named path, then retry; nothing was lost.' },
  PERMISSION_DENIED: { exit: 7, fix: 'Give your user read/write access to the named path (or run as its owner), then retry.' },
  IO_ERROR: { exit: 7, fix: 'Check the disk and the named path, then retry.' },
  NAME_NOT_UTF8: { exit: 7, fix: 'Rename the file or folder to a UTF-8 name (for example with `convmv`), then retry; nothing was removed.' },
  PATH_TOO_LONG: { exit: 7, fix: 'Shorten some folder or file names, or move the folder closer to the root of the disk, then retry; nothing was removed.' },
  OBJECT_CORRUPTED: { exit: 5, fix: 'The named store object was modified or damaged. Restore it from a backup or another copy of the store; run `envelock verify` to list every damaged object.' },
  OBJECT_TRUNCATED: { exit: 5, fix: 'The named store object is shorter than written (interrupted copy or sync). Copy it again from another copy of the store, then run `envelock verify`.' },
  OBJECT_MISSING: { exit: 5, fix: 'An object the locker needs is missing from the store (incomplete sync?). Copy it from another copy of the store, then run `envelock verify`.' },
  ROLLBACK_DETECTED: { exit: 5, fix: 'The store holds an older state than this computer has already seen: someone or something replaced newer objects with older ones. Restore the newer objects from another copy of the store; do not seal until then.' },
  KDF_PARAMS_REFUSED: { exit: 5, fix: 'The keyslot asks for key-derivation parameters outside the safe range; it was not written by Envelock. Restore the keyslots object from a backup.' },
  UNSUPPORTED_FORMAT: { exit: 5, fix: 'This locker was written by a different Envelock format version; update Envelock.' },
  NOT_A_LOCKER: { exit: 4, fix: 'The store folder holds no Envelock locker; check the --store path.' },
  CANCELLED: { exit: 130, fix: 'Nothing was lost. Start it again whenever you like.' },
  LAST_KEYSLOT: { exit: 6, fix: 'A locker must keep at least one way in: add another keyslot before removing this one.' },
  INVALID_ARGUMENT: { exit: 2, fix: 'The app sent a request it should not have; restart Envelock. If it happens again, please report it.' },
  FORBIDDEN_SENDER: { exit: 1, fix: 'Only Envelock\'s own window may ask for locker operations; close any other window or content and retry.' },
  INTERNAL: { exit: 1, fix: 'This is a bug in Envelock. Nothing was deleted; please report it with the command you ran.' },
} as const satisfies Record<string, { exit: number; fix: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** What crosses a process or IPC boundary: plain data, no stack, no key material. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  fix: string;
  /** The store object, file or folder the error is about, when there is one. */
  subject?: string;
}

export class EnvelockError extends Error {
  readonly code: ErrorCode;
  readonly fix: string;
  readonly subject: string | undefined;

  constructor(code: ErrorCode, message: string, options: { subject?: string | undefined; fix?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EnvelockError';
    this.code = code;
    this.fix = options.fix ?? ERROR_CODES[code].fix;
    this.subject = options.subject;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message, fix: this.fix };
    if (this.subject !== undefined) info.subject = this.subject;
    return info;
  }
}

const ERRNO_TO_CODE: Record<string, ErrorCode> = {
  ENOSPC: 'DISK_FULL',
  EDQUOT: 'DISK_FULL',
  EACCES: 'PERMISSION_DENIED',
  EPERM: 'PERMISSION_DENIED',
  EROFS: 'PERMISSION_DENIED',
  EBUSY: 'FILE_BUSY',
  ETXTBSY: 'FILE_BUSY',
  EIO: 'IO_ERROR',
  ENAMETOOLONG: 'PATH_TOO_LONG',
};

const ERRNO_TO_TEXT: Record<string, string> = {
  DISK_FULL: 'The disk is full',
  PERMISSION_DENIED: 'Permission denied',
  FILE_BUSY: 'The file is busy',
  IO_ERROR: 'A disk read or write failed',
  PATH_TOO_LONG: 'A path is longer than the operating system allows',
};

/** Paths near PATH_MAX make unreadable messages: keep both ends. */
function shortenPath(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 80)}…${path.slice(-100)}`;
}

/**
 * The one place where unknown failures become EnvelockErrors. System errors keep
 * only their errno and path: never their message text from deep inside a stack.
 */
export function toEnvelockError(error: unknown): EnvelockError {
  if (error instanceof EnvelockError) return error;
  const errno = typeof error === 'object' && error !== null ? (error as { code?: unknown; path?: unknown }) : undefined;
  const sysCode = typeof errno?.code === 'string' ? errno.code : undefined;
  const path = typeof errno?.path === 'string' ? errno.path : undefined;
  const code = sysCode === undefined ? undefined : ERRNO_TO_CODE[sysCode];
  if (code !== undefined) {
    const text = ERRNO_TO_TEXT[code] ?? 'I/O error';
    return new EnvelockError(code, path === undefined ? `${text} (${sysCode}).` : `${text}: ${shortenPath(path)} (${sysCode}).`, { subject: path, cause: error });
  }
  if (sysCode === 'ENOENT' && path !== undefined) {
    return new EnvelockError('IO_ERROR', `A file or folder disappeared while Envelock was using it: ${path}.`, { subject: path, cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new EnvelockError('INTERNAL', `Unexpected error: ${detail}`, { cause: error });
}
