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
import { WasmScanner } from './wasm-scan.js';

/**
 * Runs one group (plan.ts): reads its segments block by block, hands batches of whole records to
 * the scanner, tallies the rows. Pure data in, plain data out, so a worker thread can run it.
 */

export interface GroupJob {
  bamPath: string;
  indexPath: string | null;
  refNames: string[];
  sorted: SiteSpec[];
  group: Group;
  settings: CountSettings;
  engine: 'wasm' | 'oracle';
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
  onBytes?: (compressedBytes: number) => void;
}

/** Inflated bytes gathered before a scan call: ~1 MB keeps calls few and the batch in cache. */
const BATCH_BYTES = 1 << 20;

/** `onBytes` hears of compressed bytes as they are read (progress). */
export async function runGroup(job: GroupJob, onBytes?: (compressedBytes: number) => void): Promise<GroupResult> {
  const { group, sorted, settings } = job;
  const scanner: Scanner = job.engine === 'oracle' ? new OracleScanner() : new WasmScanner();
  scanner.configure(sorted, group.ownedLo, group.ownedHi, { excludeFlags: settings.excludeFlags, minMapq: settings.minMapq });
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
  let bytesRead = 0;
  try {
    const ctx: DriverContext = { job, file, scanner, tally, slot, obs, bytesRead: 0, onBytes };
    if (group.segments === null) {
      const last = sorted[group.ownedHi - 1];
      const whole = { beg: 0, end: Number.POSITIVE_INFINITY, stopRefId: last.refId, stopPos0: last.start0 };
      const blocks = stdin ? toAsync(stdin.blocks) : file.chunksAhead(0);
      await runSegment(ctx, whole, { blocks, prefix: stdin ? stdin.leftover : null });
    } else {
      for (const seg of group.segments) await runSegment(ctx, seg, null);
    }
    bytesRead = ctx.bytesRead;
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
  onBytes?: (compressedBytes: number) => void;
}

/** A sequential pass: its block stream and, for stdin, the bytes already read after the header. */
interface SequentialSource {
  blocks: AsyncIterator<InflatedChunk>;
  prefix: Buffer | null;
}

async function runSegment(ctx: DriverContext, seg: Segment, source: SequentialSource | null): Promise<void> {
  const { file, scanner, job } = ctx;
  const sequential = source !== null;
  scanner.setStop(seg.stopRefId, seg.stopPos0);
  const begBlock = coffsetOf(seg.beg);
  const endBlock = sequential ? Number.POSITIVE_INFINITY : coffsetOf(seg.end);
  let skip = sequential ? 0 : uoffsetOf(seg.beg);
  let headerPending = sequential && source.prefix === null;
  const headerReader = new BamHeaderReader(job.bamPath, { lengthOnly: true }); // read and checked by readBamHeader
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
      headerPending = false;
    }
    if (fill < BATCH_BYTES && limit === Number.POSITIVE_INFINITY) continue;
    if (scanBatch(ctx, fill, limit, (n) => {
      input = scanner.input(fill, fill);
      input.copyWithin(0, n, fill);
      fill -= n;
      limit -= n;
    })) return;
  }
  if (headerPending) throw fileError(job.bamPath, 'truncated BAM: the file ends inside its header');
  if (fill > 0 && !scanBatch(ctx, fill, limit, (n) => {
    input = scanner.input(fill, fill);
    input.copyWithin(0, n, fill);
    fill -= n;
  }) && fill > 0) {
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
    const status = scanner.status;
    if (status === ScanStatus.Unsorted) throw unsortedError(job, scanner.input(0, fill), scanner.errorOffset);
    if (status === ScanStatus.Malformed) {
      throw fileError(job.bamPath, `corrupt BAM record (block size or field lengths inconsistent)${job.indexPath ? `; is ${job.indexPath} the index of this BAM?` : ''}`);
    }
    if (status === ScanStatus.Limit || status === ScanStatus.Past) return true;
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

function unsortedError(job: GroupJob, bytes: Uint8Array, off: number): UserError {
  const view = new DataView(bytes.buffer, bytes.byteOffset + off);
  const ref = view.getInt32(4, true);
  const pos1 = view.getInt32(8, true) + 1;
  const lName = bytes[off + 12];
  const name = Buffer.from(bytes.buffer, bytes.byteOffset + off + 36, lName - 1).toString('latin1');
  return fileError(job.bamPath, `BAM is not sorted by coordinate: read ${name} at ${job.refNames[ref] ?? ref}:${pos1} comes after a later position (sort it with samtools sort)`);
}

function indexMismatch(e: unknown, job: GroupJob, atSegmentStart = true): unknown {
  if (e instanceof UserError && job.indexPath && atSegmentStart && /not a BGZF block/.test(e.message)) {
    return fileError(job.indexPath, `index does not belong to ${job.bamPath}: it points to a byte that is not the start of a BGZF block`);
  }
  return e;
}
