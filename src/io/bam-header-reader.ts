import { fileError } from '../util/errors.js';

export interface BamRef {
  name: string;
  length: number;
}

export interface BamHeader {
  refs: BamRef[];
  /** The SAM header text (@HD, @SQ, @RG, @PG lines), up to its first NUL byte. */
  text: string;
}

/**
 * Limits on what a BAM header may declare, checked before anything of that size is kept, so that
 * a corrupt length is one clean error instead of a multi-gigabyte allocation. Policy choices with
 * wide margins: GRCh38 with alts and decoys has 3,366 contigs and a header text of ~0.3 MB;
 * htslib itself checks none of these (it allocates whatever `l_text` says).
 */
export const BAM_HEADER_LIMITS = {
  /** Header text kept (bytes before the first NUL): V8 strings stop at 2^29 − 24 characters. */
  maxTextBytes: 256 << 20,
  /** Contigs (n_ref): 2^24, beyond any human or pan-genome reference. */
  maxRefs: 1 << 24,
  /** One contig name, with its NUL (l_name). */
  maxRefNameBytes: 1 << 20,
} as const;

const enum Field {
  Magic,
  TextLength,
  Text,
  RefCount,
  NameLength,
  NameAndLength,
  Done,
}

/**
 * Incremental BAM header parser (SAM spec §4.2: magic, l_text, text, n_ref, then per contig
 * l_name, name, l_ref). Bytes are pushed in pieces of any size (one inflated BGZF block, or the
 * stream's growing prefix); each byte is looked at once, so reading is linear in the header's size
 * whatever its shape (128 MiB of NUL padding, 150,000 contigs). Only the text before its first NUL
 * is kept, as htslib's parser stops there too.
 */
export class BamHeaderReader {
  private field = Field.Magic;
  /** Bytes still wanted for the fixed-size field being assembled, and the bytes gathered so far. */
  private want = 4;
  private have = 0;
  private scratch: Buffer = Buffer.alloc(16);
  private textLeft = 0;
  private textParts: Buffer[] = [];
  private textBytes = 0;
  private textEnded = false;
  /** Last byte of the text seen (newline at the start) and lines completed, for the '@' check. */
  private lastTextByte = 10;
  private textLines = 0;
  /** First text line not starting with '@' (0: none so far). */
  private badTextLine = 0;
  private lText = 0;
  private nRef = 0;
  private lName = 0;
  private refs: BamRef[] = [];
  private refIndex = new Map<string, number>();
  /** Bytes of the stream consumed so far; the header's length once done. */
  private consumed = 0;
  /** parsePrefix: how much of the caller's prefix has been pushed already. */
  private fed = 0;
  private result: BamHeader | null = null;

  /** Contigs read so far (in length-only mode nothing else is kept). */
  private refsRead = 0;
  private readonly lengthOnly: boolean;

  /**
   * `lengthOnly`: find where the header ends and nothing more (no text, names or checks kept) —
   * for a pass that skips a header already read and checked by readBamHeader.
   */
  constructor(
    readonly file: string,
    options: { lengthOnly?: boolean } = {},
  ) {
    this.lengthOnly = options.lengthOnly ?? false;
  }

  get header(): BamHeader | null {
    return this.result;
  }

  /** Length in bytes of the header in the inflated stream (valid once `header` is set). */
  get length(): number {
    return this.consumed;
  }

  /**
   * Feeds the next bytes of the stream. Returns how many bytes of `chunk` belong to the header
   * once it is complete (the records start right after), or -1 when more bytes are needed.
   */
  push(chunk: Uint8Array): number {
    if (this.result) return 0;
    let i = 0;
    while (this.field !== Field.Done) {
      if (i >= chunk.length) {
        this.consumed += i;
        return -1;
      }
      if (this.field === Field.Text) {
        const take = Math.min(this.textLeft, chunk.length - i);
        this.keepText(chunk, i, take);
        i += take;
        this.textLeft -= take;
        if (this.textLeft === 0) {
          if (this.badTextLine > 0) throw this.corrupt(`header text line ${this.badTextLine} does not start with '@'`);
          this.expect(Field.RefCount, 4);
        }
        continue;
      }
      const take = Math.min(this.want - this.have, chunk.length - i);
      if (take > 64) this.scratch.set(chunk.subarray(i, i + take), this.have);
      else for (let k = 0; k < take; k++) this.scratch[this.have + k] = chunk[i + k];
      this.have += take;
      i += take;
      if (this.have === this.want) this.fieldComplete();
    }
    this.consumed += i;
    return i;
  }

  /**
   * For a caller that holds the stream from its start in one growing buffer: parses what is new
   * since the last call. The header and its length, or null while incomplete.
   */
  parsePrefix(prefix: Uint8Array): { header: BamHeader; length: number } | null {
    if (!this.result) {
      if (prefix.length > this.fed) this.push(prefix.subarray(this.fed));
      this.fed = prefix.length;
    }
    return this.result ? { header: this.result, length: this.consumed } : null;
  }

  /** The error for a stream that ended before the header did, saying where it stopped. */
  truncated(): Error {
    const where =
      this.field === Field.Text
        ? ` (its text declares ${this.lText} bytes, the file holds ${this.lText - this.textLeft})`
        : this.field >= Field.NameLength
          ? ` (after ${this.refs.length} of ${this.nRef} contigs)`
          : '';
    return fileError(this.file, `truncated BAM: the file ends inside its header${where}`);
  }

  private expect(field: Field, bytes: number): void {
    this.field = field;
    this.want = bytes;
    this.have = 0;
    if (this.scratch.length < bytes) this.scratch = Buffer.alloc(Math.max(bytes, this.scratch.length * 2));
  }

  private keepText(chunk: Uint8Array, at: number, take: number): void {
    if (this.textEnded || take === 0 || this.lengthOnly) return;
    const part = Buffer.from(chunk.buffer, chunk.byteOffset + at, take);
    const nul = part.indexOf(0);
    const kept = nul < 0 ? part : part.subarray(0, nul);
    if (nul >= 0) this.textEnded = true;
    if (this.textBytes + kept.length > BAM_HEADER_LIMITS.maxTextBytes) {
      throw this.corrupt(`header text longer than ${BAM_HEADER_LIMITS.maxTextBytes} bytes (limit)`);
    }
    // As htslib's sam_hdr_sanitise: every line starts with '@' (no blank line, no stray text). The
    // error waits for the end of the text, so that a text length past the end of the file is
    // reported as that (htslib reads the whole text first too).
    for (let k = 0; k < kept.length && this.badTextLine === 0; k++) {
      if (this.lastTextByte === 10 && kept[k] !== 64) this.badTextLine = this.textLines + 1;
      if (kept[k] === 10) this.textLines++;
      this.lastTextByte = kept[k];
    }
    if (kept.length > 0) this.textParts.push(Buffer.from(kept));
    this.textBytes += kept.length;
  }

  private fieldComplete(): void {
    const s = this.scratch;
    switch (this.field) {
      case Field.Magic:
        if (s[0] !== 66 || s[1] !== 65 || s[2] !== 77 || s[3] !== 1) {
          throw fileError(this.file, 'not a BAM file (no BAM\\1 magic after decompression)');
        }
        this.expect(Field.TextLength, 4);
        return;
      case Field.TextLength:
        this.lText = s.readInt32LE(0);
        if (this.lText < 0) throw this.corrupt(`negative header text length ${this.lText}`);
        this.textLeft = this.lText;
        if (this.lText > 0) {
          this.field = Field.Text;
          return;
        }
        this.expect(Field.RefCount, 4);
        return;
      case Field.RefCount:
        this.nRef = s.readInt32LE(0);
        if (this.nRef < 0) throw this.corrupt(`negative reference count ${this.nRef}`);
        if (this.nRef > BAM_HEADER_LIMITS.maxRefs) {
          throw this.corrupt(`${this.nRef} references, more than the limit of ${BAM_HEADER_LIMITS.maxRefs}`);
        }
        if (this.nRef === 0) this.finish();
        else this.expect(Field.NameLength, 4);
        return;
      case Field.NameLength:
        this.lName = s.readInt32LE(0);
        if (this.lName < 1) throw this.corrupt(`reference ${this.refs.length} has name length ${this.lName}`);
        if (this.lName > BAM_HEADER_LIMITS.maxRefNameBytes) {
          throw this.corrupt(
            `reference ${this.refs.length} has name length ${this.lName}, more than the limit of ${BAM_HEADER_LIMITS.maxRefNameBytes}`,
          );
        }
        this.expect(Field.NameAndLength, this.lName + 4);
        return;
      case Field.NameAndLength: {
        this.refsRead++;
        if (this.lengthOnly) {
          if (this.refsRead === this.nRef) this.finish();
          else this.expect(Field.NameLength, 4);
          return;
        }
        // htslib keeps the name up to its first NUL and repairs a missing final NUL.
        let end = 0;
        while (end < this.lName && s[end] !== 0) end++;
        const name = s.toString('latin1', 0, end);
        const length = s.readInt32LE(this.lName);
        const id = this.refs.length;
        if (name === '') throw this.corrupt(`reference ${id} has an empty name`);
        if (length < 0) throw this.corrupt(`reference ${id} has negative length ${length}`);
        const first = this.refIndex.get(name);
        if (first !== undefined) throw this.corrupt(`contig name appears twice (references ${first} and ${id})`);
        this.refIndex.set(name, id);
        this.refs.push({ name, length });
        if (this.refsRead === this.nRef) this.finish();
        else this.expect(Field.NameLength, 4);
        return;
      }
      default:
        return;
    }
  }

  private finish(): void {
    this.field = Field.Done;
    if (this.lengthOnly) {
      this.result = { refs: [], text: '' };
      return;
    }
    const text = Buffer.concat(this.textParts, this.textBytes).toString('utf8');
    this.textParts = [];
    this.refIndex = new Map();
    this.checkSqLines(text);
    this.result = { refs: this.refs, text };
  }

  /**
   * htslib takes contig names and lengths from the text's @SQ lines when it has any (and refuses
   * an @SQ line without SN or LN, or a name given twice); oligotrack takes them from the binary
   * list. Where the two disagree samtools and oligotrack would name the same reads differently, so
   * the header is refused instead of counted either way.
   */
  private checkSqLines(text: string): void {
    let i = 0;
    for (let at = text.indexOf('@SQ\t'); at >= 0; at = text.indexOf('@SQ\t', at + 4)) {
      if (at > 0 && text.charCodeAt(at - 1) !== 10) continue; // not at the start of a line
      const end = text.indexOf('\n', at);
      const line = end < 0 ? text.slice(at) : text.slice(at, end);
      const sn = fieldOf(line, 'SN');
      const ln = fieldOf(line, 'LN');
      if (sn === undefined || ln === undefined)
        throw this.corrupt(`an @SQ line of its text has no ${sn === undefined ? 'SN' : 'LN'} field`);
      const ref = this.refs[i];
      if (!ref || ref.name !== sn || String(ref.length) !== ln) {
        const list = ref ? `${ref.name} LN:${ref.length}` : 'no such reference';
        throw this.corrupt(`its text and its reference list disagree at reference ${i} (@SQ SN:${sn} LN:${ln}; list: ${list})`);
      }
      i++;
    }
    if (i > 0 && i !== this.refs.length)
      throw this.corrupt(`its text has ${i} @SQ lines, its reference list ${this.refs.length} references`);
  }

  private corrupt(what: string): Error {
    return fileError(this.file, `corrupt BAM header: ${what}`);
  }
}

/** The value of tag `tag` (`SN`, `LN`) in a tab-separated SAM header line, or undefined. */
function fieldOf(line: string, tag: string): string | undefined {
  const at = line.indexOf(`\t${tag}:`);
  if (at < 0) return undefined;
  const end = line.indexOf('\t', at + 1);
  return end < 0 ? line.slice(at + 4) : line.slice(at + 4, end);
}

/**
 * Parses a BAM header from the start of an inflated stream held in one buffer. Returns null when
 * `bytes` does not yet hold all of it. Callers that grow the buffer should keep one
 * BamHeaderReader and call its parsePrefix instead, which does not parse the start again.
 */
export function parseBamHeader(bytes: Uint8Array, file: string): { header: BamHeader; length: number } | null {
  return new BamHeaderReader(file).parsePrefix(bytes);
}
