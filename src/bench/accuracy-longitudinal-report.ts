/**
 * Tables of the longitudinal section of `npm run accuracy` (Markdown, also written by --out):
 * builds the cell requests, runs them, and states each goal as met or NOT met with its figure.
 */
import type { BetweenDrawPrior } from '../timeline/longitudinal/types.js';
import {
  CVS, type CellRequest, cohortPrior, COHORT_DRAWS, COHORT_PATIENTS, DEPTHS, type LongitudinalOptions, MARKERS, RHO, runCells, type Schedule,
  SCHEDULES, upperBound95, VAF,
} from './accuracy-longitudinal.js';

const pct = (x: number, d = 1) => `${(100 * x).toFixed(d)}%`;
const rate = (x: number, n: number) => (n > 0 ? x / n : NaN);

interface Worst {
  upper: number;
  observed: number;
  where: string;
}

interface Goals {
  /** Worst false-alarm cell per prior (cohort, default). */
  worstFalseAlarm: Map<string, Worst>;
  ruleOut: { table: string; share: number }[];
  coverage: { min: number; max: number };
  tfCoverage: { min: number; max: number };
}

export async function longitudinalSection(o: LongitudinalOptions, say: (s?: string) => void): Promise<void> {
  const goals: Goals = { worstFalseAlarm: new Map(), ruleOut: [], coverage: { min: 1, max: 0 }, tfCoverage: { min: 1, max: 0 } };
  const spec = (cv: number, depth: number, markers: number, schedule: Schedule, fold: number, extra: object = {}) => ({ cv, depth, markers, vaf: VAF, rho: RHO, before: schedule.before, window: schedule.window, fold, ...extra });
  const priors = new Map<string, BetweenDrawPrior>();
  const cohortFor = (cv: number, depth: number, markers: number): BetweenDrawPrior => {
    const key = `${cv}/${depth}/${markers}`;
    if (!priors.has(key)) priors.set(key, cohortPrior(o, { cv, depth, markers, vaf: VAF, rho: RHO }));
    return priors.get(key)!;
  };
  const st = o.settings;
  say('## Longitudinal: the molecular-progression decision');
  say();
  say(`Count-level simulation (docs/methods/accuracy.md): tumour allele fraction ${pct(VAF, 0)} at the nadir, site factors exp(N(0, 0.3²)), site × draw beta-binomial ρ = ${RHO}, depth × exp(N(0, 0.25²)), background 1e-4; ${o.seriesPerCell.toLocaleString('en-US')} series per cell and truth.`);
  say(`Decision: fold ≥ ${st.fold} and Holm p < ${st.alpha} → progression; upper one-sided ${pct(st.ruleOutLevel, 0)} bound < ${st.fold} → ruled out; else undecided. Coverage: the ${pct(st.intervalLevel, 0)} fold interval of the last window draw contains the true fold; TF coverage: the window draw's tumour-fraction interval contains its true tumour fraction.`);
  say(`Cohort prior: estimated (prior.ts) from a separate simulated cohort of the cell's kind, ${COHORT_PATIENTS} patients × ${COHORT_DRAWS} draws, every tenth with a real 3-fold rise in its last two draws; df capped at ${o.cohortMaxDf}. Default prior: CV ${o.defaultPrior.cv}, ${o.defaultPrior.df} df (policy).`);

  for (const schedule of SCHEDULES.filter((s) => s.window === 1)) {
    for (const priorName of ['cohort', 'default'] as const) {
      const requests: CellRequest[] = [];
      for (const cv of CVS) for (const depth of DEPTHS) for (const markers of MARKERS) for (const fold of [1, 2, 4]) {
        requests.push({ table: 'main', schedule, priorName, prior: priorName === 'cohort' ? cohortFor(cv, depth, markers) : o.defaultPrior, spec: spec(cv, depth, markers, schedule, fold) });
      }
      const res = await runCells(o, requests);
      const at = (cv: number, depth: number, markers: number, fold: number) => res[requests.findIndex((r) => r.spec.cv === cv && r.spec.depth === depth && r.spec.markers === markers && r.spec.fold === fold)];
      const table = `schedule ${schedule.id}, ${priorName} prior`;
      say();
      say(`### Schedule ${schedule.id}: ${schedule.text} — ${priorName === 'cohort' ? 'cohort-estimated prior' : 'policy default prior'}`);
      say();
      say(`| CV | depth | markers |${priorName === 'cohort' ? ' prior CV |' : ''} false alarms (upper 95%) | ruled out | undecided | power 2× | power 4× | 2× ruled out | fold coverage | TF coverage |`);
      say(`|---|---|---|${priorName === 'cohort' ? '---|' : ''}---|---|---|---|---|---|---|---|`);
      for (const cv of CVS) for (const depth of DEPTHS) for (const markers of MARKERS) {
        const s = at(cv, depth, markers, 1);
        const p2 = at(cv, depth, markers, 2);
        const p4 = at(cv, depth, markers, 4);
        const fa = rate(s.progression, s.n);
        const up = upperBound95(s.progression, s.n);
        noteFalseAlarm(goals, priorName, up, fa, `schedule ${schedule.id}, CV ${pct(cv, 0)}, ${depth}×, ${markers} marker(s)`);
        const cover = [s, p2, p4].reduce((a, c) => a + c.covered, 0) / [s, p2, p4].reduce((a, c) => a + c.withInterval, 0);
        const tfCover = [s, p2, p4].reduce((a, c) => a + c.tfCovered, 0) / [s, p2, p4].reduce((a, c) => a + c.tfDraws, 0);
        goals.coverage = { min: Math.min(goals.coverage.min, cover), max: Math.max(goals.coverage.max, cover) };
        goals.tfCoverage = { min: Math.min(goals.tfCoverage.min, tfCover), max: Math.max(goals.tfCoverage.max, tfCover) };
        if (cv <= 0.15 && depth === 1500 && markers === 1) goals.ruleOut.push({ table: `${table}, CV ${pct(cv, 0)}`, share: rate(s.ruledOut, s.n) });
        const priorCol = priorName === 'cohort' ? ` ${cohortFor(cv, depth, markers).cv.toFixed(2)} |` : '';
        say(`| ${pct(cv, 0)} | ${depth} | ${markers} |${priorCol} ${pct(fa, 2)} (${pct(up, 2)}) | ${pct(rate(s.ruledOut, s.n))} | ${pct(rate(s.undecided + s.notEvaluable, s.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p4.progression, p4.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} | ${pct(cover)} | ${pct(tfCover)} |`);
      }
    }
  }

  // Holm over two window draws.
  const holm = SCHEDULES.find((s) => s.window === 2)!;
  const holmReq: CellRequest[] = [];
  for (const priorName of ['cohort', 'default'] as const) for (const cv of CVS) for (const markers of [1, 4]) {
    holmReq.push({ table: 'holm', schedule: holm, priorName, prior: priorName === 'cohort' ? cohortFor(cv, 1500, markers) : o.defaultPrior, spec: spec(cv, 1500, markers, holm, 1) });
  }
  const holmRes = await runCells(o, holmReq);
  say();
  say(`### Schedule ${holm.id}: ${holm.text}, stable series, 1,500×`);
  say();
  say('| prior | CV | markers | false alarms (upper 95%) | ruled out | undecided |');
  say('|---|---|---|---|---|---|');
  holmReq.forEach((r, i) => {
    const s = holmRes[i];
    const up = upperBound95(s.progression, s.n);
    noteFalseAlarm(goals, r.priorName, up, rate(s.progression, s.n), `schedule C, CV ${pct(r.spec.cv, 0)}, 1500×, ${r.spec.markers} marker(s)`);
    say(`| ${r.priorName} | ${pct(r.spec.cv, 0)} | ${r.spec.markers} | ${pct(rate(s.progression, s.n), 2)} (${pct(up, 2)}) | ${pct(rate(s.ruledOut, s.n))} | ${pct(rate(s.undecided + s.notEvaluable, s.n))} |`);
  });

  // Misspecified priors: a cohort estimate from one CV applied to series of another.
  const schedA = SCHEDULES[0];
  const pairs: [number, number][] = [[0.15, 0.5], [0.3, 0.5], [0.5, 0.15], [0, 0.3]];
  const misReq: CellRequest[] = [];
  for (const [from, to] of pairs) for (const markers of [1, 4]) for (const fold of [1, 2]) {
    misReq.push({ table: 'misspecified', schedule: schedA, priorName: `cohort@${from}`, prior: cohortFor(from, 1500, markers), spec: spec(to, 1500, markers, schedA, fold) });
  }
  const misRes = await runCells(o, misReq);
  say();
  say(`### Misspecified prior (schedule A, 1,500×): a cohort estimate from series of one CV applied to series of another`);
  say();
  say('| prior from cohort at CV | series CV | markers | prior CV used | false alarms (upper 95%) | ruled out | power 2× | 2× ruled out |');
  say('|---|---|---|---|---|---|---|---|');
  for (let i = 0; i < misReq.length; i += 2) {
    const r = misReq[i];
    const s = misRes[i];
    const p2 = misRes[i + 1];
    const from = Number(r.priorName.split('@')[1]);
    say(`| ${pct(from, 0)} | ${pct(r.spec.cv, 0)} | ${r.spec.markers} | ${r.prior.cv.toFixed(2)} | ${pct(rate(s.progression, s.n), 2)} (${pct(upperBound95(s.progression, s.n), 2)}) | ${pct(rate(s.ruledOut, s.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} |`);
  }

  // A response before the nadir: the first draw at 5× the nadir level (the phase must leave it out).
  const respReq: CellRequest[] = [];
  const schedR: Schedule = { id: 'R', before: 4, window: 1, text: 'a 5-fold response: draw 1 at 5× the level of draws 2–4, then the window draw' };
  for (const cv of [0.15, 0.3]) for (const fold of [1, 2, 4]) respReq.push({ table: 'response', schedule: schedR, priorName: 'cohort', prior: cohortFor(cv, 1500, 2), spec: spec(cv, 1500, 2, schedR, fold, { baselineFold: 5 }) });
  const respRes = await runCells(o, respReq);
  say();
  say(`### ${schedR.text} (1,500×, 2 markers, cohort prior)`);
  say();
  say('| CV | true fold | progression | ruled out | undecided | fold coverage |');
  say('|---|---|---|---|---|---|');
  respReq.forEach((r, i) => {
    const s = respRes[i];
    say(`| ${pct(r.spec.cv, 0)} | ${r.spec.fold} | ${pct(rate(s.progression, s.n), 2)} | ${pct(rate(s.ruledOut, s.n))} | ${pct(rate(s.undecided + s.notEvaluable, s.n))} | ${pct(rate(s.covered, s.withInterval))} |`);
  });

  say();
  say('### Goals (longitudinal)');
  say();
  for (const [prior, fa] of goals.worstFalseAlarm) {
    say(`- false alarms, ${prior} prior: upper 95% Monte-Carlo bound ≤ α = ${st.alpha} in every cell: worst ${pct(fa.upper, 2)} (observed ${pct(fa.observed, 2)}; ${fa.where}) — ${fa.upper <= st.alpha ? 'met' : 'NOT met'}`);
  }
  for (const r of goals.ruleOut) say(`- one marker at 2%, 1,500×: stable series ruled out ≥ 80% (${r.table}): ${pct(r.share)} — ${r.share >= 0.8 ? 'met' : 'NOT met'}`);
  say(`- fold-interval coverage 93–97% (goal): ${pct(goals.coverage.min)}–${pct(goals.coverage.max)} over the cells — ${goals.coverage.min >= 0.93 && goals.coverage.max <= 0.97 ? 'met' : 'NOT met'}`);
  say(`- tumour-fraction interval coverage (95% nominal): ${pct(goals.tfCoverage.min)}–${pct(goals.tfCoverage.max)} over the cells`);
}

function noteFalseAlarm(goals: Goals, prior: string, upper: number, observed: number, where: string): void {
  const cur = goals.worstFalseAlarm.get(prior);
  if (!cur || upper > cur.upper) goals.worstFalseAlarm.set(prior, { upper, observed, where });
}
