import { Rng } from './rng.js';
import { DEFAULT_SIMULATION, type SimSite, type SimulationSpec } from './spec.js';

/**
 * The deep synthetic panel of the benchmark: 50 sites over 3 GRCh38 contigs (chr3,
 * chr6, chr17, near PIK3CA, ESR1 and TP53), one in ten an insertion, one in ten a deletion,
 * 3 kb apart so each site is its own cluster. With the defaults below it writes ~3.0 M reads,
 * ~268 MiB at `level: 1` (measured: docs/methods/benchmarks.md), with duplicates, clips and low-MAPQ reads.
 */
const CONTIGS: readonly { name: string; length: number; start1: number }[] = [
  { name: 'chr3', length: 198_295_559, start1: 179_000_000 },
  { name: 'chr6', length: 170_805_979, start1: 152_000_000 },
  { name: 'chr17', length: 83_257_441, start1: 7_600_000 },
];

export function benchmarkSites(count = 50, seed = 5): SimSite[] {
  const rng = new Rng(seed);
  const sites: SimSite[] = [];
  for (let i = 0; i < count; i++) {
    const contig = CONTIGS[i % CONTIGS.length];
    const pos1 = contig.start1 + Math.floor(i / CONTIGS.length) * 3000 + rng.int(500);
    const ref = 'ACGT'[rng.int(4)];
    const kind = i % 10;
    if (kind === 3) sites.push({ chrom: contig.name, pos1, ref, alt: `${ref}TTA`, vaf: 0.01 });
    else if (kind === 7) sites.push({ chrom: contig.name, pos1, ref: `${ref}CAG`, alt: ref, vaf: 0.01 });
    else sites.push({ chrom: contig.name, pos1, ref, alt: 'ACGT'.replace(ref, '')[rng.int(3)], vaf: 0.01 * (1 + rng.int(5)) });
  }
  return sites;
}

/** Spec of the benchmark BAM; `depth` molecules per site × families of mean 2 × 2 reads. */
export function benchmarkSpec(opts: { depth?: number; seed?: number; sites?: number } = {}): SimulationSpec {
  return {
    ...DEFAULT_SIMULATION,
    sample: 'bench',
    seed: opts.seed ?? 1,
    refs: CONTIGS.map(({ name, length }) => ({ name, length })),
    sites: benchmarkSites(opts.sites ?? 50),
    depth: opts.depth ?? 15_000,
    familySizeMean: 2,
    markDuplicates: true,
    softClipFraction: 0.1,
    lowMapqFraction: 0.05,
    qualityModel: 'full',
  };
}
