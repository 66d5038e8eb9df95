import { UserError } from '../util/errors.js';

/**
 * SQLite error codes that mean "this file is not a usable oligotrack store" rather than a bug:
 * they become one clear line naming the file (exit 1), never a stack trace.
 */
const FILE_PROBLEMS: Record<string, string> = {
  SQLITE_NOTADB: 'not an SQLite database (corrupt, or some other kind of file)',
  SQLITE_CORRUPT: 'database is corrupt',
  SQLITE_CORRUPT_INDEX: 'database index is corrupt',
  SQLITE_CANTOPEN: 'cannot open the database file',
  SQLITE_READONLY: 'database is read-only',
  SQLITE_FULL: 'disk full while writing the database',
  SQLITE_IOERR: 'I/O error on the database file',
  SQLITE_BUSY: 'database stayed locked by another process past the busy timeout',
  SQLITE_PERM: 'permission denied on the database file',
};

/** Translate an SQLite error about the file into a UserError; rethrow anything else. */
export function storeError(path: string, e: unknown): never {
  if (e instanceof UserError) throw e;
  const err = e as { code?: string; message?: string };
  const code = err?.code ?? '';
  const known = FILE_PROBLEMS[code] ?? Object.entries(FILE_PROBLEMS).find(([k]) => code.startsWith(`${k}_`))?.[1];
  if (known) throw new UserError(`${path}: ${known} (${code})`);
  throw e;
}
