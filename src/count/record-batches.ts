import { UserError } from '../util/errors.js';
import type { Counted } from './count-bam.js';
import { KernelStatus, WasmKernel } from './kernel.js';
import { ObservationBuilder } from './observations.js';
import { OracleScanner } from './oracle.js';
import { NO_LIMIT } from './pieces.js';
import { describeProblem } from './record-check.js';
import type { RecordLabel } from './scan-group.js';
import { ScanStatus } from './scanner.js';
import type { SiteSpec } from './site-model.js';
import { SiteTally } from './tally.js';
import type { CountSettings } from './types.js';

/**
 * The counting kernel over records that are already BAM records in memory (block_size-prefixed,
 * SAM spec §4.2) rather than BGZF blocks of a file: CRAM slices decoded by io/cram arrive this way.
 * The records go through the same WASM kernel (its scanInflated entry: record checks, scan,
 * tallies and mate merging in the module) as a BAM's, or through the oracle pipeline with
 * engine 'oracle', so the counting rules exist once. Batches may end inside a record; records
 * must be in coordinate order across batches; every site of `sorted` is owned (one range, no
 * threads).
 */

export interface RecordBatchJob {
  sorted: SiteSpec[];
  settings: CountSettings;
  engine: 'wasm' | 'oracle';
  observations: boolean;
  /** File named in errors (the CRAM). */
  source: string;
  refNames: string[];
}

export interface RecordBatchCounter {
  /** True once a read started after the last site: later batches cannot change any count. */
  readonly finished: boolean;
  /** Scans `bytes[0, length)`. */
  add(bytes: Uint8Array, length: number): void;
  /** After the last batch: counts per sorted site and the read totals. */
  result(): Counted;
}

export function recordBatchCounter(job: RecordBatchJob): RecordBatchCounter {
  return job.engine === 'oracle' ? new OracleBatches(job) : new KernelBatches(job);
}

/** Bytes handed to the kernel per call: its scan buffer stays at its usual size. */
const CHUNK_BYTES = 1 << 20;

/** "byte N of the decoded records": records from a decoder have no virtual offset. */
function where(pos: number): string {
  return `byte ${pos} of the decoded records`;
}

function unsortedMessage(job: RecordBatchJob, name: string, refId: number, pos0: number): string {
  const at = refId < 0 ? 'unplaced (refID -1)' : `at ${job.refNames[refId] ?? refId}:${pos0 + 1}`;
  return `${job.source}: CRAM is not sorted by coordinate: read ${name} ${at} comes after a later position (sort it with samtools sort)`;
}

class KernelBatches implements RecordBatchCounter {
  private readonly kernel = new WasmKernel();
  private readonly rows: Int32Array[] = [];
  private readonly umis: string[] = [];
  private fed = 0;
  private done = false;
  private ended = false;

  constructor(private readonly job: RecordBatchJob) {
    const { sorted, settings } = job;
    this.kernel.configure(sorted, job.refNames.length, {
      excludeFlags: settings.excludeFlags,
      minMapq: settings.minMapq,
      minBaseq: settings.minBaseq,
      mates: settings.mates,
      rows: job.observations,
      umiSource: job.observations ? settings.umiSource : null,
    });
    this.kernel.beginWorker(false);
    const last = sorted[sorted.length - 1];
    // Reads starting after the last site reach no site: the kernel stops there.
    this.kernel.beginPiece(0, 0, NO_LIMIT, 0, last ? last.refId : -1, last ? last.start0 : -1, false);
  }

  get finished(): boolean {
    return this.done;
  }

  add(bytes: Uint8Array, length: number): void {
    for (let at = 0; at < length && !this.done; at += CHUNK_BYTES) {
      const n = Math.min(CHUNK_BYTES, length - at);
      const area = this.kernel.inflatedArea(n);
      if (area.length < n) throw this.failure(this.kernel.status);
      area.set(bytes.subarray(at, at + n));
      this.settle(this.kernel.scanInflated(n, this.fed));
      this.fed += n;
    }
  }

  result(): Counted {
    const k = this.kernel;
    if (!this.done && !this.ended) this.settle(k.finishPiece());
    this.ended = true;
    this.drain();
    k.flushWaiting(); // mates that never arrived count alone (one range: nothing is deferred)
    const f = k.firstOnSiteContig();
    const firstOnSiteContig: RecordLabel | null = f ? { name: f.name, refId: f.refId, pos0: f.pos0, where: where(f.coff + f.u) } : null;
    let observationRows: Int32Array | null = null;
    if (this.job.observations) {
      observationRows = new Int32Array(this.rows.reduce((n, r) => n + r.length, 0));
      let at = 0;
      for (const r of this.rows) {
        observationRows.set(r, at);
        at += r.length;
      }
    }
    return {
      sorted: this.job.sorted,
      counts: k.counts(),
      readsSeen: k.readsSeen(),
      readsPassing: k.readsPassing(),
      firstOnSiteContig,
      observationRows,
      umis: this.umis,
    };
  }

  private drain(): void {
    if (!this.job.observations) return;
    const d = this.kernel.drainRows();
    if (d.umis.length === 0) return;
    this.rows.push(d.rows);
    for (const u of d.umis) this.umis.push(u);
  }

  private settle(status: KernelStatus): void {
    while (status === KernelStatus.RowsFull) {
      this.drain();
      status = this.kernel.resume();
    }
    if (status === KernelStatus.Past) this.done = true;
    else if (status !== KernelStatus.NeedInput && status !== KernelStatus.End) throw this.failure(status);
  }

  private failure(status: KernelStatus): UserError {
    const k = this.kernel;
    const e = k.error();
    const { source } = this.job;
    if (status === KernelStatus.Unsorted) {
      const pos0 = new DataView(k.bufferAt(e.pos, 12).slice().buffer).getInt32(8, true);
      return new UserError(unsortedMessage(this.job, k.unsortedName(), e.detail, pos0));
    }
    if (status === KernelStatus.Malformed) {
      const what = describeProblem(e.reason, k.bufferAt(e.pos, 64 * 1024), 0, this.job.refNames.length);
      return new UserError(`${source}: corrupt CRAM: the decoded record at ${where(e.coff + e.u)} is malformed: ${what}`);
    }
    if (status === KernelStatus.Truncated) return new UserError(`${source}: corrupt CRAM: the decoded records end inside a record`);
    return new UserError(`${source}: corrupt CRAM: the counting kernel stopped with status ${status}`);
  }
}

/** The reference pipeline for tests (engine 'oracle'): TypeScript record decoding and tallies. */
class OracleBatches implements RecordBatchCounter {
  private readonly scanner = new OracleScanner();
  private readonly tally: SiteTally;
  private readonly slot: Int32Array;
  private readonly obs: ObservationBuilder | null;
  private pending = new Uint8Array(0);
  private fed = 0;
  private done = false;
  private firstOnSiteContig: RecordLabel | null = null;

  constructor(private readonly job: RecordBatchJob) {
    const { sorted, settings } = job;
    this.scanner.configure(
      sorted,
      0,
      sorted.length,
      { excludeFlags: settings.excludeFlags, minMapq: settings.minMapq },
      job.refNames.length,
    );
    this.scanner.reset();
    const last = sorted[sorted.length - 1];
    this.scanner.setStop(last ? last.refId : -1, last ? last.start0 : -1, false);
    this.tally = new SiteTally(
      sorted.length,
      settings.mates,
      settings.minBaseq,
      Int32Array.from(sorted, (s) => s.start0),
    );
    this.slot = new Int32Array(sorted.reduce((m, s) => Math.max(m, s.index + 1), 0)).fill(-1);
    sorted.forEach((s, i) => (this.slot[s.index] = i));
    this.obs = job.observations ? new ObservationBuilder(settings.umiSource) : null;
  }

  get finished(): boolean {
    return this.done;
  }

  add(bytes: Uint8Array, length: number): void {
    if (this.done || length === 0 || this.job.sorted.length === 0) return;
    const { scanner } = this;
    const held = this.pending.length;
    let input = scanner.input(held + length, 0);
    input.set(this.pending, 0);
    input.set(bytes.subarray(0, length), held);
    let fill = held + length;
    for (;;) {
      const consumed = scanner.scan(fill, Number.MAX_SAFE_INTEGER);
      const rows = scanner.rows();
      if (rows.length > 0) {
        this.tally.addRows(rows, this.slot);
        this.obs?.add(rows, scanner.input(0, fill));
      }
      const view = scanner.input(0, fill);
      if (!this.firstOnSiteContig && scanner.firstOnSiteContig >= 0) this.firstOnSiteContig = this.label(view, scanner.firstOnSiteContig);
      const status = scanner.status;
      if (status === ScanStatus.Unsorted) {
        const r = this.label(view, scanner.errorOffset);
        throw new UserError(unsortedMessage(this.job, r.name, r.refId, r.pos0));
      }
      if (status === ScanStatus.Malformed) {
        const what = describeProblem(scanner.errorReason, view.subarray(0, fill), scanner.errorOffset, this.job.refNames.length);
        throw new UserError(
          `${this.job.source}: corrupt CRAM: the decoded record at ${where(this.fed + scanner.errorOffset)} is malformed: ${what}`,
        );
      }
      if (status === ScanStatus.Past) {
        this.done = true;
        return;
      }
      input = scanner.input(fill, fill);
      input.copyWithin(0, consumed, fill);
      fill -= consumed;
      this.fed += consumed;
      if (status === ScanStatus.NeedMore) {
        this.pending = input.slice(0, fill);
        return;
      }
      // OutFull: rows drained, go on with the rest of the batch
    }
  }

  result(): Counted {
    if (!this.done && this.pending.length > 0)
      throw new UserError(`${this.job.source}: corrupt CRAM: the decoded records end inside a record`);
    this.tally.flush();
    return {
      sorted: this.job.sorted,
      counts: this.tally.counts,
      readsSeen: this.scanner.readsSeen,
      readsPassing: this.scanner.readsPassing,
      firstOnSiteContig: this.firstOnSiteContig,
      observationRows: this.obs ? this.obs.rawRows() : null,
      umis: this.obs ? this.obs.umis : [],
    };
  }

  private label(bytes: Uint8Array, off: number): RecordLabel {
    const view = new DataView(bytes.buffer, bytes.byteOffset + off);
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + off + 36, Math.max(0, bytes[off + 12] - 1)).toString('latin1');
    return { name, refId: view.getInt32(4, true), pos0: view.getInt32(8, true), where: where(this.fed + off) };
  }
}
