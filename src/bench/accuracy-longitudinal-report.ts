/**
 * Tables of the longitudinal section of `npm run accuracy` (Markdown, also written by --out):
 * builds the cell requests, runs them, and states each goal as met or NOT met with its figure.
 * The goals are judged on the default path (the prior as `classify` chooses it by default).
 */
import type { ResolvedPrior } from '../timeline/longitudinal/resolve.js';
import { mix32 } from '../simulate/rng.js';
import {
  ACROSS_COHORTS,
  COHORT,
  type CellRequest,
  type CohortCell,
  CVS,
  defaultPathPrior,
  DEPTHS,
  LIMIT_COHORT,
  type LongitudinalOptions,
  MARKERS,
  RHO,
  runCells,
  type Schedule,
  schedule,
  SMALL_COHORT,
  upperBound95,
  VAF,
} from './accuracy-longitudinal.js';
import { addCounts, emptyCounts, type SeriesCounts } from './accuracy-longitudinal-tasks.js';
import { backgroundSection } from './accuracy-background.js';
import { mixedCohortSection } from './accuracy-mixed.js';
import { f2, pct, priorText, rate } from './accuracy-format.js';

interface Worst {
  upper: number;
  observed: number;
  where: string;
}

interface Goals {
  /** Worst false-alarm cell of the default path (and of the other tables, reported apart). */
  worstFalseAlarm: Map<string, Worst>;
  /** `judged`: the goal's figure (over independent cohorts); else one cohort's, reported. */
  ruleOut: { where: string; share: number; reassurance: number; judged: boolean }[];
  coverage: { min: number; max: number; where: string };
  reassurance: Worst;
  /** Worst cell of real 2-fold rises ruled out, averaged over independent cohorts. */
  reassuranceAcross: Worst;
  tfCoverage: { min: number; max: number };
}

export async function longitudinalSection(o: LongitudinalOptions, say: (s?: string) => void): Promise<void> {
  const goals: Goals = {
    worstFalseAlarm: new Map(),
    ruleOut: [],
    coverage: { min: 1, max: 0, where: '' },
    reassurance: { upper: 0, observed: 0, where: '' },
    reassuranceAcross: { upper: 0, observed: 0, where: '' },
    tfCoverage: { min: 1, max: 0 },
  };
  const spec = (cell: CohortCell, s: Schedule, fold: number, extra: object = {}) => ({
    ...cell,
    before: s.before,
    window: s.window,
    fold,
    ...extra,
  });
  const cellOf = (cv: number, depth: number, markers: number, extra: Partial<CohortCell> = {}): CohortCell => ({
    cv,
    depth,
    markers,
    vaf: VAF,
    rho: RHO,
    ...extra,
  });
  const priors = new Map<string, ResolvedPrior>();
  const priorFor = (cell: CohortCell, size = COHORT): ResolvedPrior => {
    const key = JSON.stringify([cell, size]);
    if (!priors.has(key)) priors.set(key, defaultPathPrior(o, cell, size));
    return priors.get(key)!;
  };
  const st = o.settings;
  const ps = o.priorSettings;
  const noteFalseAlarm = (table: string, s: SeriesCounts, where: string) => {
    const up = upperBound95(s.progression, s.n);
    const cur = goals.worstFalseAlarm.get(table);
    if (!cur || up > cur.upper) goals.worstFalseAlarm.set(table, { upper: up, observed: rate(s.progression, s.n), where });
  };

  say('## Longitudinal: the molecular-progression decision');
  say();
  say(
    `Count-level simulation (docs/methods/accuracy.md): tumour allele fraction ${pct(VAF, 0)} at the nadir, site factors exp(N(0, 0.3²)), site × draw beta-binomial ρ = ${RHO}, depth × exp(N(0, 0.25²)), background 1e-4; ${o.seriesPerCell.toLocaleString('en-US')} series per cell and truth.`,
  );
  say(
    `Decision: fold ≥ ${st.fold} and Holm p < ${st.alpha} → progression; upper one-sided ${pct(st.ruleOutLevel, 0)} bound < ${st.fold} → ruled out; else undecided; nadir phase at p < ${st.phaseAlpha}. Coverage: the ${pct(st.intervalLevel, 0)} fold interval of the last window draw contains the true fold; TF coverage: the window draw's tumour-fraction interval contains its true tumour fraction.`,
  );
  say(
    `Default path (\`classify --between-draw-prior auto\`): the prior is estimated (resolve.ts) from a separate simulated cohort of the cell's kind, ${COHORT.patients} patients × ${COHORT.draws} draws, every tenth with a real 3-fold rise in its last two draws, used when ≥ ${ps.minPatients} patients and ≥ ${ps.minDf} effective df, else the policy default (CV ${ps.fallback.cv}, ${ps.fallback.df} df). Prior column: cohort CV / CV the rise test assumes (upper ${pct(ps.testLevel, 0)} bound) / df (with the between-patient df estimated from the cohort, at most ${ps.betweenPatientDf}).`,
  );

  const fullGrid = async (s: Schedule) => {
    const requests: CellRequest[] = [];
    for (const cv of CVS)
      for (const depth of DEPTHS)
        for (const markers of MARKERS)
          for (const fold of [1, 2, 3, 4]) {
            const cell = cellOf(cv, depth, markers);
            requests.push({ table: 'main', schedule: s, priorName: 'auto', prior: priorFor(cell).prior, spec: spec(cell, s, fold) });
          }
    const res = await runCells(o, requests);
    const at = (cv: number, depth: number, markers: number, fold: number) =>
      res[requests.findIndex((r) => r.spec.cv === cv && r.spec.depth === depth && r.spec.markers === markers && r.spec.fold === fold)];
    say();
    say(`### Schedule ${s.id}: ${s.text} — default path`);
    say();
    say(
      '| CV | depth | markers | prior | false alarms (upper 95%) | ruled out | undecided | power 2× | power 3× | power 4× | 2× ruled out | fold coverage | TF coverage |',
    );
    say('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const cv of CVS)
      for (const depth of DEPTHS)
        for (const markers of MARKERS) {
          const [z, p2, p3, p4] = [1, 2, 3, 4].map((f) => at(cv, depth, markers, f));
          const where = `schedule ${s.id}, CV ${pct(cv, 0)}, ${depth}×, ${markers} marker(s)`;
          noteFalseAlarm('default path', z, where);
          const cover = [z, p2, p3, p4].reduce((a, c) => a + c.covered, 0) / [z, p2, p3, p4].reduce((a, c) => a + c.withInterval, 0);
          const tfCover = [z, p2, p3, p4].reduce((a, c) => a + c.tfCovered, 0) / [z, p2, p3, p4].reduce((a, c) => a + c.tfDraws, 0);
          if (cover < goals.coverage.min) goals.coverage = { ...goals.coverage, min: cover, where: `${where} (lowest)` };
          goals.coverage.max = Math.max(goals.coverage.max, cover);
          goals.tfCoverage = { min: Math.min(goals.tfCoverage.min, tfCover), max: Math.max(goals.tfCoverage.max, tfCover) };
          const fr = rate(p2.ruledOut, p2.n);
          if (fr > goals.reassurance.observed) goals.reassurance = { observed: fr, upper: upperBound95(p2.ruledOut, p2.n), where };
          if (cv <= 0.15 && depth === 1500 && markers === 1)
            goals.ruleOut.push({ where, share: rate(z.ruledOut, z.n), reassurance: fr, judged: false });
          say(
            `| ${pct(cv, 0)} | ${depth} | ${markers} | ${priorText(priorFor(cellOf(cv, depth, markers)))} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(z.undecided + z.notEvaluable, z.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p3.progression, p3.n))} | ${pct(rate(p4.progression, p4.n))} | ${pct(fr, 2)} | ${pct(cover)} | ${pct(tfCover)} |`,
          );
        }
  };
  await fullGrid(schedule('A'));
  await fullGrid(schedule('B'));

  // Ruled out by the number of draws (the goal's cell and its neighbours).
  {
    const requests: CellRequest[] = [];
    for (const id of ['D5', 'D6'])
      for (const cv of [0, 0.15, 0.3])
        for (const markers of [1, 2])
          for (const fold of [1, 2]) {
            const cell = cellOf(cv, 1500, markers);
            requests.push({
              table: 'draws',
              schedule: schedule(id),
              priorName: 'auto',
              prior: priorFor(cell).prior,
              spec: spec(cell, schedule(id), fold),
            });
          }
    const res = await runCells(o, requests);
    say();
    say('### Five and six draws (4 or 5 before the window, 1 in it), 1,500× — default path');
    say();
    say('| draws | CV | markers | false alarms (upper 95%) | ruled out | 2× ruled out | power 2× |');
    say('|---|---|---|---|---|---|---|');
    for (let i = 0; i < requests.length; i += 2) {
      const r = requests[i];
      const [z, p2] = [res[i], res[i + 1]];
      const where = `${r.schedule.before + r.schedule.window} draws, CV ${pct(r.spec.cv, 0)}, 1500×, ${r.spec.markers} marker(s)`;
      noteFalseAlarm('default path', z, where);
      if (r.spec.cv <= 0.15 && r.spec.markers === 1)
        goals.ruleOut.push({ where, share: rate(z.ruledOut, z.n), reassurance: rate(p2.ruledOut, p2.n), judged: false });
      say(
        `| ${r.schedule.before + r.schedule.window} | ${pct(r.spec.cv, 0)} | ${r.spec.markers} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} | ${pct(rate(p2.progression, p2.n))} |`,
      );
    }
  }

  // One stable marker across cohorts: the rule-out share depends on the cohort the prior came from,
  // so the goal is judged over independent cohorts (a lab's cohort is a random draw too), beside the
  // ceiling a 95% rule-out bound has when the CV is known.
  {
    const size = COHORT;
    const perCohort = Math.max(1, Math.ceil(o.seriesPerCell / ACROSS_COHORTS));
    const requests: CellRequest[] = [];
    const rows: { id: string; cv: number; judged: boolean; prior: string; from: number; to: number }[] = [];
    for (const id of ['A', 'D5'])
      for (const cv of [0, 0.15]) {
        const cell = cellOf(cv, 1500, 1);
        const s = schedule(id);
        const add = (prior: string, resolved: ResolvedPrior, k: number, series?: number) => {
          for (const fold of [1, 2])
            requests.push({
              table: 'across',
              schedule: s,
              priorName: `${prior}#${k}`,
              prior: resolved.prior,
              spec: spec(cell, s, fold),
              series,
            });
        };
        let from = requests.length;
        for (let k = 0; k < ACROSS_COHORTS; k++)
          add('cohort', defaultPathPrior({ ...o, runSeed: mix32(o.runSeed, 0x4000 + k) }, cell, size), k, perCohort);
        rows.push({
          id,
          cv,
          judged: true,
          prior: `${ACROSS_COHORTS} cohorts of ${size.patients} patients × ${size.draws} draws`,
          from,
          to: requests.length,
        });
        from = requests.length;
        add('limit', defaultPathPrior(o, cell, LIMIT_COHORT), 0);
        rows.push({
          id,
          cv,
          judged: false,
          prior: `one cohort of ${LIMIT_COHORT.patients.toLocaleString('en-US')} patients (the estimate's limit)`,
          from,
          to: requests.length,
        });
        from = requests.length;
        const effective = Math.sqrt(cv * cv + RHO / VAF);
        const effectivePrior = { cv: effective, df: 1e9, source: 'effective CV' };
        add('effective', { prior: effectivePrior, basis: 'measured', note: '', estimate: null }, 0);
        rows.push({ id, cv, judged: false, prior: `the effective CV ${f2(effective)}, no uncertainty`, from, to: requests.length });
        // The same series (same seed key) judged by the reference test that knows σ² and ρ.
        from = requests.length;
        for (const fold of [1, 2])
          requests.push({
            table: 'across',
            schedule: s,
            priorName: 'effective#0',
            prior: effectivePrior,
            spec: spec(cell, s, fold),
            reference: { sigma2: Math.log1p(cv * cv), rho: RHO },
          });
        rows.push({
          id,
          cv,
          judged: false,
          prior: 'reference: the exact conditional test, CV and ρ known (not the model)',
          from,
          to: requests.length,
        });
      }
    const res = await runCells(o, requests);
    say();
    say('### One stable marker at 2%, 1,500×, across cohorts');
    say();
    say(
      `The rule-out share of a one-marker patient rests on the cohort's CV estimate, which varies between cohorts of ${size.patients} patients; here each of ${ACROSS_COHORTS} independent cohorts (default path) judges ${perCohort.toLocaleString('en-US')} stable series and as many real 2-fold rises. For comparison (${o.seriesPerCell.toLocaleString('en-US')} series each), the prior of a ${LIMIT_COHORT.patients.toLocaleString('en-US')}-patient cohort (still with the policy's between-patient cap), and the effective CV of one marker in this simulation, √(CV² + ρ/VAF) (between-draw variation plus the site × draw noise a single site cannot tell from it; a first-order approximation), with no uncertainty; and, on the same series, a reference test that is not the model: the exact conditional (binomial) test of the window's share of the reads, mixed over the between-draw variation, with the CV and the site × draw ρ both known and ρ's part shrinking as the level rises (src/bench/accuracy-frontier.ts; with Poisson counts, in its randomised form, the uniformly most powerful unbiased test; mid-p stands in for the randomisation). Its row is the best a valid ${pct(st.ruleOutLevel, 0)} rule-out can do here; no lab knows ρ for a single marker, nor the CV without a cohort.`,
    );
    say();
    say('| draws | CV | prior | false alarms (upper 95%) | ruled out: all (cohorts: min–median–max) | 2× ruled out |');
    say('|---|---|---|---|---|---|');
    for (const r of rows) {
      const stable = res.slice(r.from, r.to).filter((_, j) => j % 2 === 0);
      const rises = res.slice(r.from, r.to).filter((_, j) => j % 2 === 1);
      const z = stable.reduce(addCounts, emptyCounts());
      const p2 = rises.reduce(addCounts, emptyCounts());
      const shares = stable.map((c) => rate(c.ruledOut, c.n)).sort((a, b) => a - b);
      const spreadText =
        shares.length > 1 ? ` (${pct(shares[0])}–${pct(shares[Math.floor(shares.length / 2)])}–${pct(shares[shares.length - 1])})` : '';
      const s = schedule(r.id);
      const draws = s.before + s.window;
      const where = `${draws} draws, CV ${pct(r.cv, 0)}, 1500×, 1 marker, ${r.prior}`;
      if (r.judged) {
        noteFalseAlarm('default path', z, where);
        goals.ruleOut.push({ where, share: rate(z.ruledOut, z.n), reassurance: rate(p2.ruledOut, p2.n), judged: true });
      }
      say(
        `| ${draws} | ${pct(r.cv, 0)} | ${r.prior} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))}${spreadText} | ${pct(rate(p2.ruledOut, p2.n), 2)} |`,
      );
    }
  }

  // False reassurance across cohorts: one cohort's estimate moves a whole cell's share of real rises
  // ruled out (the rule-out bound takes the cohort's CV, not its upper bound), so the main grids'
  // cells show the luck of their cohort; a lab's cohort is one draw of it, and this is the average.
  {
    const size = COHORT;
    const perCohort = Math.max(1, Math.ceil(o.seriesPerCell / ACROSS_COHORTS));
    const requests: CellRequest[] = [];
    const rows: { id: string; cv: number; depth: number; markers: number; from: number; to: number }[] = [];
    for (const id of ['A', 'B'])
      for (const cv of [0.3, 0.5])
        for (const depth of [300, 1500])
          for (const markers of [1, 2]) {
            const cell = cellOf(cv, depth, markers);
            const s = schedule(id);
            const from = requests.length;
            for (let k = 0; k < ACROSS_COHORTS; k++) {
              const resolved = defaultPathPrior({ ...o, runSeed: mix32(o.runSeed, 0x5000 + k) }, cell, size);
              requests.push({
                table: 'reassurance',
                schedule: s,
                priorName: `cohort#${k}`,
                prior: resolved.prior,
                spec: spec(cell, s, 2),
                series: perCohort,
              });
            }
            rows.push({ id, cv, depth, markers, from, to: requests.length });
          }
    const res = await runCells(o, requests);
    say();
    say('### Real 2-fold rises ruled out, across cohorts — default path');
    say();
    say(
      `Each of ${ACROSS_COHORTS} independent cohorts of ${size.patients} patients × ${size.draws} draws gives the prior for ${perCohort.toLocaleString('en-US')} series with a real 2-fold rise in the window draw (nominal ≤ ${pct(1 - st.ruleOutLevel, 0)}).`,
    );
    say();
    say('| schedule | CV | depth | markers | 2× ruled out: all (upper 95%) | cohorts: min–median–max |');
    say('|---|---|---|---|---|---|');
    for (const r of rows) {
      const per = res.slice(r.from, r.to);
      const all = per.reduce(addCounts, emptyCounts());
      const shares = per.map((c) => rate(c.ruledOut, c.n)).sort((a, b) => a - b);
      const share = rate(all.ruledOut, all.n);
      const where = `schedule ${r.id}, CV ${pct(r.cv, 0)}, ${r.depth}×, ${r.markers} marker(s)`;
      if (share > goals.reassuranceAcross.observed)
        goals.reassuranceAcross = { observed: share, upper: upperBound95(all.ruledOut, all.n), where };
      say(
        `| ${r.id} | ${pct(r.cv, 0)} | ${r.depth} | ${r.markers} | ${pct(share, 2)} (${pct(upperBound95(all.ruledOut, all.n), 2)}) | ${pct(shares[0])}–${pct(shares[Math.floor(shares.length / 2)])}–${pct(shares[shares.length - 1])} |`,
      );
    }
  }

  // Holm over two window draws.
  {
    const holm = schedule('C');
    const requests: CellRequest[] = [];
    for (const cv of CVS)
      for (const markers of [1, 4]) {
        const cell = cellOf(cv, 1500, markers);
        requests.push({ table: 'holm', schedule: holm, priorName: 'auto', prior: priorFor(cell).prior, spec: spec(cell, holm, 1) });
      }
    const res = await runCells(o, requests);
    say();
    say(`### Schedule ${holm.id}: ${holm.text}, stable series, 1,500× — default path`);
    say();
    say('| CV | markers | false alarms (upper 95%) | ruled out | undecided |');
    say('|---|---|---|---|---|');
    requests.forEach((r, i) => {
      const z = res[i];
      noteFalseAlarm('default path', z, `schedule C, CV ${pct(r.spec.cv, 0)}, 1500×, ${r.spec.markers} marker(s)`);
      say(
        `| ${pct(r.spec.cv, 0)} | ${r.spec.markers} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(z.undecided + z.notEvaluable, z.n))} |`,
      );
    });
  }

  // Other priors on schedule A at 1,500×: a small cohort's default path, and the policy default alone.
  const sideTable = async (title: string, table: string, resolve: (cell: CohortCell) => ResolvedPrior) => {
    const s = schedule('A');
    const requests: CellRequest[] = [];
    for (const cv of CVS)
      for (const markers of [1, 4])
        for (const fold of [1, 2, 4]) {
          const cell = cellOf(cv, 1500, markers);
          requests.push({ table, schedule: s, priorName: table, prior: resolve(cell).prior, spec: spec(cell, s, fold) });
        }
    const res = await runCells(o, requests);
    say();
    say(`### ${title}`);
    say();
    say('| CV | markers | prior | false alarms (upper 95%) | ruled out | undecided | power 2× | power 4× | 2× ruled out | fold coverage |');
    say('|---|---|---|---|---|---|---|---|---|---|');
    for (let i = 0; i < requests.length; i += 3) {
      const r = requests[i];
      const [z, p2, p4] = [res[i], res[i + 1], res[i + 2]];
      noteFalseAlarm(table, z, `CV ${pct(r.spec.cv, 0)}, 1500×, ${r.spec.markers} marker(s)`);
      const cover = [z, p2, p4].reduce((a, c) => a + c.covered, 0) / [z, p2, p4].reduce((a, c) => a + c.withInterval, 0);
      say(
        `| ${pct(r.spec.cv, 0)} | ${r.spec.markers} | ${priorText(resolve(cellOf(r.spec.cv, 1500, r.spec.markers)))} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(z.undecided + z.notEvaluable, z.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p4.progression, p4.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} | ${pct(cover)} |`,
      );
    }
  };
  await sideTable(
    `Small cohort (${SMALL_COHORT.patients} patients × ${SMALL_COHORT.draws} draws), schedule A, 1,500× — default path`,
    'small cohort',
    (cell) => priorFor(cell, SMALL_COHORT),
  );
  const fallback: ResolvedPrior = { prior: ps.fallback, basis: 'default', note: '', estimate: null };
  await sideTable(
    'No cohort: the policy default prior (`--between-draw-prior default`), schedule A, 1,500×',
    'policy default',
    () => fallback,
  );

  // Patients who differ: each patient's CV log-uniform in 10–60%, cohort and series alike.
  {
    const requests: CellRequest[] = [];
    for (const id of ['A', 'B'])
      for (const markers of [1, 4])
        for (const fold of [1, 2, 4]) {
          const cell = cellOf(0.3, 1500, markers, { cvRange: [0.1, 0.6] });
          requests.push({
            table: 'spread',
            schedule: schedule(id),
            priorName: 'auto',
            prior: priorFor(cell).prior,
            spec: spec(cell, schedule(id), fold),
          });
        }
    const res = await runCells(o, requests);
    say();
    say("### Patients who differ: each patient's between-draw CV log-uniform in 10–60% (cohort and series alike), 1,500× — default path");
    say();
    say('| schedule | markers | prior | false alarms (upper 95%) | ruled out | power 2× | power 4× | 2× ruled out | fold coverage |');
    say('|---|---|---|---|---|---|---|---|---|');
    for (let i = 0; i < requests.length; i += 3) {
      const r = requests[i];
      const [z, p2, p4] = [res[i], res[i + 1], res[i + 2]];
      noteFalseAlarm('default path', z, `patients' CV 10–60%, schedule ${r.schedule.id}, 1500×, ${r.spec.markers} marker(s)`);
      const cover = [z, p2, p4].reduce((a, c) => a + c.covered, 0) / [z, p2, p4].reduce((a, c) => a + c.withInterval, 0);
      say(
        `| ${r.schedule.id} | ${r.spec.markers} | ${priorText(priorFor(cellOf(0.3, 1500, r.spec.markers, { cvRange: [0.1, 0.6] })))} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p4.progression, p4.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} | ${pct(cover)} |`,
      );
    }
  }

  // Misspecified priors: the default path's prior from a cohort of one CV applied to series of another.
  {
    const s = schedule('A');
    const pairs: [number, number][] = [
      [0.15, 0.5],
      [0.3, 0.5],
      [0.5, 0.15],
      [0, 0.3],
    ];
    const requests: CellRequest[] = [];
    for (const [from, to] of pairs)
      for (const markers of [1, 4])
        for (const fold of [1, 2]) {
          requests.push({
            table: 'misspecified',
            schedule: s,
            priorName: `cohort@${from}`,
            prior: priorFor(cellOf(from, 1500, markers)).prior,
            spec: spec(cellOf(to, 1500, markers), s, fold),
          });
        }
    const res = await runCells(o, requests);
    say();
    say("### Misspecified prior (schedule A, 1,500×): the default path's prior from a cohort of one CV applied to patients of another");
    say();
    say("| cohort CV | patients' CV | markers | prior | false alarms (upper 95%) | ruled out | power 2× | 2× ruled out |");
    say('|---|---|---|---|---|---|---|---|');
    for (let i = 0; i < requests.length; i += 2) {
      const r = requests[i];
      const [z, p2] = [res[i], res[i + 1]];
      const from = Number(r.priorName.split('@')[1]);
      noteFalseAlarm('misspecified', z, `cohort CV ${pct(from, 0)}, patients ${pct(r.spec.cv, 0)}, ${r.spec.markers} marker(s)`);
      say(
        `| ${pct(from, 0)} | ${pct(r.spec.cv, 0)} | ${r.spec.markers} | ${priorText(priorFor(cellOf(from, 1500, r.spec.markers)))} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} |`,
      );
    }
  }

  // A response before the nadir: the first draw at 5× the nadir level (the phase must leave it out).
  {
    const schedR: Schedule = {
      id: 'R',
      before: 4,
      window: 1,
      text: 'a 5-fold response: draw 1 at 5× the level of draws 2–4, then the window draw',
    };
    const requests: CellRequest[] = [];
    for (const cv of [0.15, 0.3])
      for (const fold of [1, 2, 4]) {
        const cell = cellOf(cv, 1500, 2);
        requests.push({
          table: 'response',
          schedule: schedR,
          priorName: 'auto',
          prior: priorFor(cell).prior,
          spec: spec(cell, schedR, fold, { baselineFold: 5 }),
        });
      }
    const res = await runCells(o, requests);
    say();
    say(`### ${schedR.text} (1,500×, 2 markers) — default path`);
    say();
    say('| CV | true fold | progression | ruled out | undecided | fold coverage |');
    say('|---|---|---|---|---|---|');
    requests.forEach((r, i) => {
      const z = res[i];
      if (r.spec.fold === 1) noteFalseAlarm('default path', z, `5-fold response first, CV ${pct(r.spec.cv, 0)}, 1500×, 2 markers`);
      say(
        `| ${pct(r.spec.cv, 0)} | ${r.spec.fold} | ${pct(rate(z.progression, z.n), 2)} | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(z.undecided + z.notEvaluable, z.n))} | ${pct(rate(z.covered, z.withInterval))} |`,
      );
    });
  }

  const mixed = await mixedCohortSection(o, say);
  noteFalseAlarm('default path', mixed.stable, mixed.where);

  const nearBackground = await backgroundSection(o, say);
  noteFalseAlarm('near the background', nearBackground.stable, nearBackground.where);
  noteFalseAlarm(
    "near the background, sites' rates spread around the given one",
    nearBackground.spread.stable,
    nearBackground.spread.where,
  );

  say();
  say('### Goals (longitudinal)');
  say();
  for (const [table, fa] of goals.worstFalseAlarm) {
    const judged = table === 'default path' ? (fa.upper <= st.alpha ? 'met' : 'NOT met') : 'reported';
    say(
      `- false alarms, ${table}: upper 95% Monte-Carlo bound ≤ α = ${st.alpha} in every cell: worst ${pct(fa.upper, 2)} (observed ${pct(fa.observed, 2)}; ${fa.where}) — ${judged}`,
    );
  }
  for (const r of goals.ruleOut)
    say(
      `- one marker at 2%, 1,500×, default path: stable series ruled out ≥ 80% (${r.where}): ${pct(r.share)} (real 2-fold rises ruled out ${pct(r.reassurance, 2)}) — ${r.judged ? (r.share >= 0.8 ? 'met' : 'NOT met') : 'reported (one cohort; judged across cohorts)'}`,
    );
  say(
    `- fold-interval coverage 93–97% (default path, main grids): ${pct(goals.coverage.min)}–${pct(goals.coverage.max)} over the cells (lowest: ${goals.coverage.where}) — ${goals.coverage.min >= 0.93 && goals.coverage.max <= 0.97 ? 'met' : 'NOT met'}`,
  );
  say(
    `- real 2-fold rises ruled out (false reassurance, nominal ≤ 5%; main grids): worst ${pct(goals.reassurance.observed, 2)} (upper 95% ${pct(goals.reassurance.upper, 2)}; ${goals.reassurance.where})`,
  );
  say(
    `- real 2-fold rises ruled out, averaged over ${ACROSS_COHORTS} cohorts (CV 30–50%, 300–1,500×, 1–2 markers): worst ${pct(goals.reassuranceAcross.observed, 2)} (upper 95% ${pct(goals.reassuranceAcross.upper, 2)}; ${goals.reassuranceAcross.where})`,
  );
  say(`- tumour-fraction interval coverage (95% nominal): ${pct(goals.tfCoverage.min)}–${pct(goals.tfCoverage.max)} over the cells`);
  say(
    `- real 2-fold rises ruled out near the background (nominal ≤ 5%): worst ${pct(nearBackground.reassurance.observed, 2)} (upper 95% ${pct(nearBackground.reassurance.upper, 2)}; ${nearBackground.reassurance.where})`,
  );
  const sp = nearBackground.spread.reassurance;
  say(
    `- the same with the sites' true background rates spread around the one the model is given (nominal ≤ 5%): worst ${pct(sp.observed, 2)} (upper 95% ${pct(sp.upper, 2)}; ${sp.where}) — reported`,
  );
}
