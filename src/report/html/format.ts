/**
 * Deterministic number formatting for the report (same input → same bytes). Allele fractions are
 * shown as percentages because tumour boards read "0.12 %" faster than "0.0012".
 */

/** A fraction as a percentage with 2 significant digits below 1 % and 3 above (e.g. 0.047 %, 12.3 %). */
export function pct(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  const p = fraction * 100;
  if (p === 0) return '0 %';
  if (Math.abs(p) >= 1) return `${trimZeros(p.toFixed(p >= 10 ? 1 : 2))} %`;
  return `${Number(p.toPrecision(2)).toString()} %`;
}

/** Interval as "low–high %". */
export function pctInterval(low: number | null | undefined, high: number | null | undefined): string {
  if (low === null || low === undefined || high === null || high === undefined) return '–';
  return `${pct(low).replace(' %', '')}–${pct(high)}`;
}

/** p-values: 2 significant digits, scientific below 0.001, "<1e-300" at the floor. */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  if (p === 0) return '<1e-300';
  if (p < 0.001) return p.toExponential(1);
  return Number(p.toPrecision(2)).toString();
}

export function int(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  // Thin-space thousands separator, fixed (not locale-dependent, so output does not vary by machine).
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

export function fixed(n: number | null | undefined, digits: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n.toFixed(digits);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
