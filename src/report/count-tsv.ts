import type { CountOutputRow } from '../count/sites-output-row.js';

/** Count columns, in order: the 17 the issue names, then the extra counts, then the site id. */
export const COUNT_TSV_COLUMNS = [
  'sample', 'chrom', 'pos', 'ref', 'alt', 'gene', 'protein', 'depth', 'ref_count', 'alt_count',
  'other_count', 'vaf', 'alt_fwd', 'alt_rev', 'discordant_mates', 'mean_frag_len_ref',
  'mean_frag_len_alt', 'deletions', 'insertions', 'raw_ref_count', 'raw_alt_count', 'families', 'id',
] as const;

/** Columns added when the rows carry calls (helper E's annotation: --pon / --alpha). */
export const CALL_TSV_COLUMNS = ['background_rate', 'p_value', 'vaf_low', 'vaf_high', 'lod', 'call'] as const;

export const NA = 'NA';

/**
 * A fraction with 6 significant digits, never in exponent form (spreadsheets and `awk` read it
 * as a number), trailing zeros dropped: 1/3 → 0.333333, 1/18000 → 0.0000555556, 0.5 → 0.5.
 */
export function formatFraction(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return NA;
  if (x === 0) return '0';
  const decimals = Math.min(100, Math.max(0, 5 - Math.floor(Math.log10(Math.abs(x)))));
  return stripZeros(x.toFixed(decimals));
}

/** A p-value: 4 significant digits, exponent form below 1e-6 (1.235e-30), trailing zeros dropped. */
export function formatPValue(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return NA;
  if (x === 0) return '0';
  const text = x.toPrecision(4);
  const [mantissa, exponent] = text.split('e');
  return exponent === undefined ? stripZeros(mantissa) : `${stripZeros(mantissa)}e${exponent}`;
}

/** A mean fragment length in bp with one decimal (166.7), NA when no fragment supports the allele. */
export function formatMeanLength(x: number | null): string {
  return x === null || !Number.isFinite(x) ? NA : x.toFixed(1);
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** TSV text of one cell: tabs and newlines in free text (gene, protein) would break the table. */
function text(value: string): string {
  return value === '' ? '' : value.replace(/[\t\r\n]/g, ' ');
}

function rowCells(row: CountOutputRow, withCalls: boolean): string[] {
  const cells = [
    text(row.sample), text(row.chrom), String(row.pos), row.ref, row.alt, text(row.gene), text(row.protein),
    String(row.depth), String(row.ref_count), String(row.alt_count), String(row.other_count), formatFraction(row.vaf),
    String(row.alt_fwd), String(row.alt_rev), String(row.discordant_mates), formatMeanLength(row.mean_frag_len_ref),
    formatMeanLength(row.mean_frag_len_alt), String(row.deletions), String(row.insertions), String(row.raw_ref_count),
    String(row.raw_alt_count), String(row.families), text(row.id),
  ];
  if (withCalls) {
    const c = row.call;
    cells.push(
      c ? formatFraction(c.background_rate) : NA,
      c ? formatPValue(c.p_value) : NA,
      c ? formatFraction(c.vaf_low) : NA,
      c ? formatFraction(c.vaf_high) : NA,
      c ? formatFraction(c.lod) : NA,
      c ? text(c.call) : NA,
    );
  }
  return cells;
}

/**
 * The count table: exactly one header line (the settings go to stderr and to the VCF/JSON
 * headers, never into `#` lines a TSV reader would trip on), then one row per site.
 */
export function formatCountTsv(rows: readonly CountOutputRow[]): string {
  const withCalls = rows.some((r) => r.call !== undefined);
  const header = withCalls ? [...COUNT_TSV_COLUMNS, ...CALL_TSV_COLUMNS] : [...COUNT_TSV_COLUMNS];
  const lines = [header.join('\t')];
  for (const row of rows) lines.push(rowCells(row, withCalls).join('\t'));
  return `${lines.join('\n')}\n`;
}
