/**
 * The nadir phase: the modelled reference level of a window draw (docs/methods/statistics.md §5).
 *
 * Among the candidate draws (the current therapy line's draws before the window draw, in time
 * order, each with depth at a tracked site), the lowest draw k is the one with the smallest
 * continuity-corrected level log((A_t + ½)/(E_t + ½)) against the candidates' pooled site rates
 * (site-matched). The phase grows from k into its neighbours, one at a time, the lower neighbour
 * first: a neighbour joins unless it is higher than the phase so far with one-sided p < phaseAlpha
 * by the contrast of the decision (sampling error and between-draw variance at the prior's σ0²),
 * with normal rather than t quantiles: with the few pseudo-df of a conservative prior a t quantile
 * at p = 0.01 is so wide (t₀.₉₉,₂ = 6.96) that even a 10-fold fall under a new therapy would join.
 * So the draws before the fall, and a rise that started before the window, stay out, while draws
 * that differ from the lowest only by noise are pooled into its level — the minimum of noisy draws
 * would be biased low and would turn noise into false rises.
 *
 * `steps` (the cohort's phases, prior.ts): a neighbour also stays out when it and every draw beyond
 * it, pooled, are higher than the phase at phaseAlpha. A rise that persists (a step) is then seen
 * by all its draws together: over simulated cohorts at CV 15% and 1,500×, one marker, a 3-fold rise
 * in the last two of six draws was tested alone at z ≈ 4 and joined the phase in about 13% of
 * patients (the cohort's CV 0.168 for 0.153 without rises); pooled it is z ≈ 5 and joins in about
 * 1–1.5% (0.153). A stable series pays one more test per step at the same level.
 */
import { makeContrast, phaseWeightSquares, pooledLogBias, risePValue } from './contrast.js';
import { phaseReads } from './variance.js';

export function lowestDraw(alt: number[][], depth: number[][], candidates: readonly number[]): number {
  const { observed, expected } = phaseReads(alt, depth, candidates);
  let best = 0;
  let bestLevel = Infinity;
  candidates.forEach((_, j) => {
    const level = Math.log((observed[j] + 0.5) / (expected[j] + 0.5));
    // Ties (e.g. several zero-read draws): the one with more expected reads is the surer low.
    if (level < bestLevel - 1e-12 || (Math.abs(level - bestLevel) <= 1e-12 && expected[j] > expected[best])) {
      best = j;
      bestLevel = level;
    }
  });
  return best;
}

export function selectPhase(
  alt: number[][],
  depth: number[][],
  candidates: readonly number[],
  sigma2: number,
  phi: number,
  phaseAlpha: number,
  options: { steps?: boolean; background?: readonly number[] } = {},
): number[] {
  const { steps = false, background } = options;
  if (candidates.length === 0) return [];
  const k = lowestDraw(alt, depth, candidates);
  let left = k;
  let right = k;
  const joins = (j: number): boolean => {
    const phase = candidates.slice(left, right + 1);
    if (risePValue(makeContrast(alt, depth, phase, candidates[j], sigma2, Infinity, phi, { background })) < phaseAlpha) return false;
    const beyond = j > right ? candidates.slice(j) : candidates.slice(0, j + 1);
    return !steps || beyond.length < 2 || blockRiseP(alt, depth, phase, beyond, sigma2, phi, background) >= phaseAlpha;
  };
  const levelOf = (j: number): number => {
    const { observed, expected } = phaseReads(alt, depth, [...candidates.slice(left, right + 1), candidates[j]]);
    const last = observed.length - 1;
    return Math.log((observed[last] + 0.5) / (expected[last] + 0.5));
  };
  for (;;) {
    const options = [left - 1, right + 1].filter((j) => j >= 0 && j < candidates.length);
    options.sort((a, b) => levelOf(a) - levelOf(b));
    const next = options.find(joins);
    if (next === undefined) break;
    if (next < left) left = next;
    else right = next;
  }
  return candidates.slice(left, right + 1);
}

/**
 * One-sided p of the pooled `block` of draws being higher than `phase`: the block enters the
 * contrast as one draw (its counts summed per site) whose between-draw variance is σ²Σw_b² (its
 * read weights) instead of one draw's σ²; makeContrast's τ² = σ'²(1 + Σw²) with
 * σ'² = σ²(Σw_b² + Σw²)/(1 + Σw²) gives exactly that. Both sides are read-weighted means of
 * log-normal levels, so the level correction is B(σ², Σw²) − B(σ², Σw_b²) (contrast.ts; a one-draw
 * block gives the usual B(σ², Σw²)).
 */
function blockRiseP(
  alt: number[][],
  depth: number[][],
  phase: readonly number[],
  block: readonly number[],
  sigma2: number,
  phi: number,
  background: readonly number[] | undefined,
): number {
  const pooled = (rows: number[][]) => rows.map((row) => [...row, block.reduce((s, t) => s + (row[t] > 0 ? row[t] : 0), 0)]);
  const column = depth[0].length;
  const phaseW = phaseWeightSquares(alt, depth, phase);
  const blockW = phaseWeightSquares(alt, depth, block);
  const scaled = (sigma2 * (blockW + phaseW)) / (1 + phaseW);
  const under0 = { sigma2: scaled, df: Infinity, typicalSigma2: scaled, typicalDf: Infinity };
  const shift = pooledLogBias(sigma2, phaseW) - pooledLogBias(sigma2, blockW);
  return risePValue(makeContrast(pooled(alt), pooled(depth), phase, column, scaled, Infinity, phi, { under0, shift, background }));
}
