/**
 * Which between-draw prior a classification uses (resolve.ts): auto from the cohort (the run's
 * timelines and the nadir phases recorded in a store), the policy default, or a measured CV; and the
 * recorded phases (recorded.ts) read back from assessment objects as a store returns them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { simulateSeries } from '../../src/bench/accuracy-series.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { defaultPrior, modelSettings, priorSettings } from '../../src/classify/rule-molecular.js';
import { Xoshiro128 } from '../../src/stats/rng.js';
import { assessMolecularChange } from '../../src/timeline/longitudinal/model.js';
import { type CohortSeries, estimateCohortPrior } from '../../src/timeline/longitudinal/prior.js';
import { recordedPhases } from '../../src/timeline/longitudinal/recorded.js';
import { parsePriorChoice, resolveBetweenDrawPrior } from '../../src/timeline/longitudinal/resolve.js';

const { policy } = loadPolicy();
const settings = priorSettings(policy);
const mp = policy.rules.molecular_progression;

function cohort(cv: number, patients: number, seed: number, draws = 6, depth = 1500, markers = 2): CohortSeries[] {
  return Array.from({ length: patients }, (_, p) => {
    const s = simulateSeries(new Xoshiro128(seed + p), {
      cv,
      depth,
      markers,
      vaf: 0.02,
      before: draws,
      window: 0,
      fold: 1,
      rho: 1e-4,
    });
    return { patient: `p${p}`, draws: s.draws, sites: s.sites, lineStarts: [s.therapyStartDay] };
  });
}

describe('parsePriorChoice', () => {
  it('reads auto (and its older name cohort), default and a CV from 0 to 3; anything else is null', () => {
    expect(parsePriorChoice('auto')).toEqual({ kind: 'auto' });
    expect(parsePriorChoice('cohort')).toEqual({ kind: 'auto' });
    expect(parsePriorChoice('default')).toEqual({ kind: 'default' });
    expect(parsePriorChoice('0.15')).toEqual({ kind: 'measured', cv: 0.15 });
    expect(parsePriorChoice('.3')).toEqual({ kind: 'measured', cv: 0.3 });
    for (const bad of ['3.5', '-0.1', 'abc', '', '0.1x']) expect(parsePriorChoice(bad), bad).toBeNull();
  });
});

describe('resolveBetweenDrawPrior', () => {
  it('default: the policy prior, whatever the cohort', () => {
    const r = resolveBetweenDrawPrior({ kind: 'default' }, cohort(0.15, 40, 1), [], settings);
    expect(r.basis).toBe('default');
    expect(r.prior).toEqual(defaultPrior(policy));
    expect(r.estimate).toBeNull();
  });

  it('measured: the lab CV with the between-patient df', () => {
    const r = resolveBetweenDrawPrior({ kind: 'measured', cv: 0.2 }, [], [], settings);
    expect(r.basis).toBe('measured');
    expect(r.prior.cv).toBe(0.2);
    expect(r.prior.df).toBe(mp.between_patient_df);
    expect(r.note).toMatch(/measured CV 0\.2 with 20 df/);
  });

  it('auto with too few patients falls back to the policy default and says why', () => {
    const r = resolveBetweenDrawPrior({ kind: 'auto' }, cohort(0.15, 6, 2), [], settings);
    expect(r.basis).toBe('default');
    expect(r.prior).toEqual(defaultPrior(policy));
    expect(r.estimate?.patients).toBe(6);
    expect(r.note).toMatch(/6 patient\(s\) with a nadir phase of two draws, fewer than 10/);
  });

  it('auto with fewer than 8 effective df: the upper bound is the CV throughout, and a stable one-marker series can be ruled out', () => {
    // 12 one-marker patients × 4 draws at CV 0% (estimate CV ≈ 0.10 with ≈ 6 effective df).
    const small = cohort(0, 12, 1, 4, 1500, 1);
    const r = resolveBetweenDrawPrior({ kind: 'auto' }, small, [], settings);
    const est = r.estimate!;
    expect(est.df).toBeGreaterThan(mp.between_draw_prior_df);
    expect(est.df).toBeLessThan(mp.cohort_prior_min_df);
    expect(r.basis).toBe('cohort');
    expect(r.prior.cv).toBe(r.prior.testCv);
    expect(r.prior.cv).toBeGreaterThan(est.cv);
    expect(r.prior.cv).toBeLessThan(mp.between_draw_cv);
    expect(r.note).toMatch(/upper 95% bound is used throughout/);
    // A deep stable marker (30 alt reads a draw): ruled out with the bound, undecided with the default.
    const series = {
      draws: small[0].draws,
      sites: [{ key: 'chr17:7675088:C>T', label: 'TP53', alt: [30, 31, 29, 30], depth: [1500, 1500, 1500, 1500], background: 1e-4 }],
      windowIdx: [3],
      therapyStartDay: null,
      settings: modelSettings(policy),
    };
    expect(assessMolecularChange({ ...series, prior: r.prior }).status).toBe('ruled_out');
    expect(assessMolecularChange({ ...series, prior: defaultPrior(policy) }).status).toBe('undecided');
  });

  it('auto with fewer effective df than the policy default has: the policy default', () => {
    // 12 patients × 4 draws at 300×, two markers: the phases carry well under 1 effective df.
    const shallow = cohort(0, 12, 200, 4, 300, 2);
    const r = resolveBetweenDrawPrior({ kind: 'auto' }, shallow, [], settings);
    expect(r.estimate!.df).toBeLessThan(mp.between_draw_prior_df);
    expect(r.basis).toBe('default');
    expect(r.note).toMatch(/effective df, fewer than 1\b/);
  });

  it('auto with 40 stable patients at CV 30%: the cohort CV, a larger CV for the rise test, df below the between-patient df', () => {
    const r = resolveBetweenDrawPrior({ kind: 'auto' }, cohort(0.3, 40, 3), [], settings);
    expect(r.basis).toBe('cohort');
    expect(r.prior.cv).toBeGreaterThan(0.22);
    expect(r.prior.cv).toBeLessThan(0.38);
    expect(r.prior.testCv as number).toBeGreaterThan(r.prior.cv);
    // 1/(1/ESS + 1/20): never more than the between-patient df, never more than the estimate's own.
    expect(r.prior.df).toBeLessThan(mp.between_patient_df);
    expect(r.prior.df).toBeLessThan(r.estimate!.df);
    expect(r.note).toMatch(/cohort estimate CV 0\.\d+ \(the rise test assumes 0\.\d+, its upper 95% bound\)/);
  });

  it('the upper bound narrows toward the estimate as the cohort grows', () => {
    const gap = (n: number) => {
      const r = resolveBetweenDrawPrior({ kind: 'auto' }, cohort(0.3, n, 40), [], settings);
      return (r.prior.testCv as number) / r.prior.cv;
    };
    expect(gap(160)).toBeLessThan(gap(20));
  });

  it('recorded phases from a store complete a run too small on its own', () => {
    const run = cohort(0.3, 4, 50);
    const stored = estimateCohortPrior(cohort(0.3, 30, 60)).patients;
    expect(stored).toBe(30);
    // The store's phases, as the model recorded them for other patients.
    const recorded = cohort(0.3, 30, 60).map((c) => {
      const m = assessMolecularChange({
        draws: c.draws,
        sites: c.sites,
        windowIdx: [c.draws.length - 1],
        therapyStartDay: c.lineStarts[0],
        prior: defaultPrior(policy),
        settings: modelSettings(policy),
      });
      return { patient: `stored-${c.patient}`, assessment: { molecular_change: m } as Record<string, unknown> };
    });
    const phases = recordedPhases(recorded, new Set()).map((x) => x.phase);
    expect(phases.length).toBe(30);
    expect(resolveBetweenDrawPrior({ kind: 'auto' }, run, [], settings).basis).toBe('default');
    const r = resolveBetweenDrawPrior({ kind: 'auto' }, run, phases, settings);
    expect(r.basis).toBe('cohort');
    expect(r.estimate!.patients).toBe(34);
    expect(r.note).toMatch(/4 timelines and 30 recorded phases/);
  });
});

describe('recordedPhases', () => {
  const comparison = (observed: unknown[], expected: unknown[]) => ({ nadir_reads: { observed, expected } });
  const rec = (patient: string, ...comparisons: unknown[]) => ({
    patient,
    assessment: { molecular_change: { comparisons } } as Record<string, unknown>,
  });

  it('one phase per patient: the latest assessment, its longest nadir phase; run patients left out', () => {
    const out = recordedPhases(
      [
        rec('A', comparison([10, 12], [11, 11])),
        rec('A', comparison([10, 12, 9], [10.3, 10.3, 10.3]), comparison([10, 12], [11, 11])),
        rec('B', comparison([5, 7], [6, 6])),
        rec('RUN', comparison([50, 60], [55, 55])),
      ],
      new Set(['RUN']),
    );
    expect(out).toEqual([
      { patient: 'A', phase: { observed: [10, 12, 9], expected: [10.3, 10.3, 10.3] } },
      { patient: 'B', phase: { observed: [5, 7], expected: [6, 6] } },
    ]);
  });

  it('never fails on a record from an older version or a malformed one: it is skipped', () => {
    const out = recordedPhases(
      [
        { patient: 'old', assessment: { molecular_change: { comparisons: [{ fold: 1.1 }] } } },
        { patient: 'none', assessment: {} },
        rec('nulls', { nadir_reads: null }),
        rec('lengths', comparison([1, 2, 3], [2, 2])),
        rec('types', comparison(['1', 2], [2, 2])),
        rec('fractional', comparison([1.5, 2], [2, 2])),
        rec('zeroE', comparison([1, 2], [0, 2])),
      ],
      new Set(),
    );
    expect(out).toEqual([]);
  });

  it('drops a bad draw and keeps the phase when two good draws remain', () => {
    expect(recordedPhases([rec('C', comparison([4, -1, 6, 5], [5, 5, 5, 5]))], new Set())).toEqual([
      { patient: 'C', phase: { observed: [4, 6, 5], expected: [5, 5, 5] } },
    ]);
  });
  it('keeps the reads above the background (signal) when recorded and valid, for the kept draws', () => {
    const withSignal = (signal: unknown[]) => ({ nadir_reads: { observed: [4, -1, 6, 5], expected: [5, 5, 5, 5], signal } });
    expect(recordedPhases([rec('S', withSignal([2.5, 2.5, 3, 2.5]))], new Set())).toEqual([
      { patient: 'S', phase: { observed: [4, 6, 5], expected: [5, 5, 5], signal: [2.5, 3, 2.5] } },
    ]);
    // A signal above E_t, not a number, or of another length: the phase counts every read as signal.
    for (const bad of [
      [2.5, 2.5, 6, 2.5],
      ['2', 2, 2, 2],
      [2, 2],
    ])
      expect(recordedPhases([rec('S', withSignal(bad))], new Set())).toEqual([
        { patient: 'S', phase: { observed: [4, 6, 5], expected: [5, 5, 5] } },
      ]);
  });
});

describe('recorded phases through a cohort store', () => {
  it('classifications recorded in a store give back their nadir phases, and complete a small run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oligotrack-prior-'));
    try {
      const path = join(dir, 'cohort.sqlite');
      const stored = cohort(0.3, 12, 700).map((c) => {
        const m = assessMolecularChange({
          draws: c.draws,
          sites: c.sites,
          windowIdx: [c.draws.length - 1],
          therapyStartDay: c.lineStarts[0],
          prior: defaultPrior(policy),
          settings: modelSettings(policy),
        });
        return { patient: `S${c.patient}`, assessment_date: '2026-12-01', group: 'no_progression', molecular_change: m };
      });
      const store = openStore(path, { create: true });
      try {
        store.recordClassifications({ toolVersion: 'test', policyFile: 'default.yaml', policyName: policy.name, assessments: stored });
      } finally {
        store.close();
      }
      const reopened = openStore(path);
      let records;
      try {
        records = reopened.listClassifications();
      } finally {
        reopened.close();
      }
      // A patient of the run is not counted twice.
      const phases = recordedPhases(records, new Set(['Sp0']));
      // Patients in the store's order (by name).
      expect(phases.map((x) => x.patient)).toEqual(
        stored
          .slice(1)
          .map((s) => s.patient)
          .sort(),
      );
      const original = stored[1].molecular_change.comparisons.find((c) => c.nadir_reads)!.nadir_reads!;
      expect(phases.find((x) => x.patient === 'Sp1')!.phase).toEqual(original);
      const r = resolveBetweenDrawPrior(
        { kind: 'auto' },
        cohort(0.3, 3, 800),
        phases.map((x) => x.phase),
        settings,
      );
      expect(r.basis).toBe('cohort');
      expect(r.estimate!.patients).toBe(3 + 11);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
