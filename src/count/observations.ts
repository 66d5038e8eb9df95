import {
  ROW_CODE,
  ROW_FLAG,
  ROW_FRAG_LEN,
  ROW_HASH_HI,
  ROW_HASH_LO,
  ROW_INTS,
  ROW_MATE_START,
  ROW_READ_START,
  ROW_RECORD_OFFSET,
  ROW_SITE,
} from './scanner.js';
import type { CountSettings, ObservationTable } from './types.js';

/** The UMI of a record: its RX or MI tag (type Z), or the last ':'-separated field of its name. */
export function extractUmi(bytes: Uint8Array, off: number, source: CountSettings['umiSource']): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset + off);
  const blockSize = view.getInt32(0, true);
  const lName = bytes[off + 12];
  if (source === 'name') {
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + off + 36, lName - 1).toString('latin1');
    const colon = name.lastIndexOf(':');
    return colon < 0 ? '' : name.slice(colon + 1);
  }
  const nCigar = view.getUint16(16, true);
  const lSeq = view.getInt32(20, true);
  let p = 36 + lName + nCigar * 4 + ((lSeq + 1) >> 1) + lSeq;
  const end = 4 + blockSize;
  const t0 = source.charCodeAt(0);
  const t1 = source.charCodeAt(1);
  while (p + 3 <= end) {
    const isTag = bytes[off + p] === t0 && bytes[off + p + 1] === t1;
    const type = String.fromCharCode(bytes[off + p + 2]);
    p += 3;
    if (type === 'Z' || type === 'H') {
      let q = p;
      while (q < end && bytes[off + q] !== 0) q++;
      if (isTag) return Buffer.from(bytes.buffer, bytes.byteOffset + off + p, q - p).toString('latin1');
      p = q + 1;
    } else if (type === 'B') {
      // The scan has checked the record's aux fields; still, every step moves forward and stays
      // inside the record, whatever the bytes say (an unsigned count, never a step back).
      if (p + 5 > end) return '';
      const sub = String.fromCharCode(bytes[off + p]);
      const n = view.getUint32(p + 1, true);
      const each = ({ c: 1, C: 1, s: 2, S: 2, i: 4, I: 4, f: 4 } as Record<string, number>)[sub];
      if (each === undefined || n * each > end - p - 5) return '';
      p += 5 + n * each;
    } else {
      const size = ({ A: 1, c: 1, C: 1, s: 2, S: 2, i: 4, I: 4, f: 4, d: 8 } as Record<string, number>)[type];
      if (size === undefined) return ''; // corrupt aux data: no UMI rather than a wrong one
      if (isTag) return '';
      p += size;
    }
  }
  return '';
}

/** Collects observation rows (copied out of the scanner before its buffer is reused). */
export class ObservationBuilder {
  private ints: Int32Array = new Int32Array(ROW_INTS * 4096);
  private length = 0;
  readonly umis: string[] = [];

  constructor(private readonly umiSource: CountSettings['umiSource'] | null) {}

  add(rows: Int32Array, batch: Uint8Array): void {
    const n = rows.length / ROW_INTS;
    if ((this.length + n) * ROW_INTS > this.ints.length) {
      const next = new Int32Array(Math.max(this.ints.length * 2, (this.length + n) * ROW_INTS));
      next.set(this.ints.subarray(0, this.length * ROW_INTS));
      this.ints = next;
    }
    this.ints.set(rows, this.length * ROW_INTS);
    for (let r = 0; r < rows.length; r += ROW_INTS) {
      this.umis.push(this.umiSource ? extractUmi(batch, rows[r + ROW_RECORD_OFFSET], this.umiSource) : '');
    }
    this.length += n;
  }

  /** Rows as stored (ROW_INTS ints each), for transfer between threads. */
  rawRows(): Int32Array {
    return this.ints.slice(0, this.length * ROW_INTS);
  }
}

/**
 * Builds the table from raw rows, ordered by site (input order) and, within a site, by scan order:
 * the same for every thread count (groups only change how the scan order is cut).
 */
export function toObservationTable(rows: Int32Array, umis: string[]): ObservationTable {
  const n = rows.length / ROW_INTS;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => rows[a * ROW_INTS + ROW_SITE] - rows[b * ROW_INTS + ROW_SITE] || a - b);
  const t: ObservationTable = {
    length: n,
    site: new Int32Array(n),
    allele: new Uint8Array(n),
    qual: new Uint8Array(n),
    flag: new Uint16Array(n),
    readStart0: new Int32Array(n),
    mateStart0: new Int32Array(n),
    fragLen: new Int32Array(n),
    nameHashHi: new Uint32Array(n),
    nameHashLo: new Uint32Array(n),
    umi: new Array<string>(n),
  };
  order.forEach((src, i) => {
    const b = src * ROW_INTS;
    const code = rows[b + ROW_CODE];
    t.site[i] = rows[b + ROW_SITE];
    t.allele[i] = code & 0xff;
    t.qual[i] = (code >>> 16) & 0xff;
    t.flag[i] = rows[b + ROW_FLAG];
    t.readStart0[i] = rows[b + ROW_READ_START];
    t.mateStart0[i] = rows[b + ROW_MATE_START];
    t.fragLen[i] = rows[b + ROW_FRAG_LEN];
    t.nameHashHi[i] = rows[b + ROW_HASH_HI] >>> 0;
    t.nameHashLo[i] = rows[b + ROW_HASH_LO] >>> 0;
    t.umi[i] = umis[src];
  });
  return t;
}
