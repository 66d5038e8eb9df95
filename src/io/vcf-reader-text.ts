import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { fileError, UserError } from '../util/errors.js';

/** True when the file starts with the gzip magic bytes (plain gzip or BGZF). */
export function isGzipFile(path: string): boolean {
  const fd = openOrThrow(path);
  try {
    const magic = Buffer.alloc(2);
    const n = readSync(fd, magic, 0, 2, 0);
    return n === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (e) {
    throw fileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

function openOrThrow(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw fileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Stream a text file (plain, gzip or BGZF — BGZF is multi-member gzip, which node's gunzip reads
 * to the end) line by line with 1-based line numbers. `onLine` may throw a UserError to stop.
 * A truncated or corrupt compressed stream becomes one error naming the file.
 */
export async function readTextLines(path: string, onLine: (line: string, lineNo: number) => void): Promise<void> {
  const gz = isGzipFile(path);
  const raw = createReadStream(path);
  let source: Readable = raw;
  let streamError: Error | undefined;
  const remember = (e: Error) => {
    streamError ??= e;
  };
  raw.on('error', remember);
  if (gz) {
    const gunzip = createGunzip();
    gunzip.on('error', remember);
    source = raw.pipe(gunzip);
  }
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line, lineNo);
      if (streamError) break;
    }
  } catch (e) {
    raw.destroy();
    if (e instanceof UserError) throw e;
    remember(e as Error);
  }
  if (streamError) {
    const code = (streamError as NodeJS.ErrnoException).code;
    if (gz && code !== 'ENOENT' && code !== 'EACCES' && code !== 'EISDIR') {
      throw fileError(path, `corrupt or truncated compressed data after line ${lineNo} (${code ?? streamError.message})`);
    }
    throw fileError(path, `cannot read (${code ?? streamError.message})`);
  }
}
