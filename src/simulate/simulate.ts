import { BamStreamWriter, encodeBamRecord, RefDictionary, type IndexKind, type RecordPlacement } from '../io/bam-writer.js';
import type { BamHeader, SamRecord } from '../io/sam-record.js';
import { alignedSpan, buildMolecule, readAlignment, type Molecule } from './haplotype.js';
import { SyntheticReference } from './reference.js';
import { hashString32, mix32, Rng } from './rng.js';
import type { SimSite, SimulationSpec, TruthRow } from './spec.js';

/**
 * The cfDNA simulator: for each site, `depth` molecules covering it (ALT-carrying with
 * probability `vaf`, shorter when they do), each amplified into a PCR family and sequenced as
 * 2 × readLength pairs with PCR, sequencing and strand-specific errors. Pure: records and truth
 * out, no I/O (simulateToBam streams them into a BAM).
 */

const FLAG_PAIRED = 0x1;
const FLAG_PROPER = 0x2;
const FLAG_REVERSE = 0x10;
const FLAG_MATE_REVERSE = 0x20;
const FLAG_READ1 = 0x40;
const FLAG_READ2 = 0x80;
const FLAG_DUP = 0x400;

/** Bases a site keeps from each read end, so indels are never placed at a read's very edge. */
const EDGE_MARGIN = 3;
/** Fragment lengths are kept in [MIN_FRAG, MAX_FRAG]; reads then stay within ±MAX_FRAG of a site. */
const MIN_FRAG = 60;
const MAX_FRAG = 700;
/** Sites closer than this share a cluster: their reads are generated and sorted together. */
const CLUSTER_WINDOW = MAX_FRAG + 50;

const ACGT = [65, 67, 71, 84];

/** The k-th (0..2) of the three bases other than `code` (ASCII), in A, C, G, T order. */
function otherBase(code: number, k: number): number {
  let seen = 0;
  for (const b of ACGT) {
    if (b === code) continue;
    if (seen++ === k) return b;
  }
  return ACGT[k];
}

interface SiteState {
  site: SimSite;
  index: number;
  tid: number;
  pos0: number;
  truth: TruthRow;
}

/** Receives a cluster's records as they are made; the cluster's order is established later. */
export interface RecordCollector {
  push(rec: SamRecord, pos0: number, reverse: boolean): void;
}

/** Keeps records as objects (for `simulateSample`). */
class ObjectCollector implements RecordCollector {
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

class EncodedCollector implements RecordCollector {
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
    const order = this.entries.sort((a, b) => a.placement.beg0 - b.placement.beg0 || Number(a.placement.reverse) - Number(b.placement.reverse));
    for (const e of order) writer.addEncoded(arenas[e.arena].subarray(e.off, e.off + e.len), e.placement);
    const n = order.length;
    this.entries = [];
    this.arenas = [];
    this.used = 0;
    return n;
  }
}

/** A simulation request that cannot be honoured (bad parameter or site): the user's to fix. */
export class SimulationInputError extends Error {
  override readonly name = 'SimulationInputError';
}

function checkSpec(spec: SimulationSpec): void {
  const bad = (m: string) => {
    throw new SimulationInputError(m);
  };
  if (!(spec.depth >= 1 && Number.isInteger(spec.depth))) bad(`depth must be a positive integer, got ${spec.depth}`);
  if (!(spec.readLength >= 30 && spec.readLength <= 1000)) bad(`read length must be 30-1000, got ${spec.readLength}`);
  if (!(spec.familySizeMean >= 1)) bad(`family size mean must be ≥ 1, got ${spec.familySizeMean}`);
  for (const [name, v] of [['seq error', spec.seqError], ['PCR error', spec.pcrError], ['low-MAPQ fraction', spec.lowMapqFraction], ['soft-clip fraction', spec.softClipFraction]] as const) {
    if (!(v >= 0 && v <= 0.5)) bad(`${name} must be in [0, 0.5], got ${v}`);
  }
  for (const [name, v] of [['fragment mode', spec.fragMode], ['tumour fragment mode', spec.tumourFragMode]] as const) {
    if (!(v >= MIN_FRAG && v <= MAX_FRAG)) bad(`${name} must be in [${MIN_FRAG}, ${MAX_FRAG}], got ${v}`);
  }
  if (spec.umi && !(spec.umi.length >= 4 && spec.umi.length <= 32)) bad(`UMI length must be 4-32, got ${spec.umi.length}`);
}

/** Sites placed on the header and the synthetic reference, in coordinate order. */
function prepareSites(spec: SimulationSpec, reference: SyntheticReference): SiteState[] {
  const tids = new Map(spec.refs.map((r, i) => [r.name, i]));
  const states = spec.sites.map((site, index): SiteState => {
    const what = `site ${site.chrom}:${site.pos1} ${site.ref}>${site.alt}`;
    const tid = tids.get(site.chrom);
    if (tid === undefined) throw new SimulationInputError(`${what}: contig ${site.chrom} is not in the simulated genome`);
    if (!/^[ACGTN]+$/i.test(site.ref) || !/^[ACGTN]+$/i.test(site.alt)) throw new SimulationInputError(`${what}: alleles must be A/C/G/T/N bases`);
    if (!(site.vaf >= 0 && site.vaf <= 1)) throw new SimulationInputError(`${what}: VAF ${site.vaf} is not in [0, 1]`);
    const len = spec.refs[tid].length;
    if (site.pos1 - 1 - MAX_FRAG < 0 || site.pos1 + site.ref.length + MAX_FRAG > len) {
      throw new SimulationInputError(`${what}: too close to the contig end (${len} bp) to place ${MAX_FRAG} bp fragments around it`);
    }
    try {
      reference.placeAllele(site.chrom, site.pos1, site.ref.toUpperCase(), what);
    } catch (e) {
      throw new SimulationInputError((e as Error).message);
    }
    return {
      site: { ...site, ref: site.ref.toUpperCase(), alt: site.alt.toUpperCase() },
      index,
      tid,
      pos0: site.pos1 - 1,
      truth: { sample: spec.sample, chrom: site.chrom, pos1: site.pos1, ref: site.ref.toUpperCase(), alt: site.alt.toUpperCase(), trueVaf: site.vaf, fragmentsTotal: 0, fragmentsAlt: 0 },
    };
  });
  return [...states].sort((a, b) => a.tid - b.tid || a.pos0 - b.pos0 || a.index - b.index);
}

/** Groups coordinate-ordered sites whose reads can interleave. */
function clusters(sorted: SiteState[]): SiteState[][] {
  const out: SiteState[][] = [];
  let cur: SiteState[] = [];
  let curEnd = -1;
  for (const s of sorted) {
    if (cur.length && (s.tid !== cur[0].tid || s.pos0 - CLUSTER_WINDOW > curEnd)) {
      out.push(cur);
      cur = [];
    }
    cur.push(s);
    curEnd = Math.max(cur.length > 1 ? curEnd : -1, s.pos0 + s.site.ref.length + CLUSTER_WINDOW);
  }
  if (cur.length) out.push(cur);
  return out;
}

class ClusterSimulator {
  private readonly qualCache = new Map<number, string>();

  constructor(
    private readonly spec: SimulationSpec,
    private readonly reference: SyntheticReference,
    private readonly cluster: SiteState[],
    private readonly out: RecordCollector,
  ) {}

  private qual(len: number): string {
    let q = this.qualCache.get(len);
    if (q === undefined) this.qualCache.set(len, (q = String.fromCharCode(33 + this.spec.baseQuality).repeat(len)));
    return q;
  }

  private fragmentLength(rng: Rng, tumour: boolean): number {
    const s = this.spec;
    let mode = tumour ? s.tumourFragMode : s.fragMode;
    let sd = s.fragSd;
    if (!tumour && rng.bernoulli(s.diNucleosomeFraction)) {
      mode = 2 * s.fragMode;
      sd = 2 * s.fragSd;
    }
    return Math.min(MAX_FRAG, Math.max(MIN_FRAG, Math.round(rng.normal(mode, sd))));
  }

  private randomUmi(rng: Rng): string {
    let u = '';
    for (let i = 0; i < this.spec.umi!.length; i++) u += 'ACGT'[rng.int(4)];
    return u;
  }

  /** Substitutes a random other base at each of ~Poisson(rate × length) positions of bases[lo, hi). */
  private sprinkleErrors(rng: Rng, bases: Uint8Array, rate: number, lo = 0, hi = bases.length): void {
    if (rate <= 0) return;
    const n = rng.poisson(rate * (hi - lo));
    for (let k = 0; k < n; k++) {
      const i = lo + rng.int(hi - lo);
      bases[i] = otherBase(bases[i], rng.int(3));
    }
  }

  /** Simulates every molecule of every site of the cluster into the collector. */
  run(): void {
    for (const state of this.cluster) this.simulateSite(state);
  }

  private simulateSite(state: SiteState): void {
    const s = this.spec;
    const { site } = state;
    const rng = new Rng(mix32(s.seed >>> 0, hashString32(`${site.chrom}:${site.pos1}:${site.ref}:${site.alt}`)));
    const contigLen = s.refs[state.tid].length;
    for (let f = 0; f < s.depth; f++) {
      const tumour = rng.float() < site.vaf;
      const alleleLen = tumour ? site.alt.length : site.ref.length;
      let length = this.fragmentLength(rng, tumour);
      if (length < alleleLen + 2 * EDGE_MARGIN + 10) length = alleleLen + 2 * EDGE_MARGIN + 10;
      const rl = Math.min(s.readLength, length);
      // Molecule offsets at which the allele lies inside read 1's or read 2's span, margins kept.
      const leftLo = EDGE_MARGIN;
      const leftHi = rl - alleleLen - EDGE_MARGIN; // inclusive
      const rightLo = Math.max(leftHi + 1, length - rl + EDGE_MARGIN);
      const rightHi = length - alleleLen - EDGE_MARGIN;
      const nLeft = Math.max(0, leftHi - leftLo + 1);
      const nRight = Math.max(0, rightHi - rightLo + 1);
      if (nLeft + nRight === 0) throw new SimulationInputError(`site ${site.chrom}:${site.pos1}: allele too long for ${rl} bp reads`);
      const pick = rng.int(nLeft + nRight);
      const offset = pick < nLeft ? leftLo + pick : rightLo + (pick - nLeft);
      const start0 = state.pos0 - offset;
      if (start0 < 0 || start0 + length + site.ref.length > contigLen) continue;
      const mol = buildMolecule(this.reference, site.chrom, start0, length, tumour ? { pos0: state.pos0, ref: site.ref, alt: site.alt } : undefined);
      this.emitMolecule(rng, state, f, mol, tumour, offset, alleleLen);
    }
  }

  private emitMolecule(rng: Rng, state: SiteState, f: number, mol: Molecule, tumour: boolean, offset: number, alleleLen: number): void {
    const s = this.spec;
    const length = mol.bases.length;
    const rl = Math.min(s.readLength, length);
    const leftRange: [number, number] = [0, rl];
    const rightRange: [number, number] = [length - rl, length];
    // Truth: every site of the cluster whose whole REF span lies in an aligned read span.
    const spans = [alignedSpan(mol, leftRange[0], leftRange[1]), alignedSpan(mol, rightRange[0], rightRange[1])];
    for (const other of this.cluster) {
      const b = other.pos0;
      const e = other.pos0 + other.site.ref.length;
      if (spans.some((sp) => sp && sp.first0 <= b && sp.end0 >= e)) {
        other.truth.fragmentsTotal++;
        if (other === state && tumour) other.truth.fragmentsAlt++;
      }
    }
    const familySize = s.familySizeMean > 1 ? 1 + rng.poisson(s.familySizeMean - 1) : 1;
    const mapq = s.lowMapqFraction > 0 && rng.bernoulli(s.lowMapqFraction) ? rng.int(20) : 60;
    const umiA = s.umi ? this.randomUmi(rng) : '';
    const umiB = s.umi?.duplex ? this.randomUmi(rng) : '';
    const moleculeTop = rng.bernoulli(0.5);
    // PCR errors: each arises at a cycle c and reaches a copy with probability 2^-c.
    const pcrEvents: { i: number; base: number; p: number }[] = [];
    if (s.pcrError > 0) {
      const n = rng.poisson(s.pcrError * length);
      for (let k = 0; k < n; k++) {
        const i = rng.int(length);
        const cycle = 1 + rng.int(s.pcrCycles);
        pcrEvents.push({ i, base: otherBase(mol.bases[i], rng.int(3)), p: 2 ** -cycle });
      }
    }
    // The allele's molecule range, protected from adapter clipping so the truth stays exact.
    const protLo = offset - EDGE_MARGIN;
    const protHi = offset + alleleLen + EDGE_MARGIN;
    const fragSpan = (() => {
      const l = alignedSpan(mol, 0, length)!;
      return l.end0 - l.first0;
    })();
    for (let c = 0; c < familySize; c++) {
      const top = s.umi?.duplex ? rng.bernoulli(0.5) : moleculeTop;
      let copy = mol.bases;
      for (const ev of pcrEvents) {
        if (rng.float() < ev.p) {
          if (copy === mol.bases) copy = Uint8Array.from(mol.bases);
          copy[ev.i] = ev.base;
        }
      }
      let umi = '';
      if (s.umi) {
        const raw = Buffer.from(s.umi.duplex ? (top ? `${umiA}${umiB}` : `${umiB}${umiA}`) : umiA, 'latin1');
        this.sprinkleErrors(rng, raw, s.seqError);
        const text = raw.toString('latin1');
        umi = s.umi.duplex ? `${text.slice(0, s.umi.length)}-${text.slice(s.umi.length)}` : text;
      }
      // '.'-separated so that a UMI, when added to the name, is its only ':'-separated field.
      const where = s.umi?.where ?? 'tag';
      const qname = `${s.sample}.${state.index}.${f}.${c}${s.umi && where !== 'tag' ? `:${umi}` : ''}`;
      const dup = s.markDuplicates && c > 0 ? FLAG_DUP : 0;
      // Top strand: read 1 forward from the left end; bottom strand: read 1 reverse from the right.
      const leftIsRead1 = top;
      const left = this.makeRead(rng, copy, mol, leftRange, false, leftIsRead1, protLo, protHi);
      const right = this.makeRead(rng, copy, mol, rightRange, true, !leftIsRead1, protLo, protHi);
      const tags = (): Record<string, string | number> | undefined => (s.umi && where !== 'name' ? { RX: umi } : undefined);
      const baseFlag = FLAG_PAIRED | FLAG_PROPER | dup;
      const leftRec: SamRecord = {
        qname,
        flag: baseFlag | FLAG_MATE_REVERSE | (leftIsRead1 ? FLAG_READ1 : FLAG_READ2),
        rname: state.site.chrom,
        pos1: left.pos0 + 1,
        mapq,
        cigar: left.cigar,
        rnext: '=',
        pnext1: right.pos0 + 1,
        tlen: fragSpan,
        seq: left.seq,
        qual: left.qual,
        tags: tags(),
      };
      const rightRec: SamRecord = {
        qname,
        flag: baseFlag | FLAG_REVERSE | (leftIsRead1 ? FLAG_READ2 : FLAG_READ1),
        rname: state.site.chrom,
        pos1: right.pos0 + 1,
        mapq,
        cigar: right.cigar,
        rnext: '=',
        pnext1: left.pos0 + 1,
        tlen: -fragSpan,
        seq: right.seq,
        qual: right.qual,
        tags: tags(),
      };
      this.out.push(leftRec, left.pos0, false);
      this.out.push(rightRec, right.pos0, true);
    }
  }

  /** One read of molecule range [a, b): errors, artefacts and an optional 3' adapter clip. */
  private makeRead(
    rng: Rng,
    copy: Uint8Array,
    mol: Molecule,
    [a, b]: [number, number],
    reverse: boolean,
    isRead1: boolean,
    protLo: number,
    protHi: number,
  ): { pos0: number; cigar: string; seq: string; qual: string } {
    const s = this.spec;
    const bases = Buffer.from(copy.subarray(a, b)); // a copy: errors are per read
    this.sprinkleErrors(rng, bases, s.seqError);
    const art = s.strandArtefact;
    if (art && art.rate > 0 && isRead1 && !reverse) {
      const from = art.from.charCodeAt(0);
      const to = art.to.charCodeAt(0);
      for (let i = 0; i < bases.length; i++) if (bases[i] === from && rng.float() < art.rate) bases[i] = to;
    }
    let clipLeft = 0;
    let clipRight = 0;
    if (s.softClipFraction > 0 && rng.bernoulli(s.softClipFraction)) {
      const k = 5 + rng.int(25);
      // 3' end of the read: the right end for forward reads, the left end for reverse reads.
      const clipLo = reverse ? a : b - k;
      const clipHi = reverse ? a + k : b;
      if (k < bases.length - 20 && (clipHi <= protLo || clipLo >= protHi)) {
        for (let i = clipLo - a; i < clipHi - a; i++) bases[i] = ACGT[rng.int(4)];
        if (reverse) clipLeft = k;
        else clipRight = k;
      }
    }
    const aln = readAlignment(mol, a, b, clipLeft, clipRight);
    return { pos0: aln.pos0, cigar: aln.cigar, seq: bases.toString('latin1'), qual: this.qualities(rng, bases.length) };
  }

  /**
   * Quality string. 'binned': NovaSeq-like bins (85% Q37, 8% Q23, 5% Q12, 2% Q2). 'full':
   * HiSeq-like full-resolution values that decline towards the 3' end (Q38 → ~Q32) with a tail of
   * low values. One 32-bit draw serves four bases.
   */
  private qualities(rng: Rng, len: number): string {
    const model = this.spec.qualityModel;
    if (model === 'constant') return this.qual(len);
    const q = Buffer.allocUnsafe(len);
    let bits = 0;
    for (let i = 0; i < len; i++) {
      if ((i & 3) === 0) bits = rng.nextUint32();
      const u = (bits >>> ((i & 3) << 3)) & 0xff;
      if (model === 'binned') q[i] = 33 + (u < 218 ? 37 : u < 238 ? 23 : u < 251 ? 12 : 2);
      else q[i] = 33 + Math.max(2, 38 - ((i * 6) / len | 0) - FULL_QUALITY_DROP[u]);
    }
    return q.toString('latin1');
  }
}

/** 'full' quality model: drop below the positional baseline by byte value (60% none, tail to 30). */
const FULL_QUALITY_DROP = Uint8Array.from({ length: 256 }, (_, u) => (u < 154 ? 0 : u < 230 ? 1 + ((u - 154) % 5) : 6 + (u - 230)));

export interface SimulationResult {
  /** In coordinate order. */
  records: SamRecord[];
  /** In the order of `spec.sites`. */
  truth: TruthRow[];
}

export function simulationHeader(spec: SimulationSpec): BamHeader {
  const s = spec;
  const pg = `@PG\tID:oligotrack-simulate\tPN:oligotrack\tCL:simulate seed=${s.seed} depth=${s.depth} umi=${s.umi ? (s.umi.duplex ? 'duplex' : s.umi.length) : 'none'}`;
  return { refs: spec.refs, text: `@RG\tID:${s.sample}\tSM:${s.sample}\tLB:${s.sample}\tPL:ILLUMINA\n${pg}\n` };
}

/**
 * Simulates cluster by cluster (sites whose reads can interleave) into `collector`, calling
 * `flush` after each cluster; returns the truth rows in `spec.sites` order.
 */
function simulateClusters(spec: SimulationSpec, collector: RecordCollector, flush: () => void): TruthRow[] {
  checkSpec(spec);
  const reference = new SyntheticReference();
  const sorted = prepareSites(spec, reference);
  for (const cluster of clusters(sorted)) {
    new ClusterSimulator(spec, reference, cluster, collector).run();
    flush();
  }
  const bySpecOrder = [...sorted].sort((a, b) => a.index - b.index);
  return bySpecOrder.map((st) => st.truth);
}

/** Simulates a whole sample in memory (for small tests). */
export function simulateSample(spec: SimulationSpec): SimulationResult {
  const records: SamRecord[] = [];
  const collector = new ObjectCollector();
  const truth = simulateClusters(spec, collector, () => {
    for (const r of collector.drain()) records.push(r);
  });
  return { records, truth };
}

/**
 * Simulates straight into a coordinate-sorted, indexed BAM with memory bounded by one cluster of
 * nearby sites (~300 bytes per read of the cluster). Returns the truth rows and the number of
 * records written.
 */
export function simulateToBam(
  spec: SimulationSpec,
  path: string,
  opts: { index?: IndexKind; level?: number } = {},
): { truth: TruthRow[]; records: number } {
  const header = simulationHeader(spec);
  const writer = new BamStreamWriter(path, header, { index: opts.index ?? 'bai', level: opts.level });
  const collector = new EncodedCollector(new RefDictionary(header));
  let n = 0;
  try {
    const truth = simulateClusters(spec, collector, () => {
      n += collector.drainTo(writer);
    });
    writer.close();
    return { truth, records: n };
  } catch (e) {
    writer.abort();
    throw e;
  }
}
