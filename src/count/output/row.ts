import type { CountSettings, SiteCall, SiteCounts } from '../types.js';

/**
 * The call fields the calling stage adds (src/stats/annotate.ts: CalledRow). Optional on a row:
 * `count` without `--pon`/`--site-alpha` writes counts only, and every writer leaves these columns out.
 */
export interface CallFields {
  background_rate: number;
  p_value: number;
  vaf_low: number;
  vaf_high: number;
  lod: number;
  call: SiteCall;
}

/**
 * One output row of `oligotrack count`: the single typed shape the TSV, VCF and JSON writers
 * print. Keys are the TSV/JSON column names. `pos` is 1-based; `chrom` is the site file's own
 * spelling. Undefined numbers (a VAF at depth 0, a mean over no fragments) are null.
 */
export interface CountOutputRow {
  sample: string;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  gene: string;
  protein: string;
  depth: number;
  ref_count: number;
  alt_count: number;
  other_count: number;
  vaf: number | null;
  alt_fwd: number;
  alt_rev: number;
  discordant_mates: number;
  mean_frag_len_ref: number | null;
  mean_frag_len_alt: number | null;
  deletions: number;
  insertions: number;
  raw_ref_count: number;
  raw_alt_count: number;
  families: number;
  id: string;
  call?: CallFields;
}

/** Everything an output header carries besides the rows. */
export interface CountRunInfo {
  toolVersion: string;
  /** The command line as typed (argv after `node main.js`), for `##oligotrackCommand` and JSON. */
  command: string;
  sample: string;
  bamPath: string;
  build: string;
  settings: CountSettings;
  /** BAM header contigs in header order, named as the sites name them where a site uses one. */
  contigs: { name: string; length: number }[];
  region: string;
  siteSources: string[];
  readsSeen: number;
  readsPassing: number;
  /** Present when the calling step ran: its settings. */
  calls?: { alpha: number; min_depth: number; background: string };
  /** Present with --umi: family statistics (family_size_histogram[s] = (site, family) pairs of s templates). */
  umi?: {
    families: number;
    duplex_families: number;
    singletons_dropped: number;
    no_consensus: number;
    reads_without_umi: number;
    family_size_histogram: number[];
  };
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Build the output row of one counted site; `chrom` is the site's own spelling. */
export function toOutputRow(sample: string, counts: SiteCounts, chrom: string, call?: CallFields): CountOutputRow {
  const { site } = counts;
  const row: CountOutputRow = {
    sample,
    chrom,
    pos: site.pos1,
    ref: site.ref,
    alt: site.alt,
    gene: site.gene,
    protein: site.protein,
    depth: counts.depth,
    ref_count: counts.refCount,
    alt_count: counts.altCount,
    other_count: counts.otherCount,
    vaf: counts.depth > 0 ? counts.altCount / counts.depth : null,
    alt_fwd: counts.altFwd,
    alt_rev: counts.altRev,
    discordant_mates: counts.discordantMates,
    mean_frag_len_ref: finiteOrNull(counts.meanFragLenRef),
    mean_frag_len_alt: finiteOrNull(counts.meanFragLenAlt),
    deletions: counts.deletions,
    insertions: counts.insertions,
    raw_ref_count: counts.rawRefCount,
    raw_alt_count: counts.rawAltCount,
    families: counts.families,
    id: site.id,
  };
  if (call) row.call = call;
  return row;
}

/** The settings as snake_case key/values, in a fixed order, for every output header. */
export function settingsRecord(settings: CountSettings): Record<string, string | number | boolean> {
  return {
    min_mapq: settings.minMapq,
    min_baseq: settings.minBaseq,
    mates: settings.mates,
    exclude_flags: `0x${settings.excludeFlags.toString(16).toUpperCase()}`,
    umi: settings.umi,
    umi_source: settings.umiSource,
    keep_singletons: settings.keepSingletons,
    baq: false,
    max_depth: 'none',
  };
}

/** The counting semantics in one paragraph, printed in the VCF header and the JSON. */
export function countingSemantics(settings: CountSettings): string {
  const mates =
    settings.mates === 'fragment'
      ? 'overlapping mates of a pair count once per fragment (agreeing bases: one observation with the two base qualities summed, capped at 200, before the quality filter; disagreeing: discordant_mates, neither ref nor alt)'
      : 'every read counts (overlapping mates count twice)';
  return [
    `reads with any flag in 0x${settings.excludeFlags.toString(16).toUpperCase()} excluded`,
    `MAPQ < ${settings.minMapq} excluded`,
    `base quality < ${settings.minBaseq} at the site excluded`,
    'improper pairs counted, no BAQ, no depth cap',
    mates,
    'deletion/insertion sites count reads with exactly that event; other events and bases count as other',
    settings.umi ? `UMI families (${settings.umiSource}) counted instead of reads; raw_* are read counts` : 'no UMI collapsing',
    'pos is 1-based',
  ].join('; ');
}
