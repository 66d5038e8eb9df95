/**
 * The cohort's site × draw dispersion, as a beta-binomial intra-class correlation ρ
 * (docs/methods/statistics.md §3.5).
 *
 * Capture and PCR noise move one site's allele fraction in one draw apart from the draw's other
 * sites: a site read n times has Var a = np(1 − p)(1 + (n − 1)ρ). A patient with two or more sites
 * measures it as φ, the Pearson X²/df of the site × draw fit (variance.ts); a patient with one site
 * cannot tell it from the variation between draws, and a cohort estimate of that variation from
 * patients with many sites holds little of it (each of their draws averages it over the sites). So
 * the cohort's ρ is estimated from its patients with two or more sites, by moments over the pooled
 * binomial-scale X²: ρ̂ = Σ_p (X²_p − df_p) / Σ_p Σ_c (n_c − 1)·df_p/cells_p (E[X²] ≈ df + ρ·that sum;
 * floored at 0), with df Σ_p df_p and standard error from X²_p ≈ φ_p χ²_{df_p}:
 * Var ρ̂ = Σ_p 2 df_p φ_p² / (Σ_p Σ_c …)². A patient whose own sites cannot estimate φ (one site)
 * takes φ = 1 + ρ(n̄ − 1) at its own depth, ρ an upper confidence bound of ρ̂ (resolve.ts): with 40
 * patients of 4 sites at 1,500× ρ̂ has an SD of about half of ρ, and a low estimate would leave a
 * one-site patient at a low allele fraction too little variance (at 0.5% and 1,500×, ρ = 1e-4 adds as
 * much to a draw's log level as a 15% between-draw CV). The cohort's between-draw CV keeps the site ×
 * draw noise its patients' pooled draws show (prior.ts), so for a one-site patient part of it is
 * counted twice: the conservative side.
 * A real change at one site only (a subclone, a copy-number change) also raises X²: ρ̂ errs upward,
 * which widens one-site patients' intervals (the conservative side).
 */
import { siteDrawPearson } from './variance.js';

/** One patient's therapy line: its sites' counts (rows) and the draws (columns) of the line. */
export interface LineCounts {
  alt: number[][];
  depth: number[][];
  draws: readonly number[];
}

/** The cohort's site × draw ICC, its standard error and df, and the patient lines with two or more sites that gave it. */
export interface SiteDrawIcc {
  rho: number;
  se: number;
  df: number;
  lines: number;
}

/** ρ̂ of the file comment; null when no line has two sites and two draws with alt reads. */
export function cohortSiteIcc(lines: readonly LineCounts[]): SiteDrawIcc | null {
  let excess = 0;
  let scale = 0;
  let df = 0;
  const parts: { df: number; depthExcess: number }[] = [];
  for (const line of lines) {
    const p = siteDrawPearson(line.alt, line.depth, line.draws);
    if (!(p.df > 0) || !(p.depthExcess > 0)) continue;
    excess += p.x2Binomial - p.df;
    scale += p.depthExcess;
    df += p.df;
    parts.push(p);
  }
  if (parts.length === 0) return null;
  const rho = Math.max(0, excess / scale);
  // φ_p = 1 + ρ̂(n̄_p − 1), n̄_p − 1 = depthExcess_p / df_p.
  const variance = parts.reduce((v, p) => v + 2 * p.df * (1 + (rho * p.depthExcess) / p.df) ** 2, 0) / (scale * scale);
  return { rho, se: Math.sqrt(variance), df, lines: parts.length };
}
