/**
 * How numbers are written into data files (TSV cells, VCF FORMAT values): one module, so the same
 * VAF reads the same in count.tsv, timeline.tsv and the VCF. Deterministic (same number → same
 * bytes on every machine) and never in exponent form except for p-values, so spreadsheets and
 * `awk` read every cell as a number. The HTML report formats for people instead
 * (src/report/html/format.ts: percentages, thousands separators).
 */

/** The cell of a number that is undefined (a VAF at depth 0, a mean over no fragments). */
export const NA = 'NA';

/**
 * A fraction (VAF, interval bound, background rate, limit of detection) with 6 significant digits,
 * trailing zeros dropped: 1/3 → 0.333333, 1/18000 → 0.0000555556, 0.5 → 0.5. Significant digits
 * rather than fixed decimals because ctDNA fractions span 1e-6 (ppm-level tracking) to 1: eight
 * decimals would print 1.234567e-6 as 0.00000123, three digits, and 0.5 as 0.5 with no gain.
 */
export function formatFraction(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NA;
  if (x === 0) return '0';
  const decimals = Math.min(100, Math.max(0, 5 - Math.floor(Math.log10(Math.abs(x)))));
  return stripZeros(x.toFixed(decimals));
}

/** A p-value: 4 significant digits, exponent form below 1e-6 (1.235e-30), trailing zeros dropped. */
export function formatPValue(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NA;
  if (x === 0) return '0';
  const text = x.toPrecision(4);
  const [mantissa, exponent] = text.split('e');
  return exponent === undefined ? stripZeros(mantissa) : `${stripZeros(mantissa)}e${exponent}`;
}

/** A mean fragment length in bp with one decimal (166.7), NA when no fragment supports the allele. */
export function formatMeanLength(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NA : x.toFixed(1);
}

/** A count or another whole number; NA when undefined. */
export function formatInteger(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NA : String(x);
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
