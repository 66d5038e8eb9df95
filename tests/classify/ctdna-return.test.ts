import { describe, expect, it } from 'vitest';
import { ctdnaReturn, type ReturnSite } from '../../src/classify/ctdna-return.js';
import { loadPolicy } from '../../src/classify/policy.js';

const rules = loadPolicy().policy.rules;
const site = (key: string, draws: [number, number][]): ReturnSite => ({
  key,
  points: draws.map(([alt, depth], d) => ({
    sample: `d${d}`,
    alt_count: alt,
    depth,
    call: depth < 100 ? 'low_depth' : alt >= 3 ? 'detected' : 'not_detected',
  })),
});
const W = [{ index: 3, daysFromScan: -10 }];

describe('ctDNA return after clearance', () => {
  it('cleared twice, then 8/6,000 at each marker (0.13%): a return below the 0.5% floor', () => {
    const r = ctdnaReturn(
      [
        site('a', [
          [120, 6000],
          [0, 6000],
          [0, 6000],
          [8, 6000],
        ]),
        site('b', [
          [118, 6000],
          [1, 6000],
          [0, 6000],
          [8, 6000],
        ]),
      ],
      [0, 1, 2],
      W,
      rules,
    );
    expect(r.status).toBe('below_floor');
    expect(r.pooledVaf).toBeCloseTo(16 / 12000, 12);
    expect(r.text).toBe(
      'ctDNA return after clearance (cleared at d1, d2): pooled clonal VAF 0.13% at d3 (10 days before the scan), below the 0.50% floor',
    );
  });

  it('a return to 1.5% is above the floor', () => {
    const r = ctdnaReturn(
      [
        site('a', [
          [120, 6000],
          [0, 6000],
          [0, 6000],
          [90, 6000],
        ]),
      ],
      [0, 1, 2],
      W,
      rules,
    );
    expect(r.status).toBe('above_floor');
    expect(r.text).toContain('above the 0.50% floor');
  });

  it('no clearance, no return: never detected before, detected just before the window, or not detected in the window', () => {
    expect(
      ctdnaReturn(
        [
          site('a', [
            [0, 6000],
            [0, 6000],
            [0, 6000],
            [8, 6000],
          ]),
        ],
        [0, 1, 2],
        W,
        rules,
      ).status,
    ).toBe('no_return');
    expect(
      ctdnaReturn(
        [
          site('a', [
            [120, 6000],
            [0, 6000],
            [10, 6000],
            [8, 6000],
          ]),
        ],
        [0, 1, 2],
        W,
        rules,
      ).status,
    ).toBe('no_return');
    const still = ctdnaReturn(
      [
        site('a', [
          [120, 6000],
          [0, 6000],
          [0, 6000],
          [1, 6000],
        ]),
      ],
      [0, 1, 2],
      W,
      rules,
    );
    expect([still.status, still.clearedSamples]).toEqual(['no_return', ['d1', 'd2']]);
  });

  it('a low-depth draw neither clears nor breaks a clearance; min_cleared_draws is honoured', () => {
    const r = ctdnaReturn(
      [
        site('a', [
          [120, 6000],
          [0, 6000],
          [0, 50],
          [8, 6000],
        ]),
      ],
      [0, 1, 2],
      W,
      rules,
    );
    expect([r.status, r.clearedSamples]).toEqual(['below_floor', ['d1']]);
    const two = { ctdna_return: { ...rules.ctdna_return, min_cleared_draws: 2 } };
    expect(
      ctdnaReturn(
        [
          site('a', [
            [120, 6000],
            [0, 6000],
            [0, 50],
            [8, 6000],
          ]),
        ],
        [0, 1, 2],
        W,
        two,
      ).status,
    ).toBe('no_return');
  });
});
