/**
 * Has the patient's tumour signal risen from its nadir by the policy's fold? The longitudinal
 * model of docs/methods/statistics.md, pure: counts of the clonal tumour-informed sites per draw in,
 * a typed, JSON-safe `MolecularChange` out.
 *
 * For each window draw w: the draws of the current therapy line before w are the candidates; the
 * nadir phase is selected among them (phase.ts) at the prior's between-draw variation; the phase's
 * own residuals update that variation (variance.ts); w is compared with the phase (contrast.ts). Over the window draws: Holm's step-down adjustment of the rise p-values.
 *   progression  — some window draw has Holm p < α and fold estimate ≥ the policy fold;
 *   ruled_out    — every evaluable window draw has its one-sided upper bound < the policy fold;
 *   undecided    — neither (the reason names the upper bound and the power to see the policy fold);
 *   not_evaluable — no window draw could be compared (the reason says why).
 */
import { holmAdjust } from '../../stats/multiplicity.js';
import { contrastBound, type Contrast, fold80Power, makeContrast, powerAt, risePValue } from './contrast.js';
import { describeChange } from './describe.js';
import { selectPhase } from './phase.js';
import type { ChangeStatus, DrawComparison, LongitudinalInput, MolecularChange } from './types.js';
import { combineWithPrior, cvOfSigma2, ownBetweenDraw, phaseReads, phiOfIcc, siteDispersion, sigma2OfCv } from './variance.js';

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function checkInput(input: LongitudinalInput): void {
  const T = input.draws.length;
  for (const s of input.sites) {
    if (s.alt.length !== T || s.depth.length !== T) throw new RangeError(`site ${s.key}: ${s.alt.length} counts for ${T} draws`);
    for (let t = 0; t < T; t++) {
      if (!(s.alt[t] >= 0 && s.depth[t] >= 0 && s.alt[t] <= s.depth[t]))
        throw new RangeError(`site ${s.key}, draw ${input.draws[t].sample}: alt ${s.alt[t]} of depth ${s.depth[t]}`);
    }
  }
  for (let t = 1; t < T; t++) if (input.draws[t].day < input.draws[t - 1].day) throw new RangeError('draws are not in date order');
  for (const w of input.windowIdx)
    if (!(Number.isInteger(w) && w >= 0 && w < T)) throw new RangeError(`window index ${w} outside the ${T} draws`);
  const st = input.settings;
  if (!(
    st.fold >= 1 &&
    st.alpha > 0 &&
    st.alpha < 1 &&
    st.intervalLevel > 0 &&
    st.intervalLevel < 1 &&
    st.ruleOutLevel > 0.5 &&
    st.ruleOutLevel < 1 &&
    st.phaseAlpha > 0 &&
    st.phaseAlpha < 1
  )) {
    throw new RangeError('model settings out of range');
  }
  if (!(input.prior.cv >= 0 && input.prior.df > 0)) throw new RangeError('between-draw prior needs cv ≥ 0 and df > 0');
}

interface Fitted {
  w: number;
  phase: number[];
  contrast: Contrast;
  ownSigma2: number | null;
  ownDf: number;
  sigma2: number;
  df: number;
}

/** Phase (selected at the rise test's CV) and contrast for window draw w (σ̃² from the prior and the phase). */
function fitDraw(
  input: LongitudinalInput,
  alt: number[][],
  depth: number[][],
  candidates: number[],
  w: number,
  dispersion: { phi: number; df: number },
  background: readonly number[],
): Fitted {
  const { phi, df: phiDf } = dispersion;
  const prior0 = input.prior.testCv === undefined ? input.prior : { ...input.prior, cv: input.prior.testCv };
  // The phase's selection is a test of "this draw belongs to the nadir level": at the test's CV.
  const phase = selectPhase(alt, depth, candidates, sigma2OfCv(prior0.cv), phi, input.settings.phaseAlpha, { background });
  const own = ownBetweenDraw(alt, depth, phase, phi, input.prior, background);
  const { sigma2, df } = combineWithPrior(input.prior, own.sigma2, own.df);
  // Under H0 the window draw belongs to the phase: its residual enters the test's own variance.
  const own0 = ownBetweenDraw(alt, depth, [...phase, w], phi, prior0, background);
  const restricted = combineWithPrior(prior0, own0.sigma2, own0.df);
  const typical = combineWithPrior(prior0, own.sigma2, own.df);
  const under0 = { sigma2: restricted.sigma2, df: restricted.df, typicalSigma2: typical.sigma2, typicalDf: typical.df };
  return {
    w,
    phase,
    contrast: makeContrast(alt, depth, phase, w, sigma2, df, phi, { under0, background, phiDf }),
    ownSigma2: own.rawDf > 0 ? own.sigma2 : null,
    ownDf: own.df,
    sigma2,
    df,
  };
}

function pooledFraction(alt: number[][], depth: number[][], draws: readonly number[], usable: (i: number) => boolean): number | null {
  let a = 0;
  let n = 0;
  for (let i = 0; i < alt.length; i++) {
    if (!usable(i)) continue;
    for (const t of draws) {
      if (depth[i][t] > 0) {
        a += alt[i][t];
        n += depth[i][t];
      }
    }
  }
  return n > 0 ? a / n : null;
}

/** A_t, E_t and S_t of the phase draws over the sites used (rounded to 4 significant digits for the record). */
function phaseReadsOver(
  alt: number[][],
  depth: number[][],
  background: readonly number[],
  phase: readonly number[],
  used: (i: number) => boolean,
): { observed: number[]; expected: number[]; signal: number[] } {
  const rows = alt.map((_, i) => i).filter(used);
  const { observed, expected, signal } = phaseReads(
    rows.map((i) => alt[i]),
    rows.map((i) => depth[i]),
    phase,
    rows.map((i) => background[i]),
  );
  const round = (x: number) => Number(x.toPrecision(4));
  return { observed, expected: expected.map(round), signal: signal.map(round) };
}

function emptyComparison(input: LongitudinalInput, w: number, note: string): DrawComparison {
  return {
    sample: input.draws[w].sample,
    date: input.draws[w].date,
    status: 'not_evaluable',
    note,
    nadir_draws: [],
    nadir_allele_fraction: null,
    window_allele_fraction: null,
    fold: null,
    fold_infinite: false,
    low: null,
    high: null,
    upper_bound: null,
    p_value: null,
    p_holm: null,
    power_at_fold: null,
    fold_80_power: null,
    sites_used: 0,
    reads_nadir: 0,
    reads_window: 0,
    between_draw_var: 0,
    df: null,
    nadir_reads: null,
  };
}

export function assessMolecularChange(input: LongitudinalInput): MolecularChange {
  checkInput(input);
  const { draws, sites, settings } = input;
  const alt = sites.map((s) => s.alt);
  const depth = sites.map((s) => s.depth);
  const background = sites.map((s) => s.background ?? 0);
  const inLine = (t: number) => input.therapyStartDay === null || draws[t].day >= input.therapyStartDay;
  const hasDepth = (t: number) => depth.some((row) => row[t] > 0);
  const window = [...new Set(input.windowIdx)].sort((a, b) => a - b);
  const inWindow = new Set(window);
  const caveats: string[] = [];
  const uncovered = sites.filter((s) => s.depth.every((d) => d === 0));
  if (uncovered.length > 0)
    caveats.push(`${uncovered.map((s) => s.label || s.key).join(', ')}: no read in any draw (is the contig in the BAM?)`);
  const lastWindow = window.length > 0 ? window[window.length - 1] : -1;
  const lineDraws = draws.map((_, t) => t).filter((t) => inLine(t) && t <= lastWindow);
  let { phi, df: phiDf } = siteDispersion(alt, depth, lineDraws);
  const icc = input.prior.siteIcc;
  if (phiDf === 0 && icc && icc.rho > 0) {
    // Fewer than two sites with reads: the cohort's site × draw ICC (its upper bound) gives φ at this
    // patient's depth (site-icc.ts); the prior's CV, from patients whose draws average that noise
    // over their sites, holds little of it. df: those of the cohort's X² (hundreds; Satterthwaite).
    phi = phiOfIcc(alt, depth, lineDraws, icc.rho);
    phiDf = icc.df;
    caveats.push(
      `site × draw dispersion from the cohort (ICC ${icc.rho.toPrecision(2)}, its upper bound; φ ${phi.toFixed(2)} at this patient's depth): fewer than two sites with reads cannot estimate it`,
    );
  }

  const fitted: (Fitted | null)[] = [];
  const comparisons: DrawComparison[] = [];
  for (const w of window) {
    let note: string | null = null;
    if (!inLine(w)) note = `drawn before the current therapy${input.therapyLabel ? ` (${input.therapyLabel})` : ''} started`;
    else if (!hasDepth(w)) note = 'no read at any tracked clonal site in this draw';
    // The nadir is a level before the assessment window: another window draw never serves as it.
    const candidates = draws.map((_, t) => t).filter((t) => t < w && !inWindow.has(t) && inLine(t) && hasDepth(t));
    if (note === null && candidates.length === 0)
      note = `no draw of the current therapy line${input.therapyLabel ? ` (${input.therapyLabel})` : ''} before the assessment window to compare with`;
    if (note !== null) {
      fitted.push(null);
      comparisons.push(emptyComparison(input, w, note));
      continue;
    }
    const f = fitDraw(input, alt, depth, candidates, w, { phi, df: phiDf }, background);
    if (Number.isNaN(f.contrast.sampled.logFold)) {
      fitted.push(null);
      const c = emptyComparison(
        input,
        w,
        f.contrast.sampled.atBackground === 0
          ? 'no alt read at the clonal sites in the nadir phase nor in this draw, at any site covered in both'
          : "no signal above the sites' background in the nadir phase nor in this draw: no tumour level to compare",
      );
      c.nadir_draws = f.phase.map((t) => draws[t].sample);
      comparisons.push(c);
      continue;
    }
    fitted.push(f);
    comparisons.push(emptyComparison(input, w, ''));
  }

  const pValues = fitted.map((f) => (f ? risePValue(f.contrast) : NaN));
  const holm = holmAdjust(pValues);
  const evaluable = fitted.filter((f) => f !== null).length;
  const logFold = Math.log(settings.fold);
  const twoSided = 1 - (1 - settings.intervalLevel) / 2;
  fitted.forEach((f, j) => {
    if (!f) return;
    const c = f.contrast;
    const used = (i: number) => c.counts.refDepth[i] > 0 && c.counts.targetDepth[i] > 0;
    const lam = c.logFold;
    const high = contrastBound(c, twoSided, 'high');
    const upper = contrastBound(c, settings.ruleOutLevel, 'high');
    const pHolm = holm[j];
    let status: ChangeStatus = 'undecided';
    if (pHolm < settings.alpha && lam >= logFold) status = 'progression';
    else if (upper < logFold) status = 'ruled_out';
    const power = powerAt(c, logFold, logFold, settings.alpha / evaluable);
    comparisons[j] = {
      ...comparisons[j],
      status,
      note: null,
      nadir_draws: f.phase.map((t) => draws[t].sample),
      nadir_allele_fraction: pooledFraction(alt, depth, f.phase, used),
      window_allele_fraction: pooledFraction(alt, depth, [f.w], used),
      fold: fin(Math.exp(lam)),
      fold_infinite: lam === Infinity,
      low: Math.exp(contrastBound(c, twoSided, 'low')),
      high: fin(Math.exp(high)),
      upper_bound: fin(Math.exp(upper)),
      p_value: pValues[j],
      p_holm: pHolm,
      power_at_fold: power,
      fold_80_power: fold80Power(c, logFold, settings.alpha / evaluable),
      sites_used: c.sampled.sites,
      reads_nadir: c.sampled.refReads,
      reads_window: c.sampled.targetReads,
      between_draw_var: c.tau2,
      df: fin(f.df),
      nadir_reads: phaseReadsOver(alt, depth, background, f.phase, used),
    };
  });

  let status: ChangeStatus;
  let decisive: number;
  const idx = comparisons.map((_, j) => j).filter((j) => fitted[j] !== null);
  const progressing = idx.filter((j) => comparisons[j].status === 'progression');
  if (progressing.length > 0) {
    status = 'progression';
    decisive = progressing.sort((a, b) => (comparisons[a].p_holm as number) - (comparisons[b].p_holm as number) || b - a)[0];
  } else if (idx.length === 0) {
    status = 'not_evaluable';
    decisive = comparisons.length > 0 ? comparisons.length - 1 : -1;
  } else {
    const upper = (j: number) => comparisons[j].upper_bound ?? Infinity;
    decisive = [...idx].sort((a, b) => upper(b) - upper(a) || b - a)[0];
    status = idx.every((j) => comparisons[j].status === 'ruled_out') ? 'ruled_out' : 'undecided';
  }
  const skipped = comparisons.filter((c, j) => fitted[j] === null && c.note);
  if (evaluable > 0) for (const c of skipped) caveats.push(`window draw ${c.sample} not compared: ${c.note}`);
  const f = decisive >= 0 ? fitted[decisive] : null;
  const used = sites.filter((s) => s.depth.some((d) => d > 0)).length;
  if (used === 1)
    caveats.push(
      'one tracked clonal marker: a copy-number change at that site would read as a change of the tumour level, and site-to-site variation cannot be estimated',
    );
  if (f && f.phase.length === 1) caveats.push("one draw in the nadir phase: the between-draw variation is the prior's alone");
  // The phase's own df are weighed at the prior's σ0² (variance.ts): a prior CV of 0 claims the
  // variation exactly, and the patient's own residuals then carry no weight.
  else if (f && f.ownDf === 0 && f.ownSigma2 !== null && f.ownSigma2 > 0)
    caveats.push(
      `the prior's between-draw CV is 0, so the nadir phase's own variation (CV ${cvOfSigma2(f.ownSigma2).toFixed(2)}) is not weighed`,
    );
  if (input.therapyStartDay !== null && draws.some((d, t) => d.day < (input.therapyStartDay as number) && t <= lastWindow)) {
    caveats.push(
      `draws before the current therapy start${input.therapyLabel ? ` (${input.therapyLabel})` : ''} are not used for the nadir`,
    );
  }
  const sigma2 = f ? f.sigma2 : sigma2OfCv(input.prior.cv);
  const result: MolecularChange = {
    status,
    reason: '',
    decisive_sample: decisive >= 0 ? comparisons[decisive].sample : null,
    comparisons,
    between_draw: {
      cv: cvOfSigma2(sigma2),
      sigma: Math.sqrt(sigma2),
      df: f ? (fin(f.df) ?? 0) : input.prior.df,
      prior_cv: input.prior.cv,
      prior_df: input.prior.df,
      prior_test_cv: input.prior.testCv ?? input.prior.cv,
      prior_source: input.prior.source,
      own_cv: f && f.ownSigma2 !== null ? cvOfSigma2(f.ownSigma2) : null,
      own_df: f ? f.ownDf : 0,
    },
    site_dispersion: { phi, df: phiDf },
    sites_tracked: sites.length,
    caveats,
    multiplicity: 'holm over the window draws (family-wise)',
    settings,
    therapy_start: input.therapyStartDay === null ? null : dayToIso(input.therapyStartDay),
  };
  result.reason = describeChange(result, decisive >= 0 ? comparisons[decisive] : null, used);
  return result;
}

function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
