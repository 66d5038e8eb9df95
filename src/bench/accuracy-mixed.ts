/**
 * One-marker patients in a lab's cohort of multi-marker patients (docs/methods/accuracy.md): the
 * cohort's between-draw CV holds only about 1/m of the site × draw noise (its patients' pooled draws
 * average it over m sites), and a one-site patient takes that noise from the cohort's site × draw ICC
 * (an upper bound; src/timeline/longitudinal/site-icc.ts). The noise weighs most at a low allele
 * fraction (ρ(1 − p)/p on a draw's log level), so the table takes the one-marker patient at 2% and
 * 0.5%, with four times the run's series per cell: at 0.5% the false alarms sit near α, and 5,000
 * series leave an upper bound about 0.25 points above the observed rate.
 */
import { pct, priorText, rate } from './accuracy-format.js';
import {
  type CellRequest,
  type CohortCell,
  COHORT,
  defaultPathPrior,
  type LongitudinalOptions,
  RHO,
  runCells,
  schedule,
  upperBound95,
  VAF,
} from './accuracy-longitudinal.js';
import { emptyCounts, type SeriesCounts } from './accuracy-longitudinal-tasks.js';

/** Markers of the cohort's patients, depth, the one-marker patients' allele fractions, and series per cell over the run's. */
export const MIXED = { cohortMarkers: 4, depth: 1500, cvs: [0.15, 0.3], vafs: [0.02, 0.005], seriesFactor: 4 };

export interface MixedCohort {
  /** The stable series of the cell with the highest false-alarm bound, and where it was. */
  stable: SeriesCounts;
  where: string;
}

export async function mixedCohortSection(o: LongitudinalOptions, say: (s?: string) => void): Promise<MixedCohort> {
  const s = schedule('A');
  const requests: CellRequest[] = [];
  const rows: { cv: number; vaf: number; prior: string; judged: boolean; from: number }[] = [];
  for (const cv of MIXED.cvs) {
    const cohortCell: CohortCell = { cv, depth: MIXED.depth, markers: MIXED.cohortMarkers, vaf: VAF, rho: RHO };
    const resolved = defaultPathPrior(o, cohortCell, COHORT);
    const icc = resolved.estimate?.siteDrawIcc;
    const iccText = icc ? `${icc.rho.toPrecision(2)} (bound ${resolved.prior.siteIcc?.rho.toPrecision(2)})` : 'none';
    // The same prior without the ICC (a one-site patient on φ = 1, as before the ICC), on the same
    // series (same seed key): what the ICC changes.
    const { siteIcc: _unused, ...withoutIcc } = resolved.prior;
    for (const vaf of MIXED.vafs)
      for (const [prior, text, judged] of [
        [resolved.prior, `${priorText(resolved)}; ICC ${iccText}`, true],
        [withoutIcc, `the same without the ICC (φ = 1)`, false],
      ] as const) {
        rows.push({ cv, vaf, prior: text, judged, from: requests.length });
        for (const fold of [1, 2])
          requests.push({
            table: 'mixed',
            schedule: s,
            priorName: `cohort${MIXED.cohortMarkers}`,
            prior,
            spec: { cv, depth: MIXED.depth, markers: 1, vaf, rho: RHO, before: s.before, window: s.window, fold },
            series: MIXED.seriesFactor * o.seriesPerCell,
          });
      }
  }
  const res = await runCells(o, requests);
  say();
  say(
    `### One marker in a cohort of ${MIXED.cohortMarkers}-marker patients (schedule A, ${MIXED.depth.toLocaleString('en-US')}×) — default path`,
  );
  say();
  say(
    `The prior comes from a cohort of ${COHORT.patients} patients with ${MIXED.cohortMarkers} markers each at ${pct(VAF, 0)} (the usual make-up of a lab's cohort); the series (${(MIXED.seriesFactor * o.seriesPerCell).toLocaleString('en-US')} per cell and truth) are one-marker patients at the allele fraction shown. The cohort's CV holds only about a quarter of the site × draw noise (its patients' draws average it over 4 sites); a one-marker patient takes that noise from the cohort's site × draw ICC (its upper 95% bound; the simulation's ρ is ${RHO}). Prior: CV / test CV / df; ICC: the cohort's estimate and the bound used. Each second row judges the same series with the same prior but without the ICC, as a one-site patient was judged before it (φ = 1): the goal is judged on the first rows.`,
  );
  say();
  say('| CV | marker VAF | prior | false alarms (upper 95%) | ruled out | power 2× | 2× ruled out | fold coverage |');
  say('|---|---|---|---|---|---|---|---|');
  let worst = { stable: emptyCounts(), where: '', upper: -1 };
  for (const r of rows) {
    const [z, p2] = [res[r.from], res[r.from + 1]];
    const up = upperBound95(z.progression, z.n);
    const where = `one marker at ${pct(r.vaf, 1)} in a ${MIXED.cohortMarkers}-marker cohort, CV ${pct(r.cv, 0)}`;
    if (r.judged && up > worst.upper) worst = { stable: z, where, upper: up };
    const cover = (z.covered + p2.covered) / Math.max(1, z.withInterval + p2.withInterval);
    say(
      `| ${pct(r.cv, 0)} | ${pct(r.vaf, 1)} | ${r.prior} | ${pct(rate(z.progression, z.n), 2)} (${pct(up, 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} | ${pct(cover)} |`,
    );
  }
  return { stable: worst.stable, where: worst.where };
}
