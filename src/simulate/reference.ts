import { hashString32, mix32 } from './rng.js';

/**
 * A deterministic pseudo-random reference genome: the base at (contig, pos0) is a hash of the
 * contig name and the position, so any window can be produced on demand without storing
 * 250 Mb contigs, and two windows always agree where they overlap. The REF alleles of the
 * simulated sites are written over it, so reads carry the site's REF where they are not mutated;
 * so are the REF alleles of the bundled panel (placeBackgroundAllele), so that counting a simulated
 * BAM at `panel:breast` does not find a random base equal to some hotspot's ALT (1 in 4 odds per
 * SNV) and report it at ~100% VAF.
 */
const ACGT_CODES = [65, 67, 71, 84];

export class SyntheticReference {
  private readonly seeds = new Map<string, number>();
  private readonly overrides = new Map<string, Map<number, number>>();
  /** Per contig: override positions sorted, for windowed lookups. */
  private sortedCache = new Map<string, Int32Array>();

  /** Places `ref` at 1-based `pos1` of `contig`; conflicting REF alleles at one position are an error. */
  placeAllele(contig: string, pos1: number, ref: string, what: string): void {
    let m = this.overrides.get(contig);
    if (!m) this.overrides.set(contig, (m = new Map()));
    for (let i = 0; i < ref.length; i++) {
      const pos0 = pos1 - 1 + i;
      const code = ref.toUpperCase().charCodeAt(i);
      const prev = m.get(pos0);
      if (prev !== undefined && prev !== code) {
        throw new Error(
          `${what}: REF base ${ref[i]} at ${contig}:${pos0 + 1} conflicts with another site's REF ${String.fromCharCode(prev)}`,
        );
      }
      m.set(pos0, code);
    }
    this.sortedCache.delete(contig);
  }

  /**
   * Places `ref` at `pos1` of `contig` only where no allele was placed yet: background alleles
   * (panel hotspots) never override a simulated site's REF and never conflict with each other.
   */
  placeBackgroundAllele(contig: string, pos1: number, ref: string): void {
    let m = this.overrides.get(contig);
    if (!m) this.overrides.set(contig, (m = new Map()));
    const upper = ref.toUpperCase();
    for (let i = 0; i < upper.length; i++) {
      const pos0 = pos1 - 1 + i;
      if (!m.has(pos0)) m.set(pos0, upper.charCodeAt(i));
    }
    this.sortedCache.delete(contig);
  }

  private seed(contig: string): number {
    let s = this.seeds.get(contig);
    if (s === undefined) this.seeds.set(contig, (s = hashString32(contig)));
    return s;
  }

  /** ASCII code of the base at (contig, pos0). */
  baseCode(contig: string, pos0: number): number {
    const o = this.overrides.get(contig)?.get(pos0);
    if (o !== undefined) return o;
    return ACGT_CODES[mix32(this.seed(contig), pos0) & 3];
  }

  base(contig: string, pos0: number): string {
    return String.fromCharCode(this.baseCode(contig, pos0));
  }

  /** Writes the ASCII bases of [start0, start0 + n) into `out` at `at`. */
  fill(contig: string, start0: number, n: number, out: Uint8Array, at = 0): void {
    const seed = this.seed(contig);
    for (let i = 0; i < n; i++) out[at + i] = ACGT_CODES[mix32(seed, start0 + i) & 3];
    const m = this.overrides.get(contig);
    if (!m) return;
    let sorted = this.sortedCache.get(contig);
    if (!sorted) this.sortedCache.set(contig, (sorted = Int32Array.from([...m.keys()].sort((a, b) => a - b))));
    // First override ≥ start0 (binary search), then every one inside the window.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < start0) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < sorted.length && sorted[k] < start0 + n; k++) out[at + sorted[k] - start0] = m.get(sorted[k])!;
  }

  /** Bases of [start0, end0) as a string. */
  segment(contig: string, start0: number, end0: number): string {
    const buf = Buffer.allocUnsafe(end0 - start0);
    this.fill(contig, start0, end0 - start0, buf);
    return buf.toString('latin1');
  }
}
