/**
 * The null distribution of one site's alt count in a tested sample: beta-binomial, or a mixture of
 * beta-binomials over the posterior of the background's between-sample ICC ρ (panel-of-normals
 * sites, docs/methods/statistics.md §8). Each component is the predictive of a new sample given that
 * ρ: the sample's rate varies around the site's true rate with ICC ρ, and the true rate is known
 * only as Beta(rate·A, (1−rate)·A) from A observations.
 */
import { betaBinomLogUpperTail, criticalCount } from './binomial.js';
import type { NullComponent, SiteBackground } from './types.js';

/**
 * ICC of the predictive (beta-binomial) distribution of a new sample's alt count: matching the two
 * moments, Var(e_sample) = m(1−m)·(1 + ρA)/(A + 1) ⇒ ρ_pred = ρ + (1 − ρ)/(A + 1), exact (the
 * beta-binomial predictive) when ρ = 0. A = Infinity (fixed default rate) gives ρ.
 */
export function predictiveDispersion(bg: Pick<SiteBackground, 'dispersion' | 'priorDepth'>): number {
  if (!Number.isFinite(bg.priorDepth)) return bg.dispersion;
  return bg.dispersion + (1 - bg.dispersion) / (bg.priorDepth + 1);
}

type NullModel = Pick<SiteBackground, 'rate' | 'dispersion' | 'priorDepth' | 'components'>;

function componentsOf(bg: NullModel): NullComponent[] {
  return bg.components && bg.components.length > 0
    ? bg.components
    : [{ rate: bg.rate, dispersion: bg.dispersion, priorDepth: bg.priorDepth, weight: 1 }];
}

/** P(K ≥ alt | depth) under the site's predictive null (the posterior-weighted mixture when given). */
export function siteNullTail(alt: number, depth: number, bg: NullModel): number {
  if (depth <= 0 || alt <= 0) return 1;
  let p = 0;
  for (const c of componentsOf(bg)) p += c.weight * Math.exp(betaBinomLogUpperTail(alt, depth, c.rate, predictiveDispersion(c)));
  return Math.min(1, p);
}

/** Smallest alt count c with P(K ≥ c) ≤ α under the site's null; depth + 1 when none. */
export function siteCriticalCount(depth: number, bg: NullModel, alpha: number): number {
  const comps = componentsOf(bg);
  if (comps.length === 1) return criticalCount(depth, comps[0].rate, predictiveDispersion(comps[0]), alpha);
  // The mixture is ≤ α once every component is, and > α while every component is: c lies between.
  const each = comps.map((c) => criticalCount(depth, c.rate, predictiveDispersion(c), alpha));
  let lo = Math.min(...each) - 1; // tail(lo) > α (or lo = 0)
  let hi = Math.max(...each); // tail(hi) ≤ α (or hi = depth + 1)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (siteNullTail(mid, depth, bg) <= alpha) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Effective α of the per-site test: the probability, under the site's predictive null, that a
 * sample without tumour DNA at this depth is called detected, P(K ≥ c). Below the nominal α because
 * counts are discrete: at 3,000× and a background of 1e-4 (0.3 expected reads) the test rejects at
 * 3 reads, which a null sample reaches with probability 0.4–0.9% rather than 1%.
 */
export function siteEffectiveAlpha(depth: number, bg: NullModel, alpha: number): number {
  const c = siteCriticalCount(depth, bg, alpha);
  return c > depth ? 0 : siteNullTail(c, depth, bg);
}
