/**
 * Low tumour levels near the background (docs/methods/accuracy.md): many tumour-informed markers
 * at 0.05–0.2%, 3,000×, with a background rate of 1e-4 to 5e-4 that the model knows per site. Here
 * the background is up to half the alt reads, and counting it as tumour signal would pull every fold
 * toward 1 (real rises ruled out); the table shows the decision with the background in the fold.
 * Its last rows give the model a rate its sites only have on average (each site's true rate spread
 * log-normally around it): personalised sites that a panel of normals lacks take their class's rate.
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
/**
 * (allele fraction, background, log-SD of the sites' true rates around it): the background from a
 * fifth of the signal to equal to it; then sites whose rates spread around the given one as the
 * panel-of-normals simulation's site rates spread around their class (0.5), and twice that (a
 * background known only roughly, e.g. the calling stage's default rate for every site).
 */
export const NEAR_BACKGROUND_CELLS: [number, number, number][] = [
  [0.002, 5e-4, 0],
  [0.0005, 1e-4, 0],
  [0.0005, 2e-4, 0],
  [0.0005, 5e-4, 0],
  [0.002, 5e-4, 0.5],
  [0.0005, 5e-4, 0.5],
  [0.0005, 5e-4, 1],
];

type Reassurance = { observed: number; upper: number; where: string };

export interface NearBackground {
  /** The stable series of the worst cell (for the false-alarm goal) and where it was. */
  stable: SeriesCounts;
  where: string;
  reassurance: Reassurance;
  /** The same over the cells whose sites' rates spread around the given one. */
  spread: { stable: SeriesCounts; where: string; reassurance: Reassurance };
}

export async function backgroundSection(o: LongitudinalOptions, say: (s?: string) => void): Promise<NearBackground> {
  const s = schedule('A');
  const requests: CellRequest[] = [];
  const cells = NEAR_BACKGROUND_CELLS.map(([vaf, background, siteSd]) => {
    const cell: CohortCell = {
      cv: NEAR_BACKGROUND.cv,
      depth: NEAR_BACKGROUND.depth,
      markers: NEAR_BACKGROUND.markers,
      vaf,
      rho: RHO,
      background,
      ...(siteSd > 0 ? { backgroundSiteSd: siteSd } : {}),
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
    "| allele fraction | background given | sites' true rates | share of alt reads from the background | prior | false alarms (upper 95%) | ruled out | power 2× | power 4× | 2× ruled out | fold coverage |",
  );
  say('|---|---|---|---|---|---|---|---|---|---|---|');
  const rows = cells.map(({ cell, prior }, k) => {
    const [z, p2, p4] = res.slice(3 * k, 3 * k + 3);
    const sd = cell.backgroundSiteSd ?? 0;
    const where = `allele fraction ${pct(cell.vaf, 2)}, background ${cell.background}${sd > 0 ? `, site rates × e^N(0, ${sd}²)` : ''}`;
    const cover = rate(z.covered + p2.covered + p4.covered, z.withInterval + p2.withInterval + p4.withInterval);
    const share = (cell.background as number) / (cell.vaf + (cell.background as number));
    say(
      `| ${pct(cell.vaf, 2)} | ${cell.background} | ${sd > 0 ? `× e^N(0, ${sd}²)` : 'as given'} | ${pct(share, 0)} | ${priorText(prior)} | ${pct(rate(z.progression, z.n), 2)} (${pct(upperBound95(z.progression, z.n), 2)}) | ${pct(rate(z.ruledOut, z.n))} | ${pct(rate(p2.progression, p2.n))} | ${pct(rate(p4.progression, p4.n))} | ${pct(rate(p2.ruledOut, p2.n), 2)} | ${pct(cover)} |`,
    );
    return {
      spread: sd > 0,
      stable: z,
      where,
      reassurance: { observed: rate(p2.ruledOut, p2.n), upper: upperBound95(p2.ruledOut, p2.n), where },
    };
  });
  type Row = (typeof rows)[number];
  const worst = (of: Row[]) => {
    const falseAlarmUpper = (r: Row) => upperBound95(r.stable.progression, r.stable.n);
    const stable = of.reduce((w, r) => (falseAlarmUpper(r) > falseAlarmUpper(w) ? r : w));
    const reassurance = of.reduce((w, r) => (r.reassurance.upper > w.reassurance.upper ? r : w)).reassurance;
    return { stable: stable.stable, where: stable.where, reassurance };
  };
  return { ...worst(rows.filter((r) => !r.spread)), spread: worst(rows.filter((r) => r.spread)) };
}
