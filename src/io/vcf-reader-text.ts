import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { fileError, UserError } from '../util/errors.js';
import { isGzipMagic } from './bgzf-reader.js';

/**
 * Text inputs (VCF, panel TSV; plain, gzip or BGZF) read from a path that may be a regular file or
 * a stream: a named pipe (`--sites <(zcat x.vcf.gz)`), /dev/stdin. A stream can be read once, but
 * its format is recognised from its first bytes and then read again from the start; so a
 * non-regular file is read whole, once, into memory and served from there (site lists are small;
 * the cap keeps /dev/zero from filling memory).
 */
export const MAX_STREAMED_TEXT_BYTES = 256 << 20;
const streamed = new Map<string, Buffer>();

function cannotRead(path: string, e: unknown): UserError {
  return fileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
}

function openOrThrow(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw cannotRead(path, e);
  }
}

/** The whole content of a non-regular file (read once, then remembered), or null for a regular file. */
function streamedBytes(path: string): Buffer | null {
  const kept = streamed.get(path);
  if (kept) return kept;
  const fd = openOrThrow(path);
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() || stat.isDirectory()) return null;
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_STREAMED_TEXT_BYTES) {
        throw fileError(path, `more than ${MAX_STREAMED_TEXT_BYTES} bytes from a pipe or device; write it to a file first`);
      }
      parts.push(buf.subarray(0, n));
    }
    const all = Buffer.concat(parts, total);
    streamed.set(path, all);
    return all;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw cannotRead(path, e);
  } finally {
    closeSync(fd);
  }
}

/** The first `bytes` bytes of the file as stored (compressed or not). */
function rawHead(path: string, bytes: number): Buffer {
  const whole = streamedBytes(path);
  if (whole) return whole.subarray(0, bytes);
  const fd = openOrThrow(path);
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } catch (e) {
    throw cannotRead(path, e);
  } finally {
    closeSync(fd);
  }
}

/** True when the file starts with the gzip magic bytes (plain gzip or BGZF). */
export function isGzipFile(path: string): boolean {
  const magic = rawHead(path, 2);
  return isGzipMagic(magic);
}

const BOM = '\ufeff';

/**
 * The first `bytes` characters' worth of text of a (possibly compressed) file, a UTF-8 byte-order
 * mark removed, to recognise its format: a VCF starting with a BOM is still a VCF.
 */
export function readTextHead(path: string, bytes: number): string {
  const gz = isGzipFile(path);
  // One BGZF block holds ≤ 64 KiB of text; its compressed form is smaller than 70 KiB.
  const head = rawHead(path, gz ? Math.max(bytes, 70 * 1024) : bytes);
  let text: string;
  if (!gz) text = head.toString('utf8');
  else {
    try {
      text = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a partial stream */ }).toString('utf8', 0, bytes);
    } catch (e) {
      throw fileError(path, `corrupt compressed data (${(e as Error).message})`);
    }
  }
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/** Whether `path` is a regular file (random access, e.g. through a tabix index), not a pipe or device. */
export function isRegularFile(path: string): boolean {
  return streamedBytes(path) === null;
}

/**
 * Stream a text file (plain, gzip or BGZF — BGZF is multi-member gzip, which node's gunzip reads
 * to the end) line by line with 1-based line numbers, a leading UTF-8 byte-order mark removed
 * (spreadsheets and Windows editors write one). `onLine` may throw a UserError to stop.
 * A truncated or corrupt compressed stream becomes one error naming the file.
 */
export async function readTextLines(path: string, onLine: (line: string, lineNo: number) => void): Promise<void> {
  const gz = isGzipFile(path);
  const whole = streamedBytes(path);
  const raw: Readable = whole ? Readable.from([whole]) : createReadStream(path);
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
  // readline passes its input's errors on as its own: a corrupt gzip tail that fails after the
  // loop has stopped must not become an uncaught 'error' event.
  lines.on('error', remember);
  let lineNo = 0;
  try {
    for await (const read of lines) {
      lineNo++;
      let line = read.endsWith('\r') ? read.slice(0, -1) : read;
      if (lineNo === 1 && line.startsWith(BOM)) line = line.slice(1);
      onLine(line, lineNo);
      if (streamError) break;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    remember(e as Error);
  } finally {
    lines.close();
    if (source !== raw) source.destroy();
    raw.destroy();
  }
  if (streamError) {
    const code = (streamError as NodeJS.ErrnoException).code;
    if (gz && code !== 'ENOENT' && code !== 'EACCES' && code !== 'EISDIR') {
      throw fileError(path, `corrupt or truncated compressed data after line ${lineNo} (${code ?? streamError.message})`);
    }
    throw fileError(path, `cannot read (${code ?? streamError.message})`);
  }
}
