import { FLAG } from '../count/types.js';
import type { SamRecord } from '../io/sam-record.js';
import type { RecordCollector } from './collectors.js';
import { alignedSpan, buildMolecule, readAlignment, type Molecule } from './haplotype.js';
import type { SyntheticReference } from './reference.js';
import { hashString32, mix32, Rng } from './rng.js';
import type { SimSite, SimulationSpec, TruthRow } from './spec.js';
import { UserError } from '../util/errors.js';

/**
 * Molecules and reads of one cluster of nearby sites: for each site, `depth` molecules covering
 * it (ALT-carrying with probability `vaf`, shorter when they do), each amplified into a PCR
 * family and sequenced as 2 × readLength pairs with PCR, sequencing and strand-specific errors.
 */

/** Bases a site keeps from each read end, so indels are never placed at a read's very edge. */
const EDGE_MARGIN = 3;
/** Fragment lengths are kept in [MIN_FRAG, MAX_FRAG]; reads then stay within ±MAX_FRAG of a site. */
export const MIN_FRAG = 60;
export const MAX_FRAG = 700;
/** Sites closer than this share a cluster: their reads are generated and sorted together. */
export const CLUSTER_WINDOW = MAX_FRAG + 50;

const ACGT = [65, 67, 71, 84];

/** One simulated read before it becomes a SAM record. */
interface SimRead {
  pos0: number;
  cigar: string;
  seq: string;
  qual: string;
}

/** The k-th (0..2) of the three bases other than `code` (ASCII), in A, C, G, T order. */
function otherBase(code: number, k: number): number {
  let seen = 0;
  for (const b of ACGT) {
    if (b === code) continue;
    if (seen++ === k) return b;
  }
  return ACGT[k];
}

export interface SiteState {
  site: SimSite;
  index: number;
  tid: number;
  pos0: number;
  truth: TruthRow;
}

/** A simulation request that cannot be honoured (bad parameter or site): the user's to fix. */
export class SimulationInputError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationInputError';
  }
}

export class ClusterSimulator {
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
      const mol = buildMolecule(
        this.reference,
        site.chrom,
        start0,
        length,
        tumour ? { pos0: state.pos0, ref: site.ref, alt: site.alt } : undefined,
      );
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
      const dup = s.markDuplicates && c > 0 ? FLAG.DUPLICATE : 0;
      // Top strand: read 1 forward from the left end; bottom strand: read 1 reverse from the right.
      const leftIsRead1 = top;
      const left = this.makeRead(rng, copy, mol, leftRange, false, leftIsRead1, protLo, protHi);
      const right = this.makeRead(rng, copy, mol, rightRange, true, !leftIsRead1, protLo, protHi);
      const tags = (): Record<string, string | number> | undefined => (s.umi && where !== 'name' ? { RX: umi } : undefined);
      const baseFlag = FLAG.PAIRED | FLAG.PROPER_PAIR | dup;
      // The two mates mirror each other: strand, read number, mate position and TLEN sign swap.
      const mate = (read: SimRead, other: SimRead, reverse: boolean, isRead1: boolean): SamRecord => ({
        qname,
        flag: baseFlag | (reverse ? FLAG.REVERSE : FLAG.MATE_REVERSE) | (isRead1 ? FLAG.READ1 : FLAG.READ2),
        rname: state.site.chrom,
        pos1: read.pos0 + 1,
        mapq,
        cigar: read.cigar,
        rnext: '=',
        pnext1: other.pos0 + 1,
        tlen: reverse ? -fragSpan : fragSpan,
        seq: read.seq,
        qual: read.qual,
        tags: tags(),
      });
      const leftRec = mate(left, right, false, leftIsRead1);
      const rightRec = mate(right, left, true, !leftIsRead1);
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
  ): SimRead {
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
      else q[i] = 33 + Math.max(2, 38 - (((i * 6) / len) | 0) - FULL_QUALITY_DROP[u]);
    }
    return q.toString('latin1');
  }
}

/** 'full' quality model: drop below the positional baseline by byte value (60% none, tail to 30). */
const FULL_QUALITY_DROP = Uint8Array.from({ length: 256 }, (_, u) => (u < 154 ? 0 : u < 230 ? 1 + ((u - 154) % 5) : 6 + (u - 230)));
