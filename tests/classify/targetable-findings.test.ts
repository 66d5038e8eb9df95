import { describe, expect, it } from 'vitest';
import { referenceKnowledge } from '../../src/classify/knowledge.js';
import type { FindingTrend } from '../../src/classify/model.js';
import { loadPolicy } from '../../src/classify/policy.js';
import {
  type TargetableInput,
  type TargetableSite,
  targetableFindings,
  toTargetableMutation,
} from '../../src/classify/targetable-findings.js';

const rules = loadPolicy().policy.rules;
const knowledge = referenceKnowledge();

/** Per draw: [alt, depth, p-value]; detected when p ≤ 0.01 (the calling stage's default α). */
function site(gene: string, protein: string, draws: [number, number, number][], extra: Partial<TargetableSite> = {}): TargetableSite {
  return {
    key: `${gene}:${protein}`,
    gene,
    protein,
    chrom: 'chr6',
    pos: 1,
    ref: 'A',
    alt: 'G',
    origin: 'tumour',
    tumourInformed: false,
    inClonalSet: false,
    points: draws.map(([alt, depth, p], d) => ({
      sample: `d${d}`,
      collection_date: `2026-0${d + 1}-01`,
      alt_count: alt,
      depth,
      vaf: alt / depth,
      call: p <= 0.01 ? 'detected' : 'not_detected',
      p_value: p,
      lod: 0.002,
    })),
    ...extra,
  };
}

const input = (sites: TargetableSite[], therapy: string | null, extra: Partial<TargetableInput> = {}): TargetableInput => ({
  sites,
  window: [{ index: 3, daysFromScan: -10 }],
  baselineIdx: [0, 1, 2],
  earlierLineIdx: [],
  currentTherapy: therapy,
  trend: () => null,
  ...extra,
});
const AI = 'letrozole+palbociclib';
const ZERO: [number, number, number] = [0, 3000, 1];

describe('targetable findings', () => {
  it('ESR1 0 → 1 → 5 of 3,000 on an aromatase inhibitor: detected in the window, newly emerged, qualifies (it resists the current AI)', () => {
    const [f] = targetableFindings(
      input([site('ESR1', 'p.D538G', [ZERO, ZERO, [1, 3000, 0.26], [5, 3000, 1.5e-5]])], AI),
      knowledge,
      rules,
    );
    expect([f.detected, f.history, f.qualifies]).toEqual([true, 'newly_emerged', true]);
    expect(f.resistsCurrent).toEqual(['aromatase_inhibitor']);
    expect(f.text).toBe(
      'ESR1 p.D538G detected in the window (5/3000 reads, 0.17%, LoD 0.20%, q = 1.5e-5; d3 10 days before the scan), newly emerged; resists the current aromatase inhibitor (letrozole); matched: elacestrant, imlunestrant, camizestrant, fulvestrant',
    );
    expect(toTargetableMutation(f)).toMatchObject({
      gene: 'ESR1',
      event: 'emerged',
      history: 'newly_emerged',
      sample: 'd3',
      q_value: 1.5e-5,
      lod: 0.002,
    });
  });

  it('ESR1 present from the first draw on an AI qualifies too, labelled present since the first draw, never rising on noise', () => {
    const noisyUp: FindingTrend = { key: 'ESR1:p.Y537S', status: 'stable', fold: 1.3, lower: 0.7, upper: 1.9, text: '1.30-fold' };
    const [f] = targetableFindings(
      input(
        [
          site('ESR1', 'p.Y537S', [
            [24, 3000, 1e-30],
            [19, 3000, 1e-22],
            [31, 3000, 1e-40],
            [26, 3000, 1e-33],
          ]),
        ],
        AI,
        { trend: () => noisyUp },
      ),
      knowledge,
      rules,
    );
    expect([f.history, f.qualifies]).toEqual(['present_since_first_draw', true]);
    expect(f.text).toContain('present since the first draw; resists the current aromatase inhibitor');
    expect(f.text).not.toContain('rising');
    expect(toTargetableMutation(f).event).toBe('detected');
  });

  it('on fulvestrant, ESR1 known since the first draw is shown, not counted; newly emerged it qualifies (oral SERDs are not being given)', () => {
    const known = site('ESR1', 'p.D538G', [
      [20, 3000, 1e-20],
      [22, 3000, 1e-22],
      [21, 3000, 1e-21],
      [20, 3000, 1e-20],
    ]);
    const [k] = targetableFindings(input([known], 'fulvestrant+abemaciclib'), knowledge, rules);
    expect([k.detected, k.resistsCurrent, k.differs, k.qualifies]).toEqual([true, [], true, false]);
    expect(k.text).toContain('shown, not counted (targetable.known_since_baseline = show)');
    const fresh = site('ESR1', 'p.D538G', [ZERO, ZERO, ZERO, [20, 3000, 1e-20]]);
    const [n] = targetableFindings(input([fresh], 'fulvestrant+abemaciclib'), knowledge, rules);
    expect([n.history, n.qualifies]).toEqual(['newly_emerged', true]);
  });

  it('an unrecognised current therapy is said so; only a new finding then counts', () => {
    const known = site('ESR1', 'p.D538G', [
      [20, 3000, 1e-20],
      [22, 3000, 1e-22],
      [21, 3000, 1e-21],
      [20, 3000, 1e-20],
    ]);
    const [k] = targetableFindings(input([known], 'study drug XYZ-1'), knowledge, rules);
    expect([k.qualifies, k.unknownTherapyWords]).toEqual([false, ['study', 'drug', 'xyz-1']]);
    expect(k.text).toContain("current therapy 'study drug XYZ-1' not recognised");
    const [n] = targetableFindings(
      input([site('ESR1', 'p.D538G', [ZERO, ZERO, ZERO, [20, 3000, 1e-20]])], 'study drug XYZ-1'),
      knowledge,
      rules,
    );
    expect(n.qualifies).toBe(true);
  });

  it('a finding whose matched drugs are all being given does not qualify', () => {
    const [f] = targetableFindings(
      input([site('AKT1', 'p.E17K', [ZERO, ZERO, ZERO, [20, 3000, 1e-20]])], 'capivasertib + fulvestrant'),
      knowledge,
      rules,
    );
    expect([f.detected, f.history, f.differs, f.qualifies]).toEqual([true, 'newly_emerged', false, false]);
    expect(f.text).toContain('its matched drugs are already given (capivasertib)');
  });

  it('a truncal PIK3CA (tissue, in the clonal set) is known since baseline: shown by default, counted with known_since_baseline = qualify; the model’s trend is never asked for it', () => {
    const pik = site(
      'PIK3CA',
      'p.H1047R',
      [
        [60, 3000, 1e-60],
        [62, 3000, 1e-62],
        [59, 3000, 1e-59],
        [240, 3000, 1e-200],
      ],
      { tumourInformed: true, inClonalSet: true },
    );
    let asked = 0;
    const trend = (key: string): FindingTrend => {
      asked++;
      return { key, status: 'rising', fold: 4, lower: 3, upper: 5, text: '4-fold' };
    };
    const [f] = targetableFindings(input([pik], AI, { trend }), knowledge, rules);
    expect([f.history, f.qualifies, asked]).toEqual(['known_since_baseline', false, 0]);
    expect(f.text).toMatch(
      /^PIK3CA p\.H1047R: actionable \(alpelisib, inavolisib, capivasertib\), known since baseline \(tissue\), detected in the window at 8\.0% \(LoD 0\.20%\)/,
    );
    const counting = { targetable: { ...rules.targetable, known_since_baseline: 'qualify' as const } };
    expect(targetableFindings(input([pik], AI, { trend }), knowledge, counting)[0].qualifies).toBe(true);
  });

  it("rising (the model's per-site trend) makes a known non-clonal site qualify", () => {
    const sub = site('PIK3CA', 'p.E545K', [
      [5, 3000, 1e-5],
      [6, 3000, 1e-6],
      [5, 3000, 1e-5],
      [30, 3000, 1e-30],
    ]);
    const rising = (key: string): FindingTrend => ({
      key,
      status: 'rising',
      fold: 5,
      lower: 2.5,
      upper: 10,
      text: '5.00-fold from its own nadir phase (d0, d1, d2) to d3, q = 1e-6',
    });
    const [f] = targetableFindings(input([sub], AI, { trend: rising }), knowledge, rules);
    expect([f.history, f.qualifies]).toEqual(['present_since_first_draw', true]);
    expect(f.text).toContain('rising on the current therapy (5.00-fold from its own nadir phase');
    expect(toTargetableMutation(f).event).toBe('rising');
  });

  it('detection is FDR-controlled across the targetable sites (BH) and Bonferroni within a site over window draws', () => {
    const lone = site('ESR1', 'p.D538G', [ZERO, ZERO, ZERO, [2, 3000, 0.03]]);
    expect(targetableFindings(input([lone], AI), knowledge, rules)[0].detected).toBe(true);
    const others = ['p.H1047R', 'p.E545K', 'p.E542K', 'p.H1047L'].map((p) => site('PIK3CA', p, [ZERO, ZERO, ZERO, [0, 3000, 0.9]]));
    const [withOthers] = targetableFindings(input([lone, ...others], AI), knowledge, rules);
    expect(withOthers.qValue).toBeCloseTo(0.15, 12);
    expect(withOthers.detected).toBe(false);
    // Two window draws: the smaller p is doubled.
    const two = site('ESR1', 'p.D538G', [ZERO, ZERO, [2, 3000, 0.03], [1, 3000, 0.2]]);
    const [f] = targetableFindings(
      input([two], AI, {
        window: [
          { index: 2, daysFromScan: -40 },
          { index: 3, daysFromScan: -5 },
        ],
        baselineIdx: [0, 1],
      }),
      knowledge,
      rules,
    );
    expect(f.qValue).toBeCloseTo(0.06, 12);
    expect(f.detected).toBe(false);
  });

  it('CH and germline sites are never targetable findings; non-targetable genes are not listed', () => {
    const res = targetableFindings(
      input(
        [
          site(
            'PTEN',
            'p.R130Q',
            [
              [1500, 3000, 0],
              [1500, 3000, 0],
              [1500, 3000, 0],
              [1500, 3000, 0],
            ],
            { origin: 'germline_like' },
          ),
          site('TP53', 'p.R248Q', [ZERO, ZERO, ZERO, [9, 3000, 1e-9]]),
        ],
        AI,
      ),
      knowledge,
      rules,
    );
    expect(res).toEqual([]);
  });
});
