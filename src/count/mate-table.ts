/**
 * Rows of paired reads waiting for their mate at a site: an open-addressing hash table (linear
 * probing, backward-shift deletion) keyed by (site slot, 64-bit name hash), storing the row's
 * code, flag and fragment length in typed arrays. Replaces a Map per site, which cost 15% of a
 * deep-panel count in Map operations and garbage (profile in docs/decisions/0002). Holds only
 * mates still waiting, so its size follows the depth, not the BAM size.
 */
export class MateTable {
  private mask: number;
  private site: Int32Array;
  private hi: Int32Array;
  private lo: Int32Array;
  private code: Int32Array;
  private flag: Int32Array;
  private frag: Int32Array;
  size = 0;

  constructor(capacity = 1 << 15) {
    this.mask = capacity - 1;
    this.site = new Int32Array(capacity).fill(-1);
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.code = new Int32Array(capacity);
    this.flag = new Int32Array(capacity);
    this.frag = new Int32Array(capacity);
  }

  private slotOf(site: number, hi: number, lo: number): number {
    let h = hi ^ Math.imul(lo, 0x9e3779b1) ^ Math.imul(site + 1, 0x85ebca6b);
    h ^= h >>> 16;
    let i = h & this.mask;
    while (this.site[i] !== -1 && (this.site[i] !== site || this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & this.mask;
    return i;
  }

  /** The mate taken by the last successful takeOrPut (no allocation per row). */
  foundCode = 0;
  foundFlag = 0;
  foundFrag = 0;

  /** If the mate is waiting, removes it (into found*) and returns true. */
  take(site: number, hi: number, lo: number): boolean {
    const i = this.slotOf(site, hi, lo);
    if (this.site[i] === -1) return false;
    this.foundCode = this.code[i];
    this.foundFlag = this.flag[i];
    this.foundFrag = this.frag[i];
    this.remove(i);
    return true;
  }

  /** If the mate is waiting, removes it (into found*) and returns true; else stores this row. */
  takeOrPut(site: number, hi: number, lo: number, code: number, flag: number, frag: number): boolean {
    const i = this.slotOf(site, hi, lo);
    if (this.site[i] !== -1) {
      this.foundCode = this.code[i];
      this.foundFlag = this.flag[i];
      this.foundFrag = this.frag[i];
      this.remove(i);
      return true;
    }
    this.site[i] = site;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.code[i] = code;
    this.flag[i] = flag;
    this.frag[i] = frag;
    if (++this.size * 2 > this.mask + 1) this.grow();
    return false;
  }

  private remove(i: number): void {
    this.size--;
    // Backward shift: move later entries of the probe run into the hole.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (this.site[j] === -1) break;
      let h = this.hi[j] ^ Math.imul(this.lo[j], 0x9e3779b1) ^ Math.imul(this.site[j] + 1, 0x85ebca6b);
      h ^= h >>> 16;
      const home = h & this.mask;
      // Entry j may move to the hole if its home is not in (hole, j] (cyclically).
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (between) continue;
      this.copy(j, hole);
      hole = j;
    }
    this.site[hole] = -1;
  }

  private copy(from: number, to: number): void {
    this.site[to] = this.site[from];
    this.hi[to] = this.hi[from];
    this.lo[to] = this.lo[from];
    this.code[to] = this.code[from];
    this.flag[to] = this.flag[from];
    this.frag[to] = this.frag[from];
  }

  private grow(): void {
    const old = { site: this.site, hi: this.hi, lo: this.lo, code: this.code, flag: this.flag, frag: this.frag };
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.site = new Int32Array(cap).fill(-1);
    this.hi = new Int32Array(cap);
    this.lo = new Int32Array(cap);
    this.code = new Int32Array(cap);
    this.flag = new Int32Array(cap);
    this.frag = new Int32Array(cap);
    this.size = 0;
    for (let k = 0; k < old.site.length; k++) {
      if (old.site[k] !== -1) this.takeOrPut(old.site[k], old.hi[k], old.lo[k], old.code[k], old.flag[k], old.frag[k]);
    }
  }

  /** Every waiting row (order: table order; callers only sum them). */
  forEach(fn: (site: number, code: number, flag: number, frag: number) => void): void {
    for (let k = 0; k < this.site.length; k++) if (this.site[k] !== -1) fn(this.site[k], this.code[k], this.flag[k], this.frag[k]);
  }

  clear(): void {
    this.site.fill(-1);
    this.size = 0;
  }
}
