import { existsSync } from 'node:fs';
import { CraiIndex, CramFile, type CramRecord } from '@gmod/cram';
import type { BamHeader } from '../bam-header.js';
import { fileError, UserError } from '../../util/errors.js';
import { checkContainerHeader, guardCramFile } from './block-guard.js';
import { IndexedFastaFile } from '../fasta.js';
import { CramFileHandle } from './file-handle.js';
import { CorruptMatesError, resolveMates } from './mates.js';
import { alignedEnd1, appendBamRecord, BamRecordBuffer, CramRecordError, RecordScratch } from './record-to-bam.js';
import { CramReference, missingReferenceError, parseSqLines, SpanWindow, type SqLine } from './reference.js';

/**
 * A CRAM file (CRAM spec 3.1; versions 2.1, 3.0 and 3.1) read slice by slice through @gmod/cram,
 * each slice's records handed out as BAM records (record-to-bam.ts) for the counting kernel. With a
 * `.crai` only the slices overlapping the requested positions are decoded; without one, every slice
 * in file order. Reference-based slices are decoded against `--reference` after the slice's MD5
 * check. Every failure is a UserError naming the file.
 */

/** A slice as the .crai (or a container's landmarks) locates it. */
export interface SliceRef {
  containerStart: number;
  /** Offset of the slice from the end of the container header. */
  sliceStart: number;
  sliceBytes: number;
}

/** The CRAM EOF container (CRAM spec §9): 38 bytes in 3.x, 30 bytes in 2.1. */
const EOF_V3 = Buffer.from('0f000000ffffffff0fe0454f4600000000010005bdd94f0001000606010001000100ee63014b', 'hex');
const EOF_V21 = Buffer.from('0b000000ffffffff0fe0454f460000000001000001000606010001000100', 'hex');
/** File definition: "CRAM", major, minor, 20-byte file id. */
const DEFINITION_BYTES = 26;

type Container = ReturnType<CramFile['getContainerAtPosition']>;

export class CramReader {
  readonly header: BamHeader;
  readonly sq: SqLine[];
  readonly hasIndex: boolean;
  /** Things the user should know (reference contig lengths that differ from the @SQ lines). */
  readonly warnings: string[];
  private readonly containers = new Map<number, Container>();
  private readonly scratch = new RecordScratch();
  private readonly readGroups: string[];

  private constructor(
    readonly path: string,
    private readonly handle: CramFileHandle,
    private readonly cram: CramFile,
    private readonly index: CraiIndex | null,
    readonly indexPath: string | null,
    headerText: string,
    private readonly reference: CramReference | null,
    readonly version: string,
    private readonly major: number,
  ) {
    this.sq = parseSqLines(headerText);
    this.header = { refs: this.sq.map((s) => ({ name: s.name, length: s.length })), text: headerText };
    this.hasIndex = index !== null;
    this.warnings = [...(reference?.warnings ?? [])];
    this.readGroups = headerText
      .split('\n')
      .filter((l) => l.startsWith('@RG\t'))
      .map(
        (l) =>
          l
            .split('\t')
            .find((f) => f.startsWith('ID:'))
            ?.slice(3) ?? '',
      );
  }

  /** Opens and checks a CRAM (magic, version, EOF container, header) and its reference when given. */
  static async open(path: string, opts: { referencePath?: string; headerOnly?: boolean } = {}): Promise<CramReader> {
    let handle: CramFileHandle;
    try {
      handle = new CramFileHandle(path);
    } catch (e) {
      throw fileError(path, `cannot read CRAM (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      const version = checkDefinition(handle, path);
      const cram = new CramFile({ filehandle: handle, checkSequenceMD5: false, cacheSize: 4 });
      const major = Number(version.split('.')[0]);
      guardCramFile(cram, handle, major);
      await guard(path, async () => checkContainerHeader(handle, DEFINITION_BYTES, major));
      const headerText = await guard(path, () => cram.getHeaderText());
      if (headerText === undefined) throw fileError(path, 'corrupt CRAM: no SAM header in the first container');
      const indexPath = findCraiPath(path);
      const index = indexPath && !opts.headerOnly ? new CraiIndex({ filehandle: new CramFileHandle(indexPath) }) : null;
      const sq = parseSqLines(headerText);
      const reference =
        opts.referencePath && !opts.headerOnly ? new CramReference(new IndexedFastaFile(opts.referencePath), sq, path) : null;
      return new CramReader(path, handle, cram, index, indexPath, headerText, reference, version, major);
    } catch (e) {
      handle.closeSync();
      throw e;
    }
  }

  /** Slices whose alignment span holds any of the 1-based positions (per reference id), in file order. */
  async slicesAt(positions: readonly { refId: number; pos1: number }[]): Promise<SliceRef[]> {
    if (!this.index) return this.allSlices();
    const idx = await guard(this.indexPath!, () => this.index!.getIndex(), 'corrupt .crai index');
    const seen = new Map<string, SliceRef>();
    for (const p of positions) {
      for (const e of idx[p.refId] ?? []) {
        if (e.start <= p.pos1 && p.pos1 < e.start + e.span) seen.set(`${e.containerStart}:${e.sliceStart}`, e);
      }
    }
    for (const s of seen.values()) {
      if (!(s.containerStart >= DEFINITION_BYTES && s.containerStart < this.handle.size && s.sliceBytes >= 0)) {
        throw fileError(
          this.indexPath!,
          `points to byte ${s.containerStart}, past the end of ${this.path} (the CRAM is cut short, or the index belongs to another file)`,
        );
      }
    }
    return [...seen.values()].sort((a, b) => a.containerStart - b.containerStart || a.sliceStart - b.sliceStart);
  }

  /** Every slice of the file, in order (the sequential pass without a .crai). */
  async allSlices(): Promise<SliceRef[]> {
    return guard(this.path, async () => {
      const out: SliceRef[] = [];
      const first = this.container(DEFINITION_BYTES);
      const h0 = await first.getHeader();
      // The header container's length field is unreliable in old htslib output: step over its blocks.
      let pos = h0._endPosition;
      for (let j = 0; j < h0.numBlocks; j++) pos = (await this.cram.readBlock(pos))._endPosition;
      while (pos < this.handle.size) {
        const h = await this.container(pos).getHeader();
        if (!(h.length >= 0 && h.numLandmarks <= h.numRecords + 1))
          throw new CramRecordError(`container at byte ${pos} has an impossible header`);
        h.landmarks.forEach((start, i) => {
          const end = i + 1 < h.landmarks.length ? h.landmarks[i + 1] : h.length;
          if (h.numRecords > 0) out.push({ containerStart: pos, sliceStart: start, sliceBytes: end - start });
        });
        pos += h._size + h.length;
      }
      return out;
    });
  }

  private container(pos: number): Container {
    let c = this.containers.get(pos);
    if (!c) {
      checkContainerHeader(this.handle, pos, this.major);
      if (this.containers.size > 64) this.containers.clear();
      c = this.cram.getContainerAtPosition(pos);
      this.containers.set(pos, c);
    }
    return c;
  }

  /** Decodes one slice and appends its records to `out` as BAM records; returns how many. */
  async appendSlice(slice: SliceRef, out: BamRecordBuffer): Promise<number> {
    const where = `container at byte ${slice.containerStart}`;
    return guard(
      this.path,
      async () => {
        const container = this.container(slice.containerStart);
        const compression = await container.getCompressionHeaderBlock();
        if (!compression) return 0; // an empty container (the EOF marker)
        const scheme = await container.getCompressionScheme();
        if (!scheme) return 0;
        const referenceRequired = compression.parsedContent.preservation.RR !== false;
        const cramSlice = container.getSlice(slice.sliceStart, slice.sliceBytes);
        const sliceHeader = await cramSlice.getHeader();
        if (sliceHeader.contentType !== 'MAPPED_SLICE_HEADER') return 0; // unmapped reads only
        const sh = sliceHeader.parsedContent as unknown as {
          refSeqId: number;
          refSeqStart: number;
          refSeqSpan: number;
          refBaseBlockId: number;
          md5?: number[];
          numRecords: number;
        };
        const records: CramRecord[] = await cramSlice.getRecords(() => true);
        if (records.length === 0) return 0;
        const window = await this.referenceFor(cramSlice, sh, records, referenceRequired);
        const ends = Float64Array.from(records, (r) => alignedEnd1(r));
        const mates = resolveMates(records, ends);
        records.forEach((r, i) => {
          const rg = r.readGroupId >= 0 ? this.readGroups[r.readGroupId] : undefined;
          appendBamRecord(r, mates[i], window, scheme.substitutionMatrix, rg, this.scratch, out);
        });
        return records.length;
      },
      'corrupt CRAM',
      where,
    );
  }

  /** The reference bases a slice's records are decoded against: embedded, from --reference, or none. */
  private async referenceFor(
    cramSlice: ReturnType<Container['getSlice']>,
    sh: { refSeqId: number; refSeqStart: number; refSeqSpan: number; refBaseBlockId: number; md5?: number[] },
    records: readonly CramRecord[],
    referenceRequired: boolean,
  ): Promise<SpanWindow> {
    const contigLength = (id: number): number => this.sq[id]?.length ?? 0;
    const md5 = (sh.md5 ?? []).map((b) => b.toString(16).padStart(2, '0')).join('');
    if (sh.refSeqId >= 0 && sh.refBaseBlockId >= 0) {
      const block = await cramSlice.getBlockByContentId(sh.refBaseBlockId);
      if (!block) throw new CramRecordError('embedded reference block missing');
      const bases = Buffer.from(block.content).toString('latin1').toUpperCase();
      if (bases.length < sh.refSeqSpan) throw new CramRecordError('embedded reference shorter than its slice');
      const w = new SpanWindow(true);
      w.set(sh.refSeqId, sh.refSeqStart - 1, bases.slice(0, sh.refSeqSpan), contigLength(sh.refSeqId));
      return w;
    }
    const mapped = records.some((r) => (r.flags & 0x4) === 0);
    if (!referenceRequired || !mapped) return new SpanWindow(false);
    if (!this.reference) {
      const first = records.find((r) => (r.flags & 0x4) === 0);
      throw missingReferenceError(this.path, first ? this.sq[first.sequenceId] : undefined);
    }
    const w = new SpanWindow(true);
    if (sh.refSeqId >= 0) {
      const bases = this.reference.fetch(sh.refSeqId, sh.refSeqStart, sh.refSeqStart + sh.refSeqSpan - 1);
      if (md5 !== '' && !/^0+$/.test(md5)) this.reference.checkSliceMd5(sh.refSeqId, sh.refSeqStart, bases, md5);
      w.set(sh.refSeqId, sh.refSeqStart - 1, bases, contigLength(sh.refSeqId));
      return w;
    }
    // A multi-reference slice (refSeqId -2) records no MD5: fetch each reference's span of its records.
    const spans = new Map<number, [number, number]>();
    for (const r of records) {
      if (r.flags & 0x4 || r.sequenceId < 0) continue;
      const end = alignedEnd1(r);
      const s = spans.get(r.sequenceId);
      spans.set(r.sequenceId, s ? [Math.min(s[0], r.alignmentStart), Math.max(s[1], end)] : [r.alignmentStart, end]);
    }
    for (const [id, [start, end]] of spans) w.set(id, start - 1, this.reference.fetch(id, start, end), contigLength(id));
    return w;
  }

  close(): void {
    this.handle.closeSync();
    this.reference?.close();
  }
}

/** The .crai beside a CRAM (x.cram.crai, or x.crai). */
export function findCraiPath(cramPath: string): string | null {
  for (const p of [`${cramPath}.crai`, cramPath.replace(/\.cram$/i, '.crai')]) if (p !== cramPath && existsSync(p)) return p;
  return null;
}

function checkDefinition(handle: CramFileHandle, path: string): string {
  const def = handle.readSync(DEFINITION_BYTES, 0);
  if (def.length < DEFINITION_BYTES || Buffer.from(def.subarray(0, 4)).toString('latin1') !== 'CRAM') {
    throw fileError(path, 'not a CRAM file (no CRAM magic at byte 0)');
  }
  const major = def[4];
  const minor = def[5];
  const version = `${major}.${minor}`;
  if (major !== 2 && major !== 3) {
    throw fileError(
      path,
      `CRAM version ${version} is not supported (2.1, 3.0 and 3.1 are): convert it with samtools view -C --output-fmt-option version=3.0 -T ref.fa`,
    );
  }
  if (!(major === 2 && minor === 0)) {
    const eof = major === 3 ? EOF_V3 : EOF_V21;
    const tail = handle.readSync(eof.length, handle.size - eof.length);
    if (handle.size < DEFINITION_BYTES + eof.length || !Buffer.from(tail).equals(eof)) {
      throw fileError(path, 'truncated CRAM: the EOF container is missing (the file was cut short, or is still being written)');
    }
  }
  return version;
}

/** Runs a @gmod/cram call; its errors (malformed data, overruns) become one line naming the file. */
async function guard<T>(file: string, f: () => Promise<T>, what = 'corrupt CRAM', where = ''): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof UserError) throw e;
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);
    const kind = e instanceof CramRecordError || e instanceof CorruptMatesError ? 'corrupt CRAM record' : what;
    throw fileError(file, `${kind}${where ? ` in the ${where}` : ''} (${msg})`);
  }
}
