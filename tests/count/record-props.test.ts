import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleScanner } from '../../src/count/oracle.js';
import { checkRecord, describeProblem, RecordProblem } from '../../src/count/record-check.js';
import { KernelStatus, WasmKernel } from '../../src/count/kernel.js';
import { NO_LIMIT } from '../../src/count/pieces.js';
import { ROW_INTS, ScanStatus } from '../../src/count/scanner.js';
import { siteSpec, sortSpecs } from '../../src/count/site-model.js';
import { SiteTally } from '../../src/count/tally.js';
import type { Site } from '../../src/count/types.js';

/**
 * Property tests of the record checks below the BGZF layer: records built from arbitrary field
 * values (mostly well-formed, then one field, CIGAR operation, name byte or aux field made
 * hostile) go straight into the WASM kernel (as inflated bytes) and into the plain-TS oracle
 * scanner with the TypeScript tally. Both must stop at the same record with the same reason, or
 * give the same observation rows and the same counts; the kernel never traps (it would throw a
 * WebAssembly RuntimeError here). Coverage-guided fuzzing (@jazzer.js/core) is not installed in
 * this project, so these fast-check properties stand in for it; inputs that once found a bug are
 * replayed from test-data/fuzz-corpus/ (tests/count/fuzz-corpus.test.ts).
 */

const N_REF = 3;
const SITES: Site[] = [
  { chrom: 'c0', pos1: 20, ref: 'A', alt: 'C', gene: '', protein: '', id: 'a' },
  { chrom: 'c0', pos1: 40, ref: 'AC', alt: 'GT', gene: '', protein: '', id: 'b' },
  { chrom: 'c0', pos1: 60, ref: 'A', alt: 'AT', gene: '', protein: '', id: 'c' },
  { chrom: 'c1', pos1: 30, ref: 'AGG', alt: 'A', gene: '', protein: '', id: 'd' },
];
const SORTED = sortSpecs(SITES.map((s, i) => siteSpec(s, i, Number(s.chrom.slice(1)))));

interface RecordSpec {
  refId: number;
  pos: number;
  mapq: number;
  flag: number;
  nextRefId: number;
  nextPos: number;
  tlen: number;
  name: number[];
  cigar: [number, number][];
  seq: number[];
  qual: number[];
  aux: number[];
  /** Hostile override: [byte offset in the record, width, value] applied after building. */
  poke: [number, 1 | 2 | 4, number] | null;
  /** block_size written: the true size plus this. */
  sizeDelta: number;
}

const cigarOp = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(fc.constantFrom(0, 0, 0, 1, 2, 4, 7, 8, 3, 5, 6), fc.integer({ min: 1, max: 30 })) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 15 }), fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant((1 << 28) - 1))),
  },
) as fc.Arbitrary<[number, number]>;

const auxField = fc.oneof(
  fc.constant([...Buffer.from('RXZACGT\0', 'latin1')]),
  fc.constant([...Buffer.from('NMC', 'latin1'), 3]),
  fc.constant([...Buffer.from('XSi', 'latin1'), 1, 2, 3, 4]),
  fc.constant([...Buffer.from('XDd', 'latin1'), 0, 0, 0, 0, 0, 0, 0, 0]),
  fc.tuple(fc.constantFrom(...'cCsSiIfAdq'.split('')), fc.integer({ min: -3, max: 6 })).map(([sub, n]) => {
    const b = Buffer.alloc(8);
    b.write('XBB', 0, 'latin1');
    b.write(sub, 3, 'latin1');
    b.writeInt32LE(n, 4);
    return [...b, ...new Array(Math.max(0, n) * 2).fill(1)];
  }),
  fc.uint8Array({ minLength: 0, maxLength: 6 }).map((u) => [...u]),
);

const recordSpec: fc.Arbitrary<RecordSpec> = fc
  .record({
    refId: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 4 }) }),
    pos: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 80 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, -2, 0x7fffffff, 0x7ffffff0) },
    ),
    mapq: fc.constantFrom(0, 10, 30, 60, 255),
    flag: fc.oneof(fc.constantFrom(0, 0x10, 0x1 | 0x40 | 0x20, 0x1 | 0x80 | 0x10), fc.integer({ min: 0, max: 0xffff })),
    nextRefId: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: -1, max: 1 }) },
      { weight: 1, arbitrary: fc.integer({ min: -3, max: 5 }) },
    ),
    nextPos: fc.integer({ min: -2, max: 100 }),
    tlen: fc.oneof(fc.integer({ min: -300, max: 300 }), fc.constantFrom(-0x80000000, 0x7fffffff)),
    name: fc.oneof(
      { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9:_]{1,12}$/).map((s) => [...Buffer.from(s, 'latin1'), 0]) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 6 }).map((u) => [...u]) },
      { weight: 1, arbitrary: fc.constant([65, 0, 66, 0] as number[]) },
    ),
    cigar: fc.array(cigarOp, { minLength: 0, maxLength: 6 }),
    auxFields: fc.array(auxField, { maxLength: 3 }),
    seqStar: fc.integer({ min: 0, max: 19 }).map((x) => x === 0),
    qualByte: fc.constantFrom(2, 20, 30, 40, 0xff),
    poke: fc.option(
      fc.tuple(
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(1, 2, 4) as fc.Arbitrary<1 | 2 | 4>,
        fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      ),
      { freq: 6 },
    ),
    sizeDelta: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -40, max: 40 }) }),
    seqLenDelta: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }) }),
  })
  .map((r) => {
    const qlen = r.cigar.reduce((n, [op, len]) => n + ([0, 1, 4, 7, 8].includes(op) ? len : 0), 0);
    const lSeq = r.seqStar ? 0 : Math.max(0, Math.min(400, qlen + r.seqLenDelta));
    const seq = Array.from({ length: lSeq }, (_, i) => 1 << (i % 4));
    return {
      refId: r.refId,
      pos: r.pos,
      mapq: r.mapq,
      flag: r.flag,
      nextRefId: r.nextRefId,
      nextPos: r.nextPos,
      tlen: r.tlen,
      name: r.name,
      cigar: r.cigar,
      seq,
      qual: seq.map(() => r.qualByte),
      aux: r.auxFields.flat(),
      poke: r.poke,
      sizeDelta: r.sizeDelta,
    };
  });

function encode(r: RecordSpec): Buffer {
  const lSeq = r.seq.length;
  const body = 32 + r.name.length + 4 * r.cigar.length + ((lSeq + 1) >> 1) + lSeq + r.aux.length;
  const b = Buffer.alloc(4 + body);
  b.writeInt32LE(body + r.sizeDelta, 0);
  b.writeInt32LE(r.refId, 4);
  b.writeInt32LE(r.pos, 8);
  b[12] = r.name.length & 0xff;
  b[13] = r.mapq;
  b.writeUInt16LE(r.cigar.length, 16);
  b.writeUInt16LE(r.flag, 18);
  b.writeInt32LE(lSeq, 20);
  b.writeInt32LE(r.nextRefId, 24);
  b.writeInt32LE(r.nextPos, 28);
  b.writeInt32LE(r.tlen, 32);
  let o = 36;
  for (const c of r.name) b[o++] = c;
  for (const [op, len] of r.cigar) {
    b.writeUInt32LE(((len << 4) | op) >>> 0, o);
    o += 4;
  }
  for (let i = 0; i < lSeq; i += 2) b[o++] = (r.seq[i] << 4) | (r.seq[i + 1] ?? 0);
  for (const q of r.qual) b[o++] = q;
  for (const a of r.aux) b[o++] = a;
  if (r.poke) {
    const [at, width, v] = r.poke;
    if (at + width <= b.length) {
      if (width === 4) b.writeInt32LE(v, at);
      else if (width === 2) b.writeUInt16LE(v & 0xffff, at);
      else b[at] = v & 0xff;
    }
  }
  return b;
}

interface Scanned {
  /** 'end' (all bytes were whole records), 'cut' (a record was incomplete), or the stop. */
  stop: string;
  errorOffset: number;
  errorReason: number;
  rows: number[];
  counts: number[];
  seen: number;
  passing: number;
}

const SETTINGS = { excludeFlags: 0xf04, minMapq: 20, minBaseq: 20 };

function last(): { ref: number; pos: number } {
  const s = SORTED[SORTED.length - 1];
  return { ref: s.refId, pos: s.start0 };
}

function runKernel(kernel: WasmKernel, bytes: Buffer, toEnd: boolean, mates: 'fragment' | 'reads'): Scanned {
  kernel.configure(SORTED, N_REF, { ...SETTINGS, mates, rows: true, umiSource: 'RX' });
  kernel.beginWorker(false);
  kernel.beginPiece(0, 0, NO_LIMIT, 0, last().ref, last().pos, toEnd);
  kernel.inflatedArea(bytes.length).set(bytes);
  let status = kernel.scanInflated(bytes.length, 0);
  if (status === KernelStatus.NeedInput) status = kernel.finishPiece();
  const e = kernel.error();
  const stop =
    status === KernelStatus.End
      ? 'end'
      : status === KernelStatus.Truncated
        ? 'cut'
        : status === KernelStatus.Past
          ? 'past'
          : status === KernelStatus.Unsorted
            ? 'unsorted'
            : status === KernelStatus.Malformed
              ? 'malformed'
              : `status ${status}`;
  const drained = kernel.drainRows().rows;
  kernel.flushWaiting();
  return {
    stop,
    errorOffset: status === KernelStatus.Malformed || status === KernelStatus.Unsorted ? e.pos : -1,
    errorReason: status === KernelStatus.Malformed ? e.reason : 0,
    rows: withoutOffsets(drained),
    counts: stop === 'malformed' || stop === 'unsorted' ? [] : [...kernel.counts()],
    seen: kernel.readsSeen(),
    passing: kernel.readsPassing(),
  };
}

function withoutOffsets(rows: Int32Array): number[] {
  const out = [...rows];
  for (let r = 8; r < out.length; r += ROW_INTS) out[r] = 0;
  return out;
}

function runOracle(scanner: OracleScanner, bytes: Buffer, toEnd: boolean, mates: 'fragment' | 'reads'): Scanned {
  scanner.configure(SORTED, 0, SORTED.length, { excludeFlags: SETTINGS.excludeFlags, minMapq: SETTINGS.minMapq }, N_REF);
  scanner.reset();
  scanner.setStop(last().ref, last().pos, toEnd);
  scanner.input(bytes.length, 0).set(bytes, 0);
  const consumed = scanner.scan(bytes.length, Number.POSITIVE_INFINITY);
  const status = scanner.status as number;
  const stop =
    status === ScanStatus.Past
      ? 'past'
      : status === ScanStatus.Unsorted
        ? 'unsorted'
        : status === ScanStatus.Malformed
          ? 'malformed'
          : consumed === bytes.length
            ? 'end'
            : 'cut';
  const rows = scanner.rows();
  const tally = new SiteTally(
    SORTED.length,
    mates,
    SETTINGS.minBaseq,
    Int32Array.from(SORTED, (x) => x.start0),
  );
  const slot = new Int32Array(SITES.length);
  SORTED.forEach((x, i) => (slot[x.index] = i));
  tally.addRows(rows, slot);
  tally.flush();
  return {
    stop,
    errorOffset: status === ScanStatus.Unsorted || status === ScanStatus.Malformed ? scanner.errorOffset : -1,
    errorReason: status === ScanStatus.Malformed ? scanner.errorReason : 0,
    rows: withoutOffsets(rows),
    counts: stop === 'malformed' || stop === 'unsorted' ? [] : [...tally.counts],
    seen: scanner.readsSeen,
    passing: scanner.readsPassing,
  };
}

describe('record checks: WASM kernel and oracle agree on arbitrary records', () => {
  const wasm = new WasmKernel();
  const oracle = new OracleScanner();

  it('same stop, same reason, same rows; never a trap', () => {
    const reasons = new Map<number, number>();
    fc.assert(
      fc.property(
        fc.array(recordSpec, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        (recs, toEnd, shuffle, fragment) => {
          // Sorted by position most of the time, so that checks after the sort check are reached.
          const sorted = shuffle > 0 ? [...recs].sort((a, b) => a.refId - b.refId || a.pos - b.pos) : recs;
          const bytes = Buffer.concat(sorted.map(encode));
          const mates = fragment ? 'fragment' : 'reads';
          const w = runKernel(wasm, bytes, toEnd, mates);
          const o = runOracle(oracle, bytes, toEnd, mates);
          expect(w).toEqual(o);
          if (w.stop === 'malformed') {
            reasons.set(w.errorReason, (reasons.get(w.errorReason) ?? 0) + 1);
            // The message is one line and names the reason, whatever the bytes.
            const msg = describeProblem(w.errorReason, bytes, w.errorOffset, N_REF);
            expect(msg).not.toMatch(/\n|undefined/);
          }
        },
      ),
      { numRuns: 10000, seed: Number(process.env.OLIGOTRACK_PROPS_SEED ?? 20260101) },
    );
    // Every rule must have been hit at least once by the generator.
    for (let reason = RecordProblem.BlockSmall; reason <= RecordProblem.CigarClip; reason++) {
      expect(reasons.get(reason) ?? 0, `reason ${reason} never produced`).toBeGreaterThan(0);
    }
  });

  it('the TS checks accept what the BAM writer writes', () => {
    const ok = encode({
      refId: 0,
      pos: 10,
      mapq: 60,
      flag: 0,
      nextRefId: -1,
      nextPos: -1,
      tlen: 0,
      name: [65, 0],
      cigar: [[0, 4]],
      seq: [1, 2, 4, 8],
      qual: [30, 30, 30, 30],
      aux: [...Buffer.from('RXZAC\0', 'latin1')],
      poke: null,
      sizeDelta: 0,
    });
    expect(checkRecord(ok, 0, N_REF).problem).toBe(RecordProblem.OK);
  });
});
