/**
 * The cohort's series for the between-draw prior use the draws and sites the classification of each
 * patient uses: a draw that is not the patient's (identity check) and an acquired-resistance site
 * (followed on its own, never in the clonal set) never enter the cohort's estimate.
 */
import { describe, expect, it } from 'vitest';
import { cohortSeriesFromTimelines } from '../../src/classify/cohort-series.js';
import { referenceKnowledge } from '../../src/classify/knowledge.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { priorSettings } from '../../src/classify/rule-molecular.js';
import { binomialDraw, normalDraw, Xoshiro128 } from '../../src/stats/rng.js';
import { resolveBetweenDrawPrior } from '../../src/timeline/longitudinal/resolve.js';
import { DEFAULT_EVENT_SETTINGS, type PatientTimeline, type TimelinePoint, type TimelineSite } from '../../src/timeline/types.js';

const { policy } = loadPolicy();
const knowledge = referenceKnowledge();
const DATES = ['2024-06-01', '2024-08-01', '2024-10-01', '2024-12-01', '2025-02-01'];
const DEPTH = 3000;
const SIGMA = Math.sqrt(Math.log1p(0.15 * 0.15)); // a between-draw CV of 15%

const point = (sample: string, date: string, alt: number): TimelinePoint => ({
  sample,
  collection_date: date,
  depth: DEPTH,
  alt_count: alt,
  vaf: alt / DEPTH,
  vaf_low: null,
  vaf_high: null,
  p_value: alt >= 3 ? 1e-8 : 0.5,
  lod: 6 / DEPTH,
  call: alt >= 3 ? 'detected' : 'not_detected',
  event: 'stable',
  change_p_value: null,
  fold_change: null,
  mean_frag_len_alt: null,
  mean_frag_len_ref: null,
  families: 0,
});

/**
 * Stable patients: TP53 R175H and PIK3CA H1047R in the tissue at 1%, a shared log-normal level per
 * draw. `swapAt`: that draw is another person's tube (no read at any site) and the identity check
 * says so. `esr1`: ESR1 D538G in the tissue, rising 3-fold a draw (acquired resistance).
 */
function cohort(seed: number, swapAt: number | null, esr1: boolean): PatientTimeline[] {
  const rng = new Xoshiro128(seed);
  return Array.from({ length: 40 }, (_, k) => {
    const samples = DATES.map((_, t) => `P${k}_d${t}`);
    const level = DATES.map(() => Math.exp(SIGMA * normalDraw(rng)));
    const site = (gene: string, protein: string, vaf: (t: number) => number, n: number): TimelineSite =>
      ({
        key: `chr1:${1000 + n}:A>G`,
        chrom: 'chr1',
        pos: 1000 + n,
        ref: 'A',
        alt: 'G',
        gene,
        protein,
        id: '',
        background_rate: 1e-4,
        germline_or_ch: false,
        germline_or_ch_reason: '',
        tumour_informed: true,
        tissue_somatic: true,
        white_cells: null,
        flags: [],
        clonal: true,
        first_detection: null,
        nadir: null,
        points: DATES.map((date, t) =>
          point(samples[t], date, t === swapAt ? 0 : binomialDraw(rng, DEPTH, Math.min(0.9, vaf(t) * level[t]))),
        ),
      }) as unknown as TimelineSite;
    const sites = [site('TP53', 'p.R175H', () => 0.01, 0), site('PIK3CA', 'p.H1047R', () => 0.01, 1)];
    if (esr1) sites.push(site('ESR1', 'p.D538G', (t) => 0.002 * 3 ** t, 2));
    const identity =
      swapAt === null
        ? undefined
        : {
            patient: `P${k}`,
            status: 'discordant',
            reason: `${samples[swapAt]} discordant`,
            samples: samples.map((sample, t) => ({ sample, kind: 'draw', status: t === swapAt ? 'discordant' : 'concordant' })),
            pairs: [],
            settings: {},
          };
    return {
      schema: 'oligotrack.timeline',
      schema_version: 2,
      patient: `P${k}`,
      draws: DATES.map((date, t) => ({ sample: samples[t], collection_date: date })),
      sites,
      tumour_fraction: { method: '', clonal_sites: [], points: [] },
      white_cell_bam: null,
      identity,
      event_settings: DEFAULT_EVENT_SETTINGS,
    } as unknown as PatientTimeline;
  });
}

const estimate = (timelines: PatientTimeline[]) =>
  resolveBetweenDrawPrior({ kind: 'auto' }, cohortSeriesFromTimelines(timelines, new Map(), policy, knowledge), [], priorSettings(policy));

describe('the cohort series for the between-draw prior', () => {
  const clean = estimate(cohort(20261205, null, false));

  it('a clean cohort of 40 stable patients at CV 15% gives a cohort estimate near 15%', () => {
    expect(clean.basis).toBe('cohort');
    expect(clean.prior.cv).toBeGreaterThan(0.1);
    expect(clean.prior.cv).toBeLessThan(0.2);
  });

  it("one draw per patient from another person's tube is left out, as classification leaves it out", () => {
    const series = cohortSeriesFromTimelines(cohort(20261205, 2, false), new Map(), policy, knowledge);
    expect(series[0].draws.map((d) => d.sample)).toEqual(['P0_d0', 'P0_d1', 'P0_d3', 'P0_d4']);
    const swapped = estimate(cohort(20261205, 2, false));
    // With the tube kept every patient's phase broke at its empty draw and the cohort gave nothing:
    // the policy default (CV 0.7) was used instead.
    expect(swapped.basis).toBe('cohort');
    expect(swapped.prior.cv).toBeGreaterThan(0.1);
    expect(swapped.prior.cv).toBeLessThan(0.2);
  });

  it('an acquired-resistance site rising in every patient never enters the cohort estimate', () => {
    const series = cohortSeriesFromTimelines(cohort(20261205, null, true), new Map(), policy, knowledge);
    expect(series[0].sites.map((s) => s.label)).toEqual(['TP53 p.R175H', 'PIK3CA p.H1047R']);
    // The same random stream draws the ESR1 counts last in each patient, so the clonal sites differ
    // between the two cohorts only by where the stream stands; the estimates are of one kind.
    const withEsr1 = estimate(cohort(20261205, null, true));
    expect(withEsr1.basis).toBe('cohort');
    expect(withEsr1.prior.cv).toBeGreaterThan(0.1);
    expect(withEsr1.prior.cv).toBeLessThan(0.2);
  });
});
