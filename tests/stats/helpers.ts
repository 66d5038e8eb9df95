import type { Site } from '../../src/count/types.js';
import type { CalledRow } from '../../src/stats/types.js';
import { mulberry32 } from '../../src/simulate/rng.js';
import { altDepthCounts } from '../../src/simulate/site-counts.js';

/** A count row from depth and ALT count (the simulators' own, src/simulate/site-counts.ts). */
export { altDepthCounts as counts };

export function site(chrom: string, pos1: number, ref: string, alt: string): Site {
  return { chrom, pos1, ref, alt, gene: '', protein: '', id: '' };
}

export function called(depth: number, alt: number, e: number, extra: Partial<CalledRow> = {}): CalledRow {
  return {
    ...altDepthCounts(site('chr1', 100, 'C', 'T'), depth, alt),
    vaf: alt / depth,
    backgroundRate: e,
    backgroundSource: 'pon_site',
    dispersion: 0,
    pValue: 1,
    vafLow: 0,
    vafHigh: 1,
    lod: 0,
    call: 'not_detected',
    germlineOrChip: false,
    ...extra,
  };
}

/** Seeded mulberry32 for test data (the simulator's, independent of src/stats/rng.ts). */
export { mulberry32 };

/** Binomial draw by n Bernoulli trials (slow, obviously right). */
export function binomialDraw(rand: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rand() < p) k++;
  return k;
}
