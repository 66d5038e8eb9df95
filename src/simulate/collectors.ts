import { type BamStreamWriter, encodeBamRecord, type RecordPlacement, type RefDictionary } from '../io/bam-writer.js';
import type { SamRecord } from '../io/sam-record.js';

/** Receives a cluster's records as they are made; the cluster's order is established later. */
export interface RecordCollector {
  push(rec: SamRecord, pos0: number, reverse: boolean): void;
}

/** Keeps records as objects (for `simulateSample`). */
export class ObjectCollector implements RecordCollector {
  items: { rec: SamRecord; pos0: number; reverse: boolean }[] = [];
  push(rec: SamRecord, pos0: number, reverse: boolean): void {
    this.items.push({ rec, pos0, reverse });
  }
  /** Records in coordinate order (stable: position, forward before reverse, generation order). */
  drain(): SamRecord[] {
    const out = this.items.sort((a, b) => a.pos0 - b.pos0 || Number(a.reverse) - Number(b.reverse)).map((x) => x.rec);
    this.items = [];
    return out;
  }
}

/**
 * Encodes records to BAM bytes as they are made (~300 bytes each instead of ~800 as objects), so
 * a dense cluster of sites costs a third of the memory, then writes them in coordinate order.
 */
const ARENA_BYTES = 16 << 20;

export class EncodedCollector implements RecordCollector {
  private arenas: Buffer[] = [];
  private arena = Buffer.allocUnsafe(ARENA_BYTES);
  private used = 0;
  private scratch: Buffer = Buffer.allocUnsafe(1 << 16);
  private entries: { arena: number; off: number; len: number; placement: RecordPlacement }[] = [];

  constructor(private readonly refs: RefDictionary) {}

  push(rec: SamRecord): void {
    const enc = encodeBamRecord(rec, this.refs, this.scratch);
    this.scratch = enc.bytes;
    if (this.used + enc.length > this.arena.length) {
      this.arenas.push(this.arena.subarray(0, this.used));
      this.arena = Buffer.allocUnsafe(Math.max(ARENA_BYTES, enc.length));
      this.used = 0;
    }
    enc.bytes.copy(this.arena, this.used, 0, enc.length);
    this.entries.push({ arena: this.arenas.length, off: this.used, len: enc.length, placement: enc.placement });
    this.used += enc.length;
  }

  /** Writes the cluster's records in coordinate order and frees them. */
  drainTo(writer: BamStreamWriter): number {
    const arenas = [...this.arenas, this.arena];
    // Stable: position, forward before reverse, then generation order.
    const order = this.entries.sort(
      (a, b) => a.placement.beg0 - b.placement.beg0 || Number(a.placement.reverse) - Number(b.placement.reverse),
    );
    for (const e of order) writer.addEncoded(arenas[e.arena].subarray(e.off, e.off + e.len), e.placement);
    const n = order.length;
    this.entries = [];
    this.arenas = [];
    this.used = 0;
    return n;
  }
}
