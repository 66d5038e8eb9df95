/** Scales and ticks for the report's SVG charts. Pure functions; coordinates rounded to 0.1 px. */

const MS_PER_DAY = 86_400_000;

/** ISO date (YYYY-MM-DD) → days since 1970-01-01 (UTC, so no time-zone drift between machines). */
export function isoToDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
}

export function dayToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export interface LinearScale {
  (x: number): number;
  domain: [number, number];
}

export function linearScale(d0: number, d1: number, r0: number, r1: number): LinearScale {
  const span = d1 - d0 || 1;
  const f = ((x: number) => round1(r0 + ((x - d0) / span) * (r1 - r0))) as LinearScale;
  f.domain = [d0, d1];
  return f;
}

/** log10 scale over [lo, hi] (both > 0); values ≤ 0 are clamped to lo. */
export function logScale(lo: number, hi: number, r0: number, r1: number): LinearScale {
  const l0 = Math.log10(lo);
  const l1 = Math.log10(hi);
  const f = ((x: number) => {
    const v = x > 0 ? Math.log10(Math.min(Math.max(x, lo), hi)) : l0;
    return round1(r0 + ((v - l0) / (l1 - l0)) * (r1 - r0));
  }) as LinearScale;
  f.domain = [lo, hi];
  return f;
}

/** 10^e parsed from its decimal literal: exact (10 ** -5 is 9.999999999999999e-6 in binary floats). */
export function pow10(e: number): number {
  return Number(`1e${e}`);
}

/**
 * Decade bounds for a log VAF axis covering `values` (fractions > 0). ctDNA spans 0.01 %–50 %, so
 * at least two decades are shown and the floor never goes below 1e-5 (0.001 %, beyond any panel's
 * LoD at realistic depth).
 */
export function logDomain(values: number[]): [number, number] {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  // Work in integer exponents so the bounds are exact powers of ten (0.01 / 100 ≠ 1e-4 in floats).
  let eLo = positive.length ? Math.floor(Math.log10(Math.min(...positive))) : -4;
  let eHi = positive.length ? Math.ceil(Math.log10(Math.max(...positive))) : -2;
  eLo = Math.max(-5, eLo);
  eHi = Math.min(0, Math.max(eHi, eLo + 1));
  if (eHi - eLo < 2) eLo = Math.max(-5, eHi - 2);
  if (eHi - eLo < 2) eHi = Math.min(0, eLo + 2);
  return [pow10(eLo), pow10(eHi)];
}

export function decadeTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.round(Math.log10(lo)); e <= Math.round(Math.log10(hi)); e++) ticks.push(pow10(e));
  return ticks;
}

/** First-of-month ticks between two days, thinned to at most `max` labels. */
export function monthTicks(day0: number, day1: number, max = 8): number[] {
  const start = new Date(day0 * MS_PER_DAY);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth() + 1;
  const all: number[] = [];
  for (;;) {
    if (m > 11) {
      m = 0;
      y++;
    }
    const d = Date.UTC(y, m, 1) / MS_PER_DAY;
    if (d > day1) break;
    all.push(d);
    m++;
  }
  const step = Math.max(1, Math.ceil(all.length / max));
  return all.filter((_, i) => i % step === 0);
}
