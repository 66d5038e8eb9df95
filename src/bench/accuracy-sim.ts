/**
 * Read-level simulation for the accuracy script, in memory: molecules → PCR families → reads with
 * damage, PCR and sequencing errors → an ObservationTable, the same structure the BAM engine
 * produces, so the UMI arm goes through the real collapse code (src/count/umi.ts). Writing BAMs
 * would exercise the engine too, but at ~10^8 observations per run it would take hours, not minutes.
 */
import { AlleleCode, type ObservationTable } from '../count/types.js';
import type { Rng } from '../simulate/rng.js';

/** Error processes, per base at the site. Values and their sources: docs/methods/accuracy.md. */
export interface ErrorModel {
  /** Damage before amplification (e.g. oxidation, deamination): every read of the family carries it. */
  damage: number;
  /** Error in the first PCR cycle: half the family's reads (one of the two first copies) carry it. */
  pcrFirstCycle: number;
  /** Error in a later cycle: one read carries it. */
  pcrLate: number;
  /** Sequencing error, independently per read (and per mate). */
  seq: number;
  /** Family size = 1 + Poisson(familyMean) reads per molecule (UMI arm). */
  familyMean: number;
  /** Probability that a read's UMI has one sequencing error (tests the directional grouping). */
  umiError: number;
  /** Probability that both mates of a pair cover the site (overlapping mates). */
  mateOverlap: number;
}

export const DEFAULT_ERROR_MODEL: ErrorModel = {
  damage: 1.5e-5,
  pcrFirstCycle: 1e-4,
  pcrLate: 3e-4,
  seq: 1e-3,
  familyMean: 4,
  umiError: 0.01,
  mateOverlap: 0.5,
};

/** Growable columnar buffer → ObservationTable. */
export class ObservationBuffer {
  length = 0;
  private cap: number;
  site: Int32Array;
  allele: Uint8Array;
  qual: Uint8Array;
  flag: Uint16Array;
  readStart0: Int32Array;
  mateStart0: Int32Array;
  fragLen: Int32Array;
  nameHashHi: Uint32Array;
  nameHashLo: Uint32Array;
  umi: string[] = [];

  constructor(capacity = 1 << 16) {
    this.cap = capacity;
    this.site = new Int32Array(capacity);
    this.allele = new Uint8Array(capacity);
    this.qual = new Uint8Array(capacity);
    this.flag = new Uint16Array(capacity);
    this.readStart0 = new Int32Array(capacity);
    this.mateStart0 = new Int32Array(capacity);
    this.fragLen = new Int32Array(capacity);
    this.nameHashHi = new Uint32Array(capacity);
    this.nameHashLo = new Uint32Array(capacity);
  }

  reset(): void {
    this.length = 0;
    this.umi.length = 0;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = <T extends Int32Array | Uint8Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.site = g(this.site, (n) => new Int32Array(n));
    this.allele = g(this.allele, (n) => new Uint8Array(n));
    this.qual = g(this.qual, (n) => new Uint8Array(n));
    this.flag = g(this.flag, (n) => new Uint16Array(n));
    this.readStart0 = g(this.readStart0, (n) => new Int32Array(n));
    this.mateStart0 = g(this.mateStart0, (n) => new Int32Array(n));
    this.fragLen = g(this.fragLen, (n) => new Int32Array(n));
    this.nameHashHi = g(this.nameHashHi, (n) => new Uint32Array(n));
    this.nameHashLo = g(this.nameHashLo, (n) => new Uint32Array(n));
    this.cap = cap;
  }

  push(
    site: number,
    allele: number,
    qual: number,
    flag: number,
    readStart0: number,
    mateStart0: number,
    fragLen: number,
    hi: number,
    lo: number,
    umi: string,
  ): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    this.site[i] = site;
    this.allele[i] = allele;
    this.qual[i] = qual;
    this.flag[i] = flag;
    this.readStart0[i] = readStart0;
    this.mateStart0[i] = mateStart0;
    this.fragLen[i] = fragLen;
    this.nameHashHi[i] = hi;
    this.nameHashLo[i] = lo;
    this.umi.push(umi);
  }

  /** A view as an ObservationTable (valid until the next reset/push). */
  table(): ObservationTable {
    const n = this.length;
    return {
      length: n,
      site: this.site.subarray(0, n),
      allele: this.allele.subarray(0, n),
      qual: this.qual.subarray(0, n),
      flag: this.flag.subarray(0, n),
      readStart0: this.readStart0.subarray(0, n),
      mateStart0: this.mateStart0.subarray(0, n),
      fragLen: this.fragLen.subarray(0, n),
      nameHashHi: this.nameHashHi.subarray(0, n),
      nameHashLo: this.nameHashLo.subarray(0, n),
      umi: this.umi,
    };
  }
}

const UMI_LEN = 8;
const UMI_TABLE: string[] = Array.from({ length: 1 << (2 * UMI_LEN) }, (_, v) => {
  let s = '';
  for (let i = 0; i < UMI_LEN; i++) s += 'ACGT'[(v >>> (2 * i)) & 3];
  return s;
});

// Flags of the two mates: top strand = read 1 forward (99/147), bottom = read 1 reverse (83/163).
const TOP_R1 = 99;
const TOP_R2 = 147;
const BOT_R1 = 83;
const BOT_R2 = 163;
const READ_LEN = 150;
const QUAL = 37;

/** A substitution error: from ref or alt, one of the three other bases (alt with probability 1/3). */
function mutate(rng: Rng, allele: number): number {
  const r = rng.int(3);
  if (allele === AlleleCode.REF) return r === 0 ? AlleleCode.ALT : AlleleCode.OTHER;
  if (allele === AlleleCode.ALT) return r === 0 ? AlleleCode.REF : AlleleCode.OTHER;
  return r === 0 ? AlleleCode.REF : r === 1 ? AlleleCode.ALT : AlleleCode.OTHER;
}

export interface SiteSimulation {
  /** Molecules (unique fragments) covering the site. */
  molecules: number;
  /** Tumour allele fraction at the site. */
  vaf: number;
  /** true: families of 1 + Poisson(familyMean) reads with UMIs; false: one read pair per molecule. */
  umi: boolean;
  /** Site index written into the table, and the site's 0-based position. */
  siteIndex: number;
  pos0: number;
  /** Distinguishes read names between sites/replicates. */
  nameSalt: number;
}

/**
 * Appends the reads of one site to `buf`. cfDNA fragment lengths: normal ~ N(167, 20²), tumour
 * ~ N(145, 20²) (tumour-derived cfDNA is shorter; Mouliere et al. 2018 Sci Transl Med 10:eaat4921).
 */
export function simulateSite(rng: Rng, model: ErrorModel, sim: SiteSimulation, buf: ObservationBuffer): void {
  for (let m = 0; m < sim.molecules; m++) {
    const tumour = rng.float() < sim.vaf;
    let fragLen = Math.round((tumour ? 145 : 167) + 20 * rng.normal());
    if (fragLen < 80) fragLen = 80;
    if (fragLen > 400) fragLen = 400;
    const start0 = sim.pos0 - rng.int(fragLen);
    const top = rng.float() < 0.5;
    let base: number = tumour ? AlleleCode.ALT : AlleleCode.REF;
    if (rng.float() < model.damage) base = mutate(rng, base);
    const lineage = rng.float() < model.pcrFirstCycle ? mutate(rng, base) : base;
    const umiValue = rng.int(UMI_TABLE.length);
    const size = sim.umi ? 1 + rng.poisson(model.familyMean) : 1;
    const mateStart0 = start0 + Math.max(0, fragLen - READ_LEN);
    for (let r = 0; r < size; r++) {
      let b = rng.float() < 0.5 ? lineage : base;
      if (rng.float() < model.pcrLate) b = mutate(rng, b);
      let umi = '';
      if (sim.umi) {
        let u = umiValue;
        if (rng.float() < model.umiError) u ^= (1 + rng.int(3)) << (2 * rng.int(UMI_LEN));
        umi = UMI_TABLE[u];
      }
      const hi = (sim.nameSalt * 2654435761 + m) >>> 0;
      const lo = r;
      const b1 = rng.float() < model.seq ? mutate(rng, b) : b;
      const r1Start = top ? start0 : mateStart0;
      const r2Start = top ? mateStart0 : start0;
      buf.push(sim.siteIndex, b1, QUAL, top ? TOP_R1 : BOT_R1, r1Start, r2Start, fragLen, hi, lo, umi);
      if (rng.float() < model.mateOverlap) {
        const b2 = rng.float() < model.seq ? mutate(rng, b) : b;
        buf.push(sim.siteIndex, b2, QUAL, top ? TOP_R2 : BOT_R2, r2Start, r1Start, fragLen, hi, lo, umi);
      }
    }
  }
}

/**
 * Fragment counting without UMIs (what `count --mates fragment` does): mates of a pair merged,
 * agreeing → one count, disagreeing → neither. Returns [depth, ref, alt] for site 0.
 */
export function countFragments(t: ObservationTable): { depth: number; ref: number; alt: number } {
  let depth = 0;
  let ref = 0;
  let alt = 0;
  // Reads of one pair are adjacent in the simulated table (same hi/lo).
  for (let i = 0; i < t.length; i++) {
    let a = t.allele[i];
    if (i + 1 < t.length && t.nameHashHi[i + 1] === t.nameHashHi[i] && t.nameHashLo[i + 1] === t.nameHashLo[i]) {
      const b = t.allele[i + 1];
      i++;
      if (a !== b) continue;
      a = b;
    }
    depth++;
    if (a === AlleleCode.REF) ref++;
    else if (a === AlleleCode.ALT) alt++;
  }
  return { depth, ref, alt };
}
