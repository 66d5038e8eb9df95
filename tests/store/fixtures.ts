import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CountOutputRow } from '../../src/count/output/row.js';
import { DEFAULT_COUNT_SETTINGS } from '../../src/count/types.js';
import { formatCountJson } from '../../src/count/output/json.js';

/**
 * Count documents written by count's own JSON writer (`formatCountJson`), with made-up numbers, so
 * the store tests ingest the real format without running the count engine. `seed` varies the
 * numbers; the sites are the same for a given `nSites`.
 */
export interface FixtureOptions {
  sample: string;
  bam: string;
  nSites?: number;
  seed?: number;
  minBaseq?: number;
  /** Add call fields (as count --pon writes) to every row. */
  withCalls?: boolean;
}

function lcg(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function countDocumentText(o: FixtureOptions): string {
  const rand = lcg(o.seed ?? 1);
  const rows: CountOutputRow[] = Array.from({ length: o.nSites ?? 5 }, (_, i) => {
    const refCount = 500 + Math.floor(rand() * 1000);
    const altCount = i === 0 ? 0 : Math.floor(rand() * 20);
    const depth = refCount + altCount;
    const row: CountOutputRow = {
      sample: o.sample,
      chrom: 'chr6',
      pos: 152_000_000 + i * 37,
      ref: 'A',
      alt: 'G',
      gene: 'ESR1',
      protein: `p.X${i}Y`,
      depth,
      ref_count: refCount,
      alt_count: altCount,
      other_count: 0,
      vaf: altCount / depth,
      alt_fwd: Math.ceil(altCount / 2),
      alt_rev: Math.floor(altCount / 2),
      discordant_mates: 0,
      mean_frag_len_ref: 167.5,
      mean_frag_len_alt: altCount ? 150.25 : null,
      deletions: 0,
      insertions: 0,
      raw_ref_count: refCount * 2,
      raw_alt_count: altCount * 2,
      families: 0,
      id: `site${i}`,
    };
    if (o.withCalls)
      row.call = {
        background_rate: 1e-4,
        p_value: altCount ? 1e-9 : 1,
        vaf_low: 0,
        vaf_high: 0.05,
        lod: 0.002,
        call: altCount ? 'detected' : 'not_detected',
      };
    return row;
  });
  const settings = { ...DEFAULT_COUNT_SETTINGS, minBaseq: o.minBaseq ?? DEFAULT_COUNT_SETTINGS.minBaseq };
  return formatCountJson(
    {
      toolVersion: '0.1.0',
      command: `count ${o.bam}`,
      sample: o.sample,
      bamPath: o.bam,
      build: 'GRCh38',
      settings,
      contigs: [{ name: 'chr6', length: 170_805_979 }],
      region: '',
      siteSources: ['panel.tsv'],
      readsSeen: 10_000,
      readsPassing: 9_000,
    },
    rows,
  );
}

/** Write `<sample>.bam` (arbitrary bytes: only its hash matters to the store) and `<sample>.count.json`. */
export function writeSample(dir: string, o: Omit<FixtureOptions, 'bam'>, bamBytes = `bam-of-${o.sample}`): string {
  const bam = join(dir, `${o.sample}.bam`);
  writeFileSync(bam, bamBytes);
  const file = join(dir, `${o.sample}.count.json`);
  writeFileSync(file, countDocumentText({ ...o, bam }));
  return file;
}
