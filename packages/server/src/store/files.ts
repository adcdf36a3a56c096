// Modes of the files Pushline keeps on disk. The data directory holds the SQLite database (message text,
// device tokens), its WAL, the generated master key and the node's ID: none of it is for other users of
// the machine. Files are created owner-only (0600) and directories 0700, whatever the process umask.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) with mode 0700. An existing directory keeps its mode (it may be
 * shared on purpose, like /tmp; see looseDirMode).
 */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir applies the umask, which can only take bits away; make sure of the result anyway.
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** The mode of an existing `dir` when it lets group or others in; undefined when it does not (or is missing). */
export function looseDirMode(dir: string): number | undefined {
  if (!existsSync(dir)) return undefined;
  const mode = statSync(dir).mode & 0o777;
  return mode & 0o077 ? mode : undefined;
}

/** Creates an empty `file` with mode 0600 if it does not exist; takes group and other bits off if it does. */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) {
    closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  }
  makePrivate(file);
}

/**
 * Takes group and other permissions off an existing file; nothing when it is missing, or when this
 * process may not change its mode (another owner, a read-only filesystem): that is the operator's choice.
 */
export function makePrivate(file: string): void {
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, mode & 0o700);
  } catch (err) {
    if (!['ENOENT', 'EPERM', 'EACCES', 'EROFS'].includes((err as NodeJS.ErrnoException).code ?? ''))
      throw err;
  }
}
