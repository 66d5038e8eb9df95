import { columnNames, formatTsv, type Column } from '../../io/table.js';
import type { CountOutputRow } from './row.js';

/**
 * The count table's contract: every column once, in order, with its type and meaning. The TSV
 * header and cells come from it, the JSON keys are the same names (json.ts), and the column table
 * of the documentation is printed from it (`columnTableMarkdown`).
 */
export const COUNT_COLUMNS: readonly Column<CountOutputRow>[] = [
  { name: 'sample', type: 'text', description: 'Sample name (--sample, else @RG SM, else the file name).', value: (r) => r.sample },
  { name: 'chrom', type: 'text', description: 'Contig, spelled as in the sites input.', value: (r) => r.chrom },
  { name: 'pos', type: 'integer', description: '1-based position of the first REF base (after trimming).', value: (r) => r.pos },
  { name: 'ref', type: 'text', description: 'REF allele, VCF notation, upper case.', value: (r) => r.ref },
  { name: 'alt', type: 'text', description: 'ALT allele, VCF notation, upper case.', value: (r) => r.alt },
  { name: 'gene', type: 'text', description: 'Gene, from the sites input (empty when not given).', value: (r) => r.gene },
  { name: 'protein', type: 'text', description: 'Protein change, from the sites input (empty when not given).', value: (r) => r.protein },
  {
    name: 'depth',
    type: 'integer',
    description: 'ref_count + alt_count + other_count: observations that passed every filter (discordant mates excluded).',
    value: (r) => r.depth,
  },
  {
    name: 'ref_count',
    type: 'integer',
    description: 'Fragments (reads with --mates reads; UMI families with --umi) carrying exactly the REF allele.',
    value: (r) => r.ref_count,
  },
  {
    name: 'alt_count',
    type: 'integer',
    description: 'Fragments carrying exactly the ALT allele (for an indel site: exactly that insertion or deletion).',
    value: (r) => r.alt_count,
  },
  {
    name: 'other_count',
    type: 'integer',
    description: 'Covering observations that passed the filters with neither allele.',
    value: (r) => r.other_count,
  },
  { name: 'vaf', type: 'fraction', description: 'alt_count / depth; NA at depth 0.', value: (r) => r.vaf },
  {
    name: 'alt_fwd',
    type: 'integer',
    description: 'ALT observations on the forward strand (for merged mates, the strand of read 1).',
    value: (r) => r.alt_fwd,
  },
  { name: 'alt_rev', type: 'integer', description: 'ALT observations on the reverse strand.', value: (r) => r.alt_rev },
  {
    name: 'discordant_mates',
    type: 'integer',
    description: 'Fragments whose overlapping mates disagreed at the site; in neither ref nor alt.',
    value: (r) => r.discordant_mates,
  },
  {
    name: 'mean_frag_len_ref',
    type: 'length',
    description: 'Mean |TLEN| of REF-supporting fragments (aligned length for unpaired reads); NA when none.',
    value: (r) => r.mean_frag_len_ref,
  },
  {
    name: 'mean_frag_len_alt',
    type: 'length',
    description: 'Mean |TLEN| of ALT-supporting fragments; NA when none.',
    value: (r) => r.mean_frag_len_alt,
  },
  {
    name: 'deletions',
    type: 'integer',
    description: "Observations with a deletion spanning the site's first base.",
    value: (r) => r.deletions,
  },
  {
    name: 'insertions',
    type: 'integer',
    description: "Observations with an insertion right after the site's first base.",
    value: (r) => r.insertions,
  },
  {
    name: 'raw_ref_count',
    type: 'integer',
    description: 'Read-level REF count before mate merging and UMI collapsing.',
    value: (r) => r.raw_ref_count,
  },
  {
    name: 'raw_alt_count',
    type: 'integer',
    description: 'Read-level ALT count before mate merging and UMI collapsing.',
    value: (r) => r.raw_alt_count,
  },
  { name: 'families', type: 'integer', description: 'UMI families counted (0 without --umi).', value: (r) => r.families },
  {
    name: 'id',
    type: 'text',
    description: 'Site ID from the input (VCF ID, panel id; the bundled panel uses GENE_PROTEIN).',
    value: (r) => r.id,
  },
];

/** Columns added when the rows carry calls (--pon, --targets, --site-alpha or --summary). */
export const CALL_COLUMNS: readonly Column<CountOutputRow>[] = [
  {
    name: 'background_rate',
    type: 'fraction',
    description: 'Background error rate the site was tested against.',
    value: (r) => r.call?.background_rate,
  },
  {
    name: 'p_value',
    type: 'p_value',
    description: 'One-sided p-value of the ALT count over the background.',
    value: (r) => r.call?.p_value,
  },
  { name: 'vaf_low', type: 'fraction', description: 'Lower bound of the 95% Wilson interval of vaf.', value: (r) => r.call?.vaf_low },
  { name: 'vaf_high', type: 'fraction', description: 'Upper bound of the 95% Wilson interval of vaf.', value: (r) => r.call?.vaf_high },
  {
    name: 'lod',
    type: 'fraction',
    description: 'Limit of detection: the smallest VAF detected with 95% power at this depth.',
    value: (r) => r.call?.lod,
  },
  { name: 'call', type: 'text', description: 'detected, not_detected or low_depth.', value: (r) => r.call?.call },
];

/** Column names, in order (without calls). */
export const COUNT_TSV_COLUMNS: readonly string[] = columnNames(COUNT_COLUMNS);
/** Call column names, in order. */
export const CALL_TSV_COLUMNS: readonly string[] = columnNames(CALL_COLUMNS);

/**
 * The count table: exactly one header line (the settings go to stderr and to the VCF/JSON
 * headers, never into `#` lines a TSV reader would trip on), then one row per site. The call
 * columns follow when any row carries a call.
 */
export function formatCountTsv(rows: readonly CountOutputRow[]): string {
  const withCalls = rows.some((r) => r.call !== undefined);
  return formatTsv(withCalls ? [...COUNT_COLUMNS, ...CALL_COLUMNS] : COUNT_COLUMNS, rows);
}
