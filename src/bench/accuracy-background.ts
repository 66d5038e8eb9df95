/**
 * Low tumour levels near the background (docs/methods/accuracy.md): many tumour-informed markers
 * at 0.05–0.2%, 3,000×, with a background rate of 1e-4 to 5e-4 that the model knows per site. Here
 * the background is up to half the alt reads, and counting it as tumour signal would pull every fold
 * toward 1 (real rises ruled out); the table shows the decision with the background in the fold.
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
} from './accuracy-longitudinal.js';
import type { SeriesCounts } from './accuracy-longitudinal-tasks.js';

/** Markers, depth and CV of the table (a personalised panel of 16 sites). */
export const NEAR_BACKGROUND = { markers: 16, depth: 3000, cv: 0.15 };
/** (allele fraction, background) pairs: the background from a fifth of the signal to equal to it. */
export const NEAR_BACKGROUND_CELLS: [number, number][] = [
  [0.002, 5e-4],
  [0.0005, 1e-4],
  [0.0005, 2e-4],
  [0.0005, 5e-4],
];

export interface NearBackground {
  /** The stable series of the worst cell (for the false-alarm goal) and where it was. */
  stable: SeriesCounts;
  where: string;
  reassurance: { observed: number; upper: number; where: string };
}

export async function backgroundSection(o: LongitudinalOptions, say: (s?: string) => void): Promise<NearBackground> {
  const s = schedule('A');
  const requests: CellRequest[] = [];
  const cells = NEAR_BACKGROUND_CELLS.map(([vaf, background]) => {
    const cell: CohortCell = {
      cv: NEAR_BACKGROUND.cv,
      depth: NEAR_BACKGROUND.depth,
      markers: NEAR_BACKGROUND.markers,
      vaf,
      rho: RHO,
      background,
    };
    const prior = defaultPathPrior(o, cell, COHORT);
    for (const fold of [1, 2, 4])
      requests.push({
        table: 'background',
        schedule: s,
        priorName: 'auto',
        prior: prior.prior,
        spec: { ...cell, before: s.before, window: s.window, fold },
      });
    return { cell, prior };
  });
  const res = await runCells(o, requests);
  say();
  say(
    `### Near the background: ${NEAR_BACKGROUND.markers} markers, ${NEAR_BACKGROUND.depth.toLocaleString('en-US')}×, CV ${pct(NEAR_BACKGROUND.cv, 0)}, schedule A — default path`,
  );
  say();
  say(
    '| allele fraction | background | share of alt reads from the background | prior | false alarms (upper 95%) | ruled out | power 2× | power 4× | 2× ruled out | fold coverage |',
  );
  say('|---|---|---|---|---|---|---|---|---|---|');
  const rows = cells.map(({ cell, prior }, k) => {
    const [z, p2, p4] = res.slice(3 * k, 3 * k + 3);
    const where = `allele fraction ${pct(cell.vaf, 2)}, background ${cell.background}`;
    const cover = rate(z.covered + p2.covered + p4.covered, z.withInterval + p2.withInterval + p4.withInterval);
    const share = (cell.background as number) / (cell.vaf + (cell.background as number));
    say(
      `| ${pct(cell.vaf, 2)} | ${cell.background} | ${pct(share, 0)} | ${priorText(prior)} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p4.progression, p4.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} | ${pct(cover)} |`,
    );
    return { stable: z, where, reassurance: { observed: rate(p2.ruledOut, p2.n), upper: upperBound95(p2.ruledOut, p2.n), where } };
  });
  const falseAlarmUpper = (r: NearBackground) => upperBound95(r.stable.progression, r.stable.n);
  const worstStable = rows.reduce((w, r) => (falseAlarmUpper(r) > falseAlarmUpper(w) ? r : w));
  const worstReassurance = rows.reduce((w, r) => (r.reassurance.upper > w.reassurance.upper ? r : w));
  return { stable: worstStable.stable, where: worstStable.where, reassurance: worstReassurance.reassurance };
}
