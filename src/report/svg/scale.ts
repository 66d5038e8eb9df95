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

/**
 * Decade bounds for a log VAF axis covering `values` (fractions > 0). ctDNA spans 0.01 %–50 %, so
 * at least two decades are shown and the floor never goes below 1e-5 (0.001 %, beyond any panel's
 * LoD at realistic depth).
 */
export function logDomain(values: number[]): [number, number] {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  let lo = positive.length ? Math.min(...positive) : 1e-4;
  let hi = positive.length ? Math.max(...positive) : 1e-2;
  lo = Math.max(1e-5, 10 ** Math.floor(Math.log10(lo)));
  hi = Math.min(1, 10 ** Math.ceil(Math.log10(hi)));
  if (hi <= lo) hi = Math.min(1, lo * 100);
  if (Math.log10(hi) - Math.log10(lo) < 2) lo = Math.max(1e-5, hi / 100);
  return [lo, hi];
}

export function decadeTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.round(Math.log10(lo)); e <= Math.round(Math.log10(hi)); e++) ticks.push(10 ** e);
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
