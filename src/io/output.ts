import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../util/errors.js';

/**
 * Write a whole output at once, atomically: to a temporary file beside the target, then renamed.
 * A failure (or a kill) never leaves a partial file under the target name. `-` writes to stdout.
 */
export function writeOutput(path: string, data: string | Uint8Array): void {
  if (path === '-') {
    writeStdout(data);
    return;
  }
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${path}: cannot write output (${err.code ?? err.message})`);
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
