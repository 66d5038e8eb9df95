/**
 * A deliberately simple stand-in for the longitudinal model, used only by the policy tests so that
 * the policy modules can be exercised end to end before the real model is wired in. Never shipped.
 *
 * Level of a set of draws = pooled alt / pooled depth over the clonal sites informative in every
 * compared draw (site-matched). Fold = window level / baseline level; the variance of its log is
 * quasi-binomial with a fixed between-draw coefficient of variation of 25% (within-subject biological
 * variation of total cfDNA, EBioMedicine 2019, PMC6945267): 1/alt + CV²/draws on each side (0.5 added to a
 * zero count). Decision at 95%: progression when the lower bound exceeds 1 and the fold reaches the
 * policy fold; ruled out when the upper bound is below it; otherwise undecided.
 */
import type { LongitudinalModel, MolecularChange, ModelRequest, SiteTrend } from '../../src/classify/model-interface.js';
import type { TimelineSite } from '../../src/timeline/types.js';

const Z = 1.959963984540054;

interface Level {
  alt: number;
  depth: number;
  draws: number;
}

function level(sites: readonly TimelineSite[], idx: readonly number[]): Level {
  let alt = 0;
  let depth = 0;
  for (const d of idx) for (const s of sites) {
    alt += s.points[d].alt_count;
    depth += s.points[d].depth;
  }
  return { alt, depth, draws: idx.length };
}

function compare(b: Level, w: Level, CV: number): { fold: number; lower: number; upper: number } {
  const lb = Math.max(b.alt, 0.5) / b.depth;
  const lw = Math.max(w.alt, 0.5) / w.depth;
  const sd = Math.sqrt(1 / Math.max(b.alt, 0.5) + (CV * CV) / b.draws + 1 / Math.max(w.alt, 0.5) + (CV * CV) / w.draws);
  const fold = lw / lb;
  return { fold, lower: fold * Math.exp(-Z * sd), upper: fold * Math.exp(Z * sd) };
}

const f2 = (x: number) => x.toFixed(2);

export function standInModel(policyFold = 2, cv = 0.25): LongitudinalModel {
  const cmp = (b: Level, w: Level) => compare(b, w, cv);
  return {
    molecularChange(req: ModelRequest): MolecularChange {
      const t = req.timeline;
      const sample = (d: number) => t.draws[d].sample;
      const informativeIn = (s: TimelineSite, idx: readonly number[]) => idx.every((d) => s.points[d].call !== 'low_depth' && s.points[d].depth > 0);
      const sites = t.sites.filter((s) => req.clonalKeys.includes(s.key) && informativeIn(s, req.baselineIdx) && informativeIn(s, req.windowIdx));
      const base = { policyFold, power: null, baselineSamples: req.baselineIdx.map(sample), windowSamples: req.windowIdx.map(sample), sitesUsed: sites.length };
      if (req.baselineIdx.length === 0 || req.windowIdx.length === 0 || sites.length === 0) {
        return { ...base, decision: 'not_evaluable', fold: null, lower: null, upper: null, text: 'tumour fraction not evaluable: no baseline draw on the current therapy with the clonal sites informative' };
      }
      const c = cmp(level(sites, req.baselineIdx), level(sites, req.windowIdx));
      const decision = c.lower > 1 && c.fold >= policyFold ? 'progression' : c.upper < policyFold ? 'ruled_out' : 'undecided';
      const verdict =
        decision === 'progression' ? 'a significant rise' : decision === 'ruled_out' ? `a ${policyFold}-fold rise is excluded` : `a ${policyFold}-fold rise can be neither shown nor excluded`;
      return {
        ...base,
        decision,
        ...c,
        text: `tumour fraction ${f2(c.fold)}-fold (95% interval ${f2(c.lower)}–${f2(c.upper)}) from the baseline to the window over ${sites.length} clonal site${sites.length === 1 ? '' : 's'}: ${verdict}`,
      };
    },
    siteTrend(req: ModelRequest & { key: string }): SiteTrend {
      const t = req.timeline;
      const site = t.sites.find((s) => s.key === req.key);
      const clonal = t.sites.filter((s) => req.clonalKeys.includes(s.key));
      const none = { key: req.key, status: 'not_evaluable' as const, fold: null, lower: null, upper: null, text: 'not evaluable' };
      if (!site || clonal.length === 0 || req.baselineIdx.length === 0 || req.windowIdx.length === 0) return none;
      const s = cmp(level([site], req.baselineIdx), level([site], req.windowIdx));
      const tf = cmp(level(clonal, req.baselineIdx), level(clonal, req.windowIdx));
      const fold = s.fold / tf.fold;
      const widen = Math.sqrt(Math.log(s.upper / s.fold) ** 2 + Math.log(tf.upper / tf.fold) ** 2);
      const lower = fold * Math.exp(-widen);
      const upper = fold * Math.exp(widen);
      const status = lower > 1 && fold >= policyFold ? 'rising' : upper < policyFold && lower > 1 / policyFold ? 'stable' : 'undecided';
      return { key: req.key, status, fold, lower, upper, text: `${f2(fold)}-fold relative to the tumour (${f2(lower)}–${f2(upper)})` };
    },
  };
}
