/** Number formats shared by the longitudinal accuracy tables. */
import type { ResolvedPrior } from '../timeline/longitudinal/resolve.js';

export const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;
export const rate = (x: number, n: number) => (n > 0 ? x / n : NaN);
export const f2 = (x: number) => x.toFixed(2);

/** The prior column: cohort CV / the rise test's CV / df, or the policy default. */
export const priorText = (r: ResolvedPrior): string =>
  r.basis === 'cohort'
    ? `${f2(r.prior.cv)} / ${f2(r.prior.testCv ?? r.prior.cv)} / ${r.prior.df.toFixed(0)}`
    : `default ${r.prior.cv} / ${r.prior.df} df`;
