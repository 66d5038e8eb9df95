import type { CountOutputRow } from '../count/output/row.js';
import type { SiteCall } from '../count/types.js';

/** Mapping between count's output rows and the `site_count` table (schema.ts). */

/** site_count columns after (version_id, site_index), in table order. */
export const SITE_COLUMNS = [
  'chrom',
  'pos1',
  'ref',
  'alt',
  'gene',
  'protein',
  'site_id',
  'depth',
  'ref_count',
  'alt_count',
  'other_count',
  'vaf',
  'deletions',
  'insertions',
  'alt_fwd',
  'alt_rev',
  'discordant_mates',
  'mean_frag_len_ref',
  'mean_frag_len_alt',
  'raw_ref_count',
  'raw_alt_count',
  'families',
  'background_rate',
  'p_value',
  'vaf_low',
  'vaf_high',
  'lod',
  'call',
] as const;

export type SiteRecord = Record<(typeof SITE_COLUMNS)[number], string | number | null>;

/** NaN (an undefined statistic) is stored as NULL: SQLite has no NaN. */
const realOrNull = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export function siteValues(r: CountOutputRow): (string | number | null)[] {
  const c = r.call;
  return [
    r.chrom,
    r.pos,
    r.ref,
    r.alt,
    r.gene,
    r.protein,
    r.id,
    r.depth,
    r.ref_count,
    r.alt_count,
    r.other_count,
    realOrNull(r.vaf),
    r.deletions,
    r.insertions,
    r.alt_fwd,
    r.alt_rev,
    r.discordant_mates,
    realOrNull(r.mean_frag_len_ref),
    realOrNull(r.mean_frag_len_alt),
    r.raw_ref_count,
    r.raw_alt_count,
    r.families,
    realOrNull(c?.background_rate),
    realOrNull(c?.p_value),
    realOrNull(c?.vaf_low),
    realOrNull(c?.vaf_high),
    realOrNull(c?.lod),
    c ? c.call : null,
  ];
}

export function fromSiteRecord(s: SiteRecord, sample: string): CountOutputRow {
  const num = (x: string | number | null) => x as number;
  const orNaN = (x: string | number | null) => (x === null ? Number.NaN : (x as number));
  const row: CountOutputRow = {
    sample,
    chrom: s.chrom as string,
    pos: num(s.pos1),
    ref: s.ref as string,
    alt: s.alt as string,
    gene: s.gene as string,
    protein: s.protein as string,
    depth: num(s.depth),
    ref_count: num(s.ref_count),
    alt_count: num(s.alt_count),
    other_count: num(s.other_count),
    vaf: s.vaf as number | null,
    alt_fwd: num(s.alt_fwd),
    alt_rev: num(s.alt_rev),
    discordant_mates: num(s.discordant_mates),
    mean_frag_len_ref: s.mean_frag_len_ref as number | null,
    mean_frag_len_alt: s.mean_frag_len_alt as number | null,
    deletions: num(s.deletions),
    insertions: num(s.insertions),
    raw_ref_count: num(s.raw_ref_count),
    raw_alt_count: num(s.raw_alt_count),
    families: num(s.families),
    id: s.site_id as string,
  };
  if (s.call !== null) {
    row.call = {
      background_rate: orNaN(s.background_rate),
      p_value: orNaN(s.p_value),
      vaf_low: orNaN(s.vaf_low),
      vaf_high: orNaN(s.vaf_high),
      lod: orNaN(s.lod),
      call: s.call as SiteCall,
    };
  }
  return row;
}
