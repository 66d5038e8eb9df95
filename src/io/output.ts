import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../util/errors.js';

/**
 * Write a whole output at once, atomically: to a temporary file beside the target, then renamed.
 * A failure (or a kill) never leaves a partial file under the target name. `-` writes to stdout.
 * The rename replaces a symlink at the target rather than writing through it.
 */
export function writeOutput(path: string, data: string | Uint8Array): void {
  if (path === '-') {
    writeStdout(data);
    return;
  }
  // fs would throw a TypeError (an "internal error") for a NUL; a path cannot hold one.
  if (path.includes('\0')) throw new UserError(`${path}: an output file name cannot contain a NUL byte`);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    ensureDirectory(dirname(path), path);
    // 'wx': never through a file or symlink someone placed under the temporary name.
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The temporary file was never created (e.g. its parent is a file): nothing to remove.
    }
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${path}: cannot write output (${err.code ?? err.message})`);
  }
}

/**
 * Create `dir` and its missing parents one level at a time. Node's `mkdirSync(…, {recursive})`
 * loops forever on some pseudo-filesystems (`/proc/x`); a parent that is a regular file is named.
 */
export function ensureDirectory(dir: string, forPath: string = dir): void {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(current).isDirectory();
    } catch {
      isDir = undefined;
    }
    if (isDir === true) break;
    if (isDir === false) throw new UserError(`${forPath}: cannot write output (${current} is not a directory)`);
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code !== 'EEXIST')
        throw new UserError(`${forPath}: cannot write output (cannot create directory ${d}: ${err.code ?? err.message})`);
    }
  }
}

/** stdout write that treats a closed pipe (`| head`) as a normal end, as CLI users expect. */
export function writeStdout(data: string | Uint8Array): void {
  try {
    writeFileSync(1, data);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EPIPE') process.exit(0);
    if (err.code === 'EAGAIN') {
      // stdout is a non-blocking pipe: fall back to the stream, which queues.
      process.stdout.write(data);
      return;
    }
    throw e;
  }
}
