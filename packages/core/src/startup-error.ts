/**
 * A process cannot start. The message says what failed and names the path or variable
 * involved; the hint says what to do. The app shells print both, without a stack trace,
 * and exit non-zero.
 */
export class StartupError extends Error {
  readonly hint: string;

  constructor(message: string, hint: string, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'StartupError';
    this.hint = hint;
  }
}

export const isStartupError = (e: unknown): e is StartupError => e instanceof StartupError;

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/**
 * A file-system failure on a folder Refrain needs, in words: `what` names the variable or
 * role of the folder (e.g. `DATA_DIR`), `where` is the path.
 */
export function folderError(err: unknown, what: string, where: string, user: string): StartupError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new StartupError(`${what} (${where}) is a file, or has a file on its path, where a folder should be.`, `Point ${what} at a folder, or move the file away.`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new StartupError(`${what} (${where}) cannot be written by user ${user} (${code}).`, `Give user ${user} write access to it, or point ${what} at a folder it can write.`, { cause: err });
    case 'EROFS':
      return new StartupError(`${what} (${where}) is on a read-only file system.`, `Point ${what} at a writable folder.`, { cause: err });
    case 'ENOSPC':
    case 'EDQUOT':
      return new StartupError(`The disk holding ${what} (${where}) is full (${code}).`, `Free some space, or point ${what} at another disk.`, { cause: err });
    default:
      return new StartupError(`${what} (${where}) cannot be used: ${(err as Error)?.message ?? String(err)}.`, `Check the folder, or point ${what} elsewhere.`, { cause: err });
  }
}
