import { UserError } from '../util/errors.js';
import { ObservationBuilder } from './observations.js';
import { OracleScanner } from './oracle.js';
import type { GroupResult } from './scan-group.js';
import { ScanStatus, type Scanner } from './scanner.js';
import type { SiteSpec } from './site-model.js';
import { SiteTally } from './tally.js';
import type { CountSettings } from './types.js';
import { WasmScanner } from './wasm-scan.js';

/**
 * The counting kernel over records that are already BAM records in memory (block_size-prefixed,
 * SAM spec §4.2) rather than BGZF blocks of a file: CRAM slices decoded by io/cram arrive this way.
 * The records go through the same Scanner (WASM kernel or oracle) and SiteTally as a BAM's, so the
 * counting rules exist once. Each batch must hold whole records, in coordinate order across
 * batches; every site of `sorted` is owned (one group, no threads).
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

export class RecordBatchCounter {
  private readonly scanner: Scanner;
  private readonly tally: SiteTally;
  private readonly slot: Int32Array;
  private readonly obs: ObservationBuilder | null;
  private done = false;

  constructor(private readonly job: RecordBatchJob) {
    const { sorted, settings } = job;
    this.scanner = job.engine === 'oracle' ? new OracleScanner() : new WasmScanner();
    this.scanner.configure(sorted, 0, sorted.length, { excludeFlags: settings.excludeFlags, minMapq: settings.minMapq });
    this.scanner.reset();
    const last = sorted[sorted.length - 1];
    // Reads starting after the last site reach no site: the kernel stops there.
    this.scanner.setStop(last ? last.refId : -1, last ? last.start0 : -1);
    this.tally = new SiteTally(sorted.length, settings.mates, settings.minBaseq, Int32Array.from(sorted, (s) => s.start0));
    this.slot = new Int32Array(sorted.reduce((m, s) => Math.max(m, s.index + 1), 0)).fill(-1);
    sorted.forEach((s, i) => (this.slot[s.index] = i));
    this.obs = job.observations ? new ObservationBuilder(settings.umiSource) : null;
  }

  /** True once a read started after the last site: later batches cannot change any count. */
  get finished(): boolean {
    return this.done;
  }

  /** Scans `bytes[0, length)`: whole BAM records. */
  add(bytes: Uint8Array, length: number): void {
    if (this.done || length === 0 || this.job.sorted.length === 0) return;
    const { scanner } = this;
    let input = scanner.input(length, 0);
    input.set(bytes.subarray(0, length), 0);
    let fill = length;
    for (;;) {
      const consumed = scanner.scan(fill, Number.MAX_SAFE_INTEGER);
      const rows = scanner.rows();
      if (rows.length > 0) {
        this.tally.addRows(rows, this.slot);
        this.obs?.add(rows, scanner.input(0, fill));
      }
      const status = scanner.status;
      if (status === ScanStatus.Unsorted) throw this.unsorted(scanner.input(0, fill), scanner.errorOffset);
      if (status === ScanStatus.Malformed) throw new UserError(`${this.job.source}: a decoded record is malformed (block size or field lengths inconsistent): corrupt CRAM`);
      if (status === ScanStatus.Past) {
        this.done = true;
        return;
      }
      input = scanner.input(fill, fill);
      input.copyWithin(0, consumed, fill);
      fill -= consumed;
      if (status === ScanStatus.NeedMore) {
        if (fill > 0) throw new UserError(`${this.job.source}: a decoded record is cut off: corrupt CRAM`);
        return;
      }
      // OutFull: rows drained, go on with the rest of the batch
    }
  }

  result(): GroupResult {
    this.tally.flush();
    return {
      ownedLo: 0,
      ownedHi: this.job.sorted.length,
      counts: this.tally.counts,
      readsSeen: this.scanner.readsSeen,
      readsPassing: this.scanner.readsPassing,
      observationRows: this.obs ? this.obs.rawRows() : null,
      umis: this.obs ? this.obs.umis : [],
      bytesRead: 0,
    };
  }

  private unsorted(bytes: Uint8Array, off: number): UserError {
    const view = new DataView(bytes.buffer, bytes.byteOffset + off);
    const ref = view.getInt32(4, true);
    const pos1 = view.getInt32(8, true) + 1;
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + off + 36, bytes[off + 12] - 1).toString('latin1');
    return new UserError(`${this.job.source}: CRAM is not sorted by coordinate: read ${name} at ${this.job.refNames[ref] ?? ref}:${pos1} comes after a later position (sort it with samtools sort)`);
  }
}
