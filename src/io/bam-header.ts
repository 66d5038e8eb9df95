import { fileError } from '../util/errors.js';
import { BgzfFile, type BgzfBlock } from './bgzf-reader.js';

export interface BamRef {
  name: string;
  length: number;
}

export interface BamHeader {
  refs: BamRef[];
  /** The SAM header text (@HD, @SQ, @RG, @PG lines). */
  text: string;
}

/**
 * Parses the BAM header (SAM spec §4.2: magic, l_text, text, n_ref, refs) from the start of the
 * inflated stream. Returns null when `bytes` does not yet hold all of it.
 */
export function parseBamHeader(bytes: Uint8Array, file: string): { header: BamHeader; length: number } | null {
  if (bytes.length < 8) return null;
  if (bytes[0] !== 66 || bytes[1] !== 65 || bytes[2] !== 77 || bytes[3] !== 1) {
    throw fileError(file, 'not a BAM file (no BAM\\1 magic after decompression)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lText = view.getInt32(4, true);
  if (lText < 0) throw fileError(file, 'corrupt BAM header (negative text length)');
  let p = 8 + lText;
  if (bytes.length < p + 4) return null;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + 8, lText).toString('utf8').replace(/\0+$/, '');
  const nRef = view.getInt32(p, true);
  if (nRef < 0) throw fileError(file, 'corrupt BAM header (negative reference count)');
  p += 4;
  const refs: BamRef[] = [];
  for (let i = 0; i < nRef; i++) {
    if (bytes.length < p + 4) return null;
    const lName = view.getInt32(p, true);
    if (lName < 1) throw fileError(file, `corrupt BAM header (reference ${i} has name length ${lName})`);
    if (bytes.length < p + 4 + lName + 4) return null;
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + p + 4, lName - 1).toString('latin1');
    const length = view.getInt32(p + 4 + lName, true);
    refs.push({ name, length });
    p += 8 + lName;
  }
  return { header: { refs, text }, length: p };
}

/**
 * Standard input can be read once: when the header of `-` is read, the stream (its block iterator
 * and the record bytes already inflated after the header) is kept here for the count to continue.
 */
export interface StdinBam {
  header: BamHeader;
  /** Inflated bytes after the header, already taken from the stream. */
  leftover: Buffer;
  blocks: Iterator<BgzfBlock>;
  file: BgzfFile;
}
let stdinBam: StdinBam | null = null;

/** The stdin stream state after its header (reads the header now if nobody has). */
export function stdinBamStream(): StdinBam {
  if (!stdinBam) readHeaderFrom('-');
  return stdinBam!;
}

function readHeaderFrom(bamPath: string): BamHeader {
  const file = new BgzfFile(bamPath);
  let keepOpen = false;
  try {
    const parts: Buffer[] = [];
    let total = 0;
    const blocks = file.blocksFrom(0);
    for (;;) {
      const next = blocks.next();
      if (next.done) break;
      parts.push(next.value.data);
      total += next.value.data.length;
      const all = parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
      const parsed = parseBamHeader(all, bamPath);
      if (parsed) {
        if (file.isStdin) {
          stdinBam = { header: parsed.header, leftover: Buffer.from(all.subarray(parsed.length)), blocks, file };
          keepOpen = true;
        }
        return parsed.header;
      }
    }
    throw fileError(bamPath, 'truncated BAM: the file ends inside its header');
  } finally {
    if (!keepOpen) file.close();
  }
}

/** Reads the header of a BAM file; `-` reads it from standard input (once, see stdinBamStream). */
export async function readBamHeader(bamPath: string): Promise<BamHeader> {
  if (bamPath === '-' && stdinBam) return stdinBam.header;
  return readHeaderFrom(bamPath);
}
