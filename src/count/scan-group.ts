import { coffsetOf, uoffsetOf } from '../io/bam-index.js';
import { BamHeaderReader } from '../io/bam-header.js';
import { BgzfFile, type BgzfBlock, type InflatedChunk } from '../io/bgzf-reader.js';
import { bamStream } from '../io/bam-header.js';
import { fileError, UserError } from '../util/errors.js';
import { ObservationBuilder } from './observations.js';
import { OracleScanner } from './oracle.js';
import type { Group, Segment } from './plan.js';
import { ScanStatus, type Scanner } from './scanner.js';
import type { SiteSpec } from './site-model.js';
import { SiteTally } from './tally.js';
import type { CountSettings } from './types.js';
import { describeProblem } from './record-check.js';

/**
 * The reference pipeline (engine 'oracle'): runs one group (plan.ts) — reads its segments with
 * node's zlib block by block, hands batches of whole records to the TypeScript record scanner
 * (oracle.ts), tallies the rows in TypeScript (tally.ts). Written independently of the kernel
 * (native/, kernel.ts, piece-runner.ts) so that tests can compare the two on every fixture.
 */

export interface GroupJob {
  bamPath: string;
  indexPath: string | null;
  refNames: string[];
  sorted: SiteSpec[];
  group: Group;
  settings: CountSettings;
  engine: 'oracle';
  observations: boolean;
}

export interface GroupResult {
  ownedLo: number;
  ownedHi: number;
  /** SiteTally counts for sorted[ownedLo, ownedHi). */
  counts: Float64Array;
  readsSeen: number;
  readsPassing: number;
  observationRows: Int32Array | null;
  umis: string[];
  bytesRead: number;
  /** The first record read on a contig with sites still ahead (for the zero-depth warning). */
  firstOnSiteContig: RecordLabel | null;
  onBytes?: (compressedBytes: number) => void;
}

/** A record named for a message: its read name, position and virtual offset. */
export interface RecordLabel {
  name: string;
  refId: number;
  pos0: number;
  where: string;
}

/** Inflated bytes gathered before a scan call: ~1 MB keeps calls few and the batch in cache. */
const BATCH_BYTES = 1 << 20;

/** `onBytes` hears of compressed bytes as they are read (progress). */
export async function runGroup(job: GroupJob, onBytes?: (compressedBytes: number) => void): Promise<GroupResult> {
  const { group, sorted, settings } = job;
  const scanner: Scanner = new OracleScanner();
  scanner.configure(
    sorted,
    group.ownedLo,
    group.ownedHi,
    { excludeFlags: settings.excludeFlags, minMapq: settings.minMapq },
    job.refNames.length,
  );
  scanner.reset();
  const nOwned = group.ownedHi - group.ownedLo;
  const siteStart0 = new Int32Array(nOwned);
  for (let i = 0; i < nOwned; i++) siteStart0[i] = sorted[group.ownedLo + i].start0;
  const tally = new SiteTally(nOwned, settings.mates, settings.minBaseq, siteStart0);
  const slot = new Int32Array(sorted.reduce((m, s) => Math.max(m, s.index + 1), 0)).fill(-1);
  for (let i = group.ownedLo; i < group.ownedHi; i++) slot[sorted[i].index] = i - group.ownedLo;
  const obs = job.observations ? new ObservationBuilder(settings.umi || job.observations ? settings.umiSource : null) : null;
  const stdin = bamStream(job.bamPath);
  const file = stdin ? stdin.file : new BgzfFile(job.bamPath);
  let bytesRead: number;
  let firstOnSiteContig: RecordLabel | null;
  try {
    const ctx: DriverContext = {
      job,
      file,
      scanner,
      tally,
      slot,
      obs,
      bytesRead: 0,
      onBytes,
      blocks: new BlockMap(),
      firstOnSiteContig: null,
      segmentConsumed: 0,
    };
    if (group.segments === null) {
      const last = sorted[group.ownedHi - 1];
      const whole = { beg: 0, end: Number.POSITIVE_INFINITY, stopRefId: last.refId, stopPos0: last.start0 };
      const blocks = stdin ? toAsync(stdin.blocks) : file.chunksAhead(0);
      await runSegment(ctx, whole, { blocks, prefix: stdin ? stdin.leftover : null });
    } else {
      for (const seg of group.segments) await runSegment(ctx, seg, null);
    }
    bytesRead = ctx.bytesRead;
    firstOnSiteContig = ctx.firstOnSiteContig;
  } finally {
    file.close();
  }
  tally.flush();
  return {
    ownedLo: group.ownedLo,
    ownedHi: group.ownedHi,
    counts: tally.counts,
    readsSeen: scanner.readsSeen,
    readsPassing: scanner.readsPassing,
    observationRows: obs ? obs.rawRows() : null,
    umis: obs ? obs.umis : [],
    bytesRead,
    firstOnSiteContig,
  };
}

interface DriverContext {
  job: GroupJob;
  file: BgzfFile;
  scanner: Scanner;
  tally: SiteTally;
  slot: Int32Array;
  obs: ObservationBuilder | null;
  bytesRead: number;
  /** The first record read on a contig with sites still ahead (for the zero-depth warning). */
  firstOnSiteContig: RecordLabel | null;
  onBytes?: (compressedBytes: number) => void;
  /** Where each inflated block's bytes sit in the scanner's input (virtual offsets for messages). */
  blocks: BlockMap;
  /** Record bytes consumed in the current segment (0: the next record is its first). */
  segmentConsumed: number;
}

/**
 * Which BGZF block each byte of the scanner's input came from: (input position, block offset) of
 * every block still in the input, so a record's input offset becomes its virtual offset.
 */
class BlockMap {
  private starts: number[] = [];
  private offsets: number[] = [];

  add(inputPos: number, blockOffset: number): void {
    this.starts.push(inputPos);
    this.offsets.push(blockOffset);
  }

  /** The input lost its first n bytes. */
  shift(n: number): void {
    for (let i = 0; i < this.starts.length; i++) this.starts[i] -= n;
    // Keep the last block that starts at or before 0: it holds input byte 0.
    let drop = 0;
    while (drop + 1 < this.starts.length && this.starts[drop + 1] <= 0) drop++;
    if (drop > 0) {
      this.starts.splice(0, drop);
      this.offsets.splice(0, drop);
    }
  }

  clear(): void {
    this.starts = [];
    this.offsets = [];
  }

  /** "virtual offset V (BGZF block at byte C, offset U)" for input position pos, or a fallback. */
  describe(pos: number): string {
    let i = this.starts.length - 1;
    while (i >= 0 && this.starts[i] > pos) i--;
    if (i < 0) return `${pos} bytes into the records after the header of the streamed BAM`;
    const u = pos - this.starts[i];
    return `virtual offset ${this.offsets[i] * 65536 + u} (BGZF block at byte ${this.offsets[i]}, offset ${u})`;
  }
}

/** A sequential pass: its block stream and, for stdin, the bytes already read after the header. */
interface SequentialSource {
  blocks: AsyncIterator<InflatedChunk>;
  prefix: Buffer | null;
}

async function runSegment(ctx: DriverContext, seg: Segment, source: SequentialSource | null): Promise<void> {
  const { file, scanner, job } = ctx;
  const sequential = source !== null;
  scanner.setStop(seg.stopRefId, seg.stopPos0, sequential);
  const begBlock = coffsetOf(seg.beg);
  const endBlock = sequential ? Number.POSITIVE_INFINITY : coffsetOf(seg.end);
  let skip = sequential ? 0 : uoffsetOf(seg.beg);
  let headerPending = sequential && source.prefix === null;
  const headerReader = new BamHeaderReader(job.bamPath, { lengthOnly: true }); // read and checked by readBamHeader
  ctx.blocks.clear();
  ctx.segmentConsumed = sequential ? 1 : 0; // sequential passes have no index to blame
  let fill = 0;
  let limit = Number.POSITIVE_INFINITY;
  let input = scanner.input(65536, 0);
  if (source?.prefix) {
    input = scanner.input(source.prefix.length + BATCH_BYTES, 0);
    input.set(source.prefix, 0);
    fill = source.prefix.length;
  }
  const iter = source ? source.blocks : file.chunksAhead(begBlock);
  for (;;) {
    let next: IteratorResult<InflatedChunk>;
    try {
      next = await iter.next();
    } catch (e) {
      throw indexMismatch(e, job, !sequential && ctx.bytesRead === 0);
    }
    if (next.done) break;
    const chunk = next.value;
    const s = skip;
    skip = 0;
    // Where each block's bytes land in the input: fill + (bytes of earlier blocks in the chunk) - s.
    let at = fill - s;
    for (const b of chunk.blocks) {
      ctx.blocks.add(at, b.offset);
      ctx.bytesRead += b.csize;
      if (limit === Number.POSITIVE_INFINITY) {
        if (b.offset === endBlock) limit = at + uoffsetOf(seg.end);
        else if (b.offset > endBlock) limit = Math.max(at, fill);
      }
      at += b.isize;
    }
    ctx.onBytes?.(chunk.blocks.reduce((n, b) => n + b.csize, 0));
    const data = s > 0 ? chunk.data.subarray(s) : chunk.data;
    if (data.length > 0) {
      input = scanner.input(fill + data.length, fill);
      input.set(data, fill);
      fill += data.length;
    }
    if (headerPending) {
      const parsed = headerReader.parsePrefix(input.subarray(0, fill));
      if (!parsed) continue;
      input.copyWithin(0, parsed.length, fill);
      fill -= parsed.length;
      ctx.blocks.shift(parsed.length);
      headerPending = false;
    }
    if (fill < BATCH_BYTES && limit === Number.POSITIVE_INFINITY) continue;
    if (
      scanBatch(ctx, fill, limit, (n) => {
        input = scanner.input(fill, fill);
        input.copyWithin(0, n, fill);
        fill -= n;
        limit -= n;
        ctx.blocks.shift(n);
      })
    )
      return;
  }
  if (headerPending) throw fileError(job.bamPath, 'truncated BAM: the file ends inside its header');
  if (
    fill > 0 &&
    !scanBatch(ctx, fill, limit, (n) => {
      input = scanner.input(fill, fill);
      input.copyWithin(0, n, fill);
      fill -= n;
      ctx.blocks.shift(n);
    }) &&
    fill > 0
  ) {
    throw fileError(job.bamPath, 'truncated BAM: the file ends inside a record');
  }
}

/** Scans what is buffered; returns true when the segment is finished. */
function scanBatch(ctx: DriverContext, fill: number, limit: number, shift: (n: number) => void): boolean {
  const { scanner, job } = ctx;
  for (;;) {
    const consumed = scanner.scan(fill, limit);
    const rows = scanner.rows();
    if (rows.length > 0) {
      ctx.tally.addRows(rows, ctx.slot);
      if (ctx.obs) ctx.obs.add(rows, scanner.input(0, fill));
    }
    if (!ctx.firstOnSiteContig && scanner.firstOnSiteContig >= 0) {
      ctx.firstOnSiteContig = recordLabel(scanner.input(0, fill), scanner.firstOnSiteContig, ctx.blocks);
    }
    const status = scanner.status;
    if (status === ScanStatus.Unsorted) throw unsortedError(job, scanner.input(0, fill), scanner.errorOffset, ctx.blocks);
    if (status === ScanStatus.Malformed) {
      const off = scanner.errorOffset;
      const what = describeProblem(scanner.errorReason, scanner.input(0, fill).subarray(0, fill), off, job.refNames.length);
      // The first record of an indexed segment: the index may point into another BAM.
      const hint = job.indexPath && ctx.segmentConsumed + off === 0 ? ` (is ${job.indexPath} the index of this BAM?)` : '';
      throw fileError(job.bamPath, `corrupt BAM record at ${ctx.blocks.describe(off)}: ${what}${hint}`);
    }
    if (status === ScanStatus.Limit || status === ScanStatus.Past) return true;
    ctx.segmentConsumed += consumed;
    shift(consumed);
    fill -= consumed;
    if (status === ScanStatus.NeedMore) return false;
    limit -= consumed; // OutFull: rows drained, go on
  }
}

async function* toAsync(it: Iterator<BgzfBlock>): AsyncGenerator<InflatedChunk> {
  for (;;) {
    const n = it.next();
    if (n.done) return;
    yield { data: n.value.data, blocks: [{ offset: n.value.offset, csize: n.value.csize, isize: n.value.data.length }] };
  }
}

function recordLabel(bytes: Uint8Array, off: number, blocks: BlockMap): RecordLabel {
  const view = new DataView(bytes.buffer, bytes.byteOffset + off);
  const lName = bytes[off + 12];
  // The record passed its checks: the name is NUL-terminated inside it.
  const name = Buffer.from(bytes.buffer, bytes.byteOffset + off + 36, Math.max(0, lName - 1)).toString('latin1');
  return { name, refId: view.getInt32(4, true), pos0: view.getInt32(8, true), where: blocks.describe(off) };
}

function unsortedError(job: GroupJob, bytes: Uint8Array, off: number, blocks: BlockMap): UserError {
  const r = recordLabel(bytes, off, blocks);
  const at = r.refId < 0 ? 'unplaced (refID -1)' : `at ${job.refNames[r.refId]}:${r.pos0 + 1}`;
  return fileError(
    job.bamPath,
    `BAM is not sorted by coordinate: read ${r.name} ${at} (${r.where}) comes after a later position (sort it with samtools sort)`,
  );
}

function indexMismatch(e: unknown, job: GroupJob, atSegmentStart = true): unknown {
  if (e instanceof UserError && job.indexPath && atSegmentStart && /not a BGZF block/.test(e.message)) {
    return fileError(job.indexPath, `index does not belong to ${job.bamPath}: it points to a byte that is not the start of a BGZF block`);
  }
  return e;
}
