/**
 * A faithful model of klib's khash (v0.2.8) for 32-bit integer keys, used only to reproduce the
 * ORDER in which htslib writes the bins of a BAI/CSI index: htslib keeps bins in a khash table and
 * writes them in bucket order, so a byte-identical index needs the same open-addressing layout
 * (identity hash, quadratic probing, load factor 0.77, in-place "kick-out" rehash, tombstones).
 */
const HASH_UPPER = 0.77;
const EMPTY = 2;
const DELETED = 1;

function roundUpPow2(x: number): number {
  let v = x - 1;
  v |= v >>> 1;
  v |= v >>> 2;
  v |= v >>> 4;
  v |= v >>> 8;
  v |= v >>> 16;
  return (v + 1) >>> 0;
}

export class KHashInt<V> {
  nBuckets = 0;
  size = 0;
  private nOccupied = 0;
  private upperBound = 0;
  /** Per bucket: EMPTY (2), DELETED (1), or 0 for a live entry. */
  private flags: Uint8Array = new Uint8Array(0);
  private keys: number[] = [];
  private vals: (V | undefined)[] = [];

  /** Bucket of `key`, or nBuckets when absent (kh_get). */
  get(key: number): number {
    if (this.nBuckets === 0) return 0;
    const mask = this.nBuckets - 1;
    let i = key & mask;
    const last = i;
    let step = 0;
    while (!(this.flags[i] & EMPTY) && (this.flags[i] & DELETED || this.keys[i] !== key)) {
      i = (i + ++step) & mask;
      if (i === last) return this.nBuckets;
    }
    return this.flags[i] & (EMPTY | DELETED) ? this.nBuckets : i;
  }

  private resize(requested: number): void {
    let newN = roundUpPow2(requested);
    if (newN < 4) newN = 4;
    if (this.size >= Math.floor(newN * HASH_UPPER + 0.5)) return; // requested size too small
    const newFlags = new Uint8Array(newN).fill(EMPTY);
    const oldN = this.nBuckets;
    const newMask = newN - 1;
    for (let j = 0; j !== oldN; j++) {
      if (this.flags[j] !== 0) continue;
      let key = this.keys[j];
      let val = this.vals[j];
      this.flags[j] |= DELETED;
      for (;;) {
        // kick-out process, as khash does it in place
        let step = 0;
        let i = key & newMask;
        while (!(newFlags[i] & EMPTY)) i = (i + ++step) & newMask;
        newFlags[i] &= ~EMPTY;
        if (i < oldN && this.flags[i] === 0) {
          const tk = this.keys[i];
          this.keys[i] = key;
          key = tk;
          const tv = this.vals[i];
          this.vals[i] = val;
          val = tv;
          this.flags[i] |= DELETED;
        } else {
          this.keys[i] = key;
          this.vals[i] = val;
          break;
        }
      }
    }
    if (oldN > newN) {
      this.keys.length = newN;
      this.vals.length = newN;
    }
    this.flags = newFlags;
    this.nBuckets = newN;
    this.nOccupied = this.size;
    this.upperBound = Math.floor(newN * HASH_UPPER + 0.5);
  }

  /** Inserts `key` if absent (kh_put); returns its bucket and whether it was absent. */
  put(key: number): { bucket: number; absent: boolean } {
    if (this.nOccupied >= this.upperBound) {
      if (this.nBuckets > this.size << 1) this.resize(this.nBuckets - 1);
      else this.resize(this.nBuckets + 1);
    }
    const n = this.nBuckets;
    const mask = n - 1;
    let x = n;
    let site = n;
    let i = key & mask;
    if (this.flags[i] & EMPTY) x = i;
    else {
      const last = i;
      let step = 0;
      while (!(this.flags[i] & EMPTY) && (this.flags[i] & DELETED || this.keys[i] !== key)) {
        if (this.flags[i] & DELETED) site = i;
        i = (i + ++step) & mask;
        if (i === last) {
          x = site;
          break;
        }
      }
      if (x === n) {
        if (this.flags[i] & EMPTY && site !== n) x = site;
        else x = i;
      }
    }
    if (this.flags[x] & EMPTY) {
      this.keys[x] = key;
      this.flags[x] = 0;
      this.size++;
      this.nOccupied++;
      return { bucket: x, absent: true };
    }
    if (this.flags[x] & DELETED) {
      this.keys[x] = key;
      this.flags[x] = 0;
      this.size++;
      return { bucket: x, absent: true };
    }
    return { bucket: x, absent: false };
  }

  del(bucket: number): void {
    if (bucket !== this.nBuckets && this.flags[bucket] === 0) {
      this.flags[bucket] |= DELETED;
      this.size--;
    }
  }

  exists(bucket: number): boolean {
    return this.flags[bucket] === 0;
  }
  key(bucket: number): number {
    return this.keys[bucket];
  }
  value(bucket: number): V {
    return this.vals[bucket] as V;
  }
  setValue(bucket: number, v: V): void {
    this.vals[bucket] = v;
  }
}
