import {
  MARK_DEL,
  MARK_INS,
  ROW_CODE,
  ROW_FLAG,
  ROW_FRAG_LEN,
  ROW_HASH_HI,
  ROW_HASH_LO,
  ROW_INTS,
  ROW_MATE_SAME_CONTIG,
  ROW_MATE_START,
  ROW_READ_START,
  ROW_SITE,
} from './scanner.js';
import { MateTable } from './mate-table.js';
import { AlleleCode, FLAG, type MatesMode } from './types.js';

/**
 * From observation rows to per-site counts: the base-quality filter and the mate rule, shared by
 * both scanners (they differ only in how rows are produced).
 *
 * Mate rule (`fragment`): rows of paired reads wait in a table keyed by site and read-name hash
 * until the other mate's row at the same site arrives (mates share a segment group, see plan.ts);
 * rows still waiting when the group ends are counted alone (the mate did not cover the site, or
 * was filtered). The key is the full 64-bit hash: two different fragments at one site collide
 * with probability ≈ n²/2⁶⁵ (n = 20,000 reads → 10⁻¹¹ per site).
 * Agreeing mates: one observation with qualities summed, capped at 200, before the filter (a
 * missing quality, 255, on either side stays missing). Disagreeing mates: bases failing the
 * quality filter are dropped first; if both pass, the fragment is discordant (neither ref, alt
 * nor depth); if one passes it counts alone. Strand, marks and fragment length of a merged
 * observation are read 1's.
 */

export const COUNTER_FIELDS = [
  'depth',
  'ref',
  'alt',
  'other',
  'deletions',
  'insertions',
  'altFwd',
  'altRev',
  'discordant',
  'fragSumRef',
  'fragSumAlt',
  'rawRef',
  'rawAlt',
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
const F = Object.fromEntries(COUNTER_FIELDS.map((f, i) => [f, i])) as Record<CounterField, number>;
export const N_FIELDS = COUNTER_FIELDS.length;

const MAX_MERGED_QUAL = 200;
const MISSING_QUAL = 255;

/** One site's tallies live in counts[site * N_FIELDS + field] (Float64: sums of fragment lengths). */
export class SiteTally {
  readonly counts: Float64Array;
  private readonly waiting = new MateTable();

  /**
   * `siteStart0[slot]`: 0-based position of each slot's site (a mate starting after it cannot
   * cover it).
   */
  constructor(
    nSites: number,
    private readonly mates: MatesMode,
    private readonly minBaseq: number,
    private readonly siteStart0: Int32Array,
  ) {
    this.counts = new Float64Array(nSites * N_FIELDS);
  }

  private passes(qual: number): boolean {
    return qual === MISSING_QUAL || qual >= this.minBaseq;
  }

  private countOne(site: number, code: number, flag: number, fragLen: number, qualOverride = -1): void {
    const qual = qualOverride >= 0 ? qualOverride : (code >>> 16) & 0xff;
    if (!this.passes(qual)) return;
    const c = this.counts;
    const b = site * N_FIELDS;
    const allele = code & 0xff;
    const marks = (code >>> 8) & 0xff;
    c[b + F.depth]++;
    if (marks & MARK_DEL) c[b + F.deletions]++;
    if (marks & MARK_INS) c[b + F.insertions]++;
    if (allele === AlleleCode.REF) {
      c[b + F.ref]++;
      c[b + F.fragSumRef] += fragLen;
    } else if (allele === AlleleCode.ALT) {
      c[b + F.alt]++;
      c[b + F.fragSumAlt] += fragLen;
      if (flag & FLAG.REVERSE) c[b + F.altRev]++;
      else c[b + F.altFwd]++;
    } else {
      c[b + F.other]++;
    }
  }

  private countRaw(site: number, code: number): void {
    if (!this.passes((code >>> 16) & 0xff)) return;
    const allele = code & 0xff;
    if (allele === AlleleCode.REF) this.counts[site * N_FIELDS + F.rawRef]++;
    else if (allele === AlleleCode.ALT) this.counts[site * N_FIELDS + F.rawAlt]++;
  }

  /** Adds rows (ROW_INTS ints each); `slotOfSite[siteIndex]` is the site's tally slot. */
  addRows(rows: Int32Array, slotOfSite: Int32Array): void {
    for (let r = 0; r < rows.length; r += ROW_INTS) {
      const site = slotOfSite[rows[r + ROW_SITE]];
      const code = rows[r + ROW_CODE];
      const flag = rows[r + ROW_FLAG];
      const fragLen = rows[r + ROW_FRAG_LEN];
      this.countRaw(site, code);
      if (this.mates === 'reads' || (flag & FLAG.PAIRED) === 0) {
        this.countOne(site, code, flag, fragLen);
        continue;
      }
      // Where can the mate be? Its start (pnext) says whether it can cover this site at all and
      // whether it came before this read. Only mates still to come are stored, so the table
      // holds O(depth) rows, not every read whose mate misses the site (RSS flat as BAMs grow).
      const mateStart = rows[r + ROW_MATE_START];
      const readStart = rows[r + ROW_READ_START];
      if (rows[r + ROW_MATE_SAME_CONTIG] === 0 || mateStart > this.siteStart0[site]) {
        this.countOne(site, code, flag, fragLen); // the mate starts after the site: alone
        continue;
      }
      const w = this.waiting;
      const hi = rows[r + ROW_HASH_HI];
      const lo = rows[r + ROW_HASH_LO];
      if (mateStart < readStart) {
        // The mate came earlier: waiting if it covered the site and passed the filters.
        if (w.take(site, hi, lo)) this.mergeMates(site, w.foundCode, w.foundFlag, w.foundFrag, code, flag, fragLen);
        else this.countOne(site, code, flag, fragLen);
        continue;
      }
      if (w.takeOrPut(site, hi, lo, code, flag, fragLen)) {
        this.mergeMates(site, w.foundCode, w.foundFlag, w.foundFrag, code, flag, fragLen);
      }
    }
  }

  private mergeMates(site: number, code1: number, flag1: number, frag1: number, code2: number, flag2: number, frag2: number): void {
    // Read 1 first: its strand, marks and fragment length describe the merged observation.
    if ((flag2 & FLAG.READ1) !== 0 && (flag1 & FLAG.READ1) === 0) {
      [code1, flag1, frag1, code2, flag2, frag2] = [code2, flag2, frag2, code1, flag1, frag1];
    }
    const q1 = (code1 >>> 16) & 0xff;
    const q2 = (code2 >>> 16) & 0xff;
    if ((code1 & 0xff) === (code2 & 0xff)) {
      const q = q1 === MISSING_QUAL || q2 === MISSING_QUAL ? MISSING_QUAL : Math.min(MAX_MERGED_QUAL, q1 + q2);
      this.countOne(site, code1, flag1, frag1, q);
      return;
    }
    const p1 = this.passes(q1);
    const p2 = this.passes(q2);
    if (p1 && p2) this.counts[site * N_FIELDS + F.discordant]++;
    else if (p1) this.countOne(site, code1, flag1, frag1);
    else if (p2) this.countOne(site, code2, flag2, frag2);
  }

  /** End of a group: mates that never arrived count alone. */
  flush(): void {
    this.waiting.forEach((site, code, flag, frag) => this.countOne(site, code, flag, frag));
    this.waiting.clear();
  }

  get(site: number, field: CounterField): number {
    return this.counts[site * N_FIELDS + F[field]];
  }
}
