import type { ObservationTable } from '../../src/count/types.js';

export interface ObsRead {
  site?: number;
  allele: 0 | 1 | 2;
  qual?: number;
  flag: number;
  readStart0: number;
  mateStart0?: number;
  fragLen: number;
  name: string;
  umi: string;
}

function hash(s: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x1234567;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ s.charCodeAt(i), 2246822519) >>> 0;
  }
  return [h1, h2];
}

/** Builds an ObservationTable from readable rows (tests only). */
export function table(reads: ObsRead[]): ObservationTable {
  const n = reads.length;
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
  reads.forEach((r, i) => {
    t.site[i] = r.site ?? 0;
    t.allele[i] = r.allele;
    t.qual[i] = r.qual ?? 30;
    t.flag[i] = r.flag;
    t.readStart0[i] = r.readStart0;
    t.mateStart0[i] = r.mateStart0 ?? -1;
    t.fragLen[i] = r.fragLen;
    [t.nameHashHi[i], t.nameHashLo[i]] = hash(r.name);
    t.umi[i] = r.umi;
  });
  return t;
}

// Flags: read 1 forward in a pair whose mate is reverse (top strand), and its mate.
export const R1F = 0x1 | 0x2 | 0x40 | 0x20; // 99
export const R2R = 0x1 | 0x2 | 0x80 | 0x10; // 147
export const R1R = 0x1 | 0x2 | 0x40 | 0x10; // 83  (bottom strand)
export const R2F = 0x1 | 0x2 | 0x80 | 0x20; // 163

/** One template: a pair at [start0, start0+fragLen) of one strand, `mates` = 1 or 2 reads at the site. */
export function pair(
  name: string,
  umi: string,
  allele: 0 | 1 | 2,
  opts: { top?: boolean; start0?: number; fragLen?: number; mates?: 1 | 2; qual?: number; mateAllele?: 0 | 1 | 2; site?: number } = {},
): ObsRead[] {
  const start0 = opts.start0 ?? 1000;
  const fragLen = opts.fragLen ?? 160;
  const top = opts.top ?? true;
  const mateStart = start0 + fragLen - 150;
  const first: ObsRead = {
    site: opts.site,
    allele,
    qual: opts.qual,
    flag: top ? R1F : R1R,
    readStart0: top ? start0 : mateStart,
    mateStart0: top ? mateStart : start0,
    fragLen,
    name,
    umi,
  };
  if ((opts.mates ?? 2) === 1) return [first];
  const second: ObsRead = {
    site: opts.site,
    allele: opts.mateAllele ?? allele,
    qual: opts.qual,
    flag: top ? R2R : R2F,
    readStart0: top ? mateStart : start0,
    mateStart0: top ? start0 : mateStart,
    fragLen,
    name,
    umi,
  };
  return [first, second];
}
