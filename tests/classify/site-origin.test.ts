import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/classify/policy.js';
import {
  type SiteSeries,
  type WhiteCellCounts,
  classifySiteOrigins,
  countsAsTumour,
  whiteCellLod,
  whiteCellPValue,
} from '../../src/classify/site-origin.js';
import { betaDraw, binomialDraw, Xoshiro128 } from '../../src/stats/rng.js';

const rules = loadPolicy().policy.rules;
const CH = new Set(['TP53', 'PPM1D', 'DNMT3A', 'TET2', 'ASXL1', 'CHEK2', 'ATM']);

/** A series from [alt, depth] pairs; `detected` when alt/depth ≥ 0.1% and alt ≥ 3 (the fixtures' shorthand). */
function series(key: string, gene: string, counts: [number, number][], extra: Partial<SiteSeries> = {}): SiteSeries {
  return {
    key,
    gene,
    protein: `p.${key}`,
    tumourInformed: false,
    tissueSomatic: false,
    points: counts.map(([alt, depth]) => ({
      alt,
      depth,
      call: depth < 100 ? 'low_depth' : alt >= 3 ? 'detected' : 'not_detected',
      lod: 0.001,
    })),
    ...extra,
  };
}
const flat = (alt: number, depth: number, n = 4): [number, number][] => Array.from({ length: n }, () => [alt, depth]);
const originOf = (res: ReturnType<typeof classifySiteOrigins>, key: string) => res.find((r) => r.key === key)!;

/** Exact one-sided binomial tail, summed term by term (independent of the code under test). */
function tail(k: number, n: number, p: number): number {
  let term = Math.pow(1 - p, n);
  let cdf = 0;
  for (let j = 0; j < k; j++) {
    cdf += term;
    term *= ((n - j) / (j + 1)) * (p / (1 - p));
  }
  return 1 - cdf;
}

describe('white-cell test', () => {
  it('is the exact binomial upper tail against the site background', () => {
    for (const [alt, depth] of [
      [0, 5000],
      [1, 10000],
      [3, 10000],
      [8, 20000],
    ] as const) {
      expect(whiteCellPValue({ alt, depth, backgroundRate: 1e-4 })).toBeCloseTo(alt === 0 ? 1 : tail(alt, depth, 1e-4), 10);
    }
    // A beta-binomial background (over-dispersed) gives a larger p for the same count.
    expect(whiteCellPValue({ alt: 5, depth: 10000, backgroundRate: 1e-4, dispersion: 2e-4 })).toBeGreaterThan(
      whiteCellPValue({ alt: 5, depth: 10000, backgroundRate: 1e-4 }),
    );
  });

  it('LoD: the VAF seen with 95% power at the critical count; deeper white cells see less', () => {
    const lod = whiteCellLod(10000, 1e-4, 0.05, 0.95);
    let k = 1;
    while (tail(k, 10000, 1e-4) > 0.05) k++;
    expect(tail(k, 10000, lod)).toBeGreaterThanOrEqual(0.95 - 1e-6);
    expect(tail(k, 10000, lod * 0.97)).toBeLessThan(0.95);
    expect(whiteCellLod(30000, 1e-4, 0.05, 0.95)).toBeLessThan(lod);
    expect(whiteCellLod(0, 1e-4, 0.05, 0.95)).toBe(1);
  });

  it('false CH calls per patient under the null stay at or below the FDR (binomial and over-dispersed backgrounds, 20 sites, 2,000 patients)', () => {
    const rng = new Xoshiro128(20261201);
    const patients = 2000;
    const run = (trueRho: number, assumedRho: number) => {
      let withFalseCall = 0;
      for (let p = 0; p < patients; p++) {
        const wc = new Map<string, WhiteCellCounts>();
        const sites: SiteSeries[] = [];
        for (let s = 0; s < 20; s++) {
          const rate = trueRho > 0 ? betaDraw(rng, (1e-4 * (1 - trueRho)) / trueRho, ((1 - 1e-4) * (1 - trueRho)) / trueRho) : 1e-4;
          wc.set(`s${s}`, { alt: binomialDraw(rng, 10000, rate), depth: 10000, backgroundRate: 1e-4, dispersion: assumedRho });
          sites.push(series(`s${s}`, 'DNMT3A', flat(0, 3000, 2)));
        }
        if (classifySiteOrigins(sites, wc, CH, rules).some((r) => r.origin === 'ch_in_white_cells')) withFalseCall++;
      }
      return withFalseCall / patients;
    };
    // Under the complete null the FDR equals the chance of any false call: BH keeps it ≤ 5%
    // (the binomial tail is discrete, so the actual rate is well below it).
    const binomial = run(0, 0);
    expect(binomial).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt((0.05 * 0.95) / patients));
    // A background that varies between samples (ICC 2e-4) inflates a binomial test; given the
    // dispersion, the test is back at or below the nominal rate.
    const misspecified = run(2e-4, 0);
    const modelled = run(2e-4, 2e-4);
    expect(misspecified).toBeGreaterThan(binomial);
    expect(modelled).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt((0.05 * 0.95) / patients));
    console.info(
      `white-cell test, patients with ≥ 1 false CH call (nominal FDR 0.05): binomial null ${binomial}, over-dispersed null tested as binomial ${misspecified}, with its dispersion ${modelled}`,
    );
  });
});

describe('site origins', () => {
  it('a CH-prone gene seen only in plasma, with no white cells, is possible CH; in the tissue or outside the list it is tumour', () => {
    const res = classifySiteOrigins(
      [
        series('R248Q', 'TP53', [
          [0, 3000],
          [9, 3000],
          [10, 3000],
        ]),
        series(
          'R175H',
          'TP53',
          [
            [60, 3000],
            [62, 3000],
            [58, 3000],
          ],
          { tumourInformed: true },
        ),
        series('H1047R', 'PIK3CA', [
          [0, 3000],
          [9, 3000],
          [10, 3000],
        ]),
      ],
      null,
      CH,
      rules,
    );
    expect(originOf(res, 'R248Q').origin).toBe('possible_ch');
    expect(originOf(res, 'R248Q').reason).toContain('possible clonal haematopoiesis: white-cell sequencing recommended');
    expect(originOf(res, 'R175H').origin).toBe('tumour');
    expect(originOf(res, 'H1047R').origin).toBe('tumour');
    expect(countsAsTumour('possible_ch')).toBe(false);
    // An undetected CH-prone panel hotspot is no finding at all (and no line in the report).
    const quiet = classifySiteOrigins(
      [
        series('R273C', 'TP53', [
          [0, 3000],
          [1, 3000],
          [0, 3000],
        ]),
      ],
      null,
      CH,
      rules,
    );
    expect([quiet[0].origin, quiet[0].reason]).toEqual(['tumour', '']);
  });

  it('low-level CH in the white cells (0.25%, below the old 1% rule) is CH for this patient; a germline level is germline', () => {
    const wc = new Map<string, WhiteCellCounts>([
      ['R248Q', { alt: 25, depth: 10000, backgroundRate: 1e-4 }],
      ['P72R', { alt: 5020, depth: 10000, backgroundRate: 1e-4 }],
      ['E545K', { alt: 0, depth: 10000, backgroundRate: 1e-4 }],
    ]);
    const res = classifySiteOrigins(
      [
        series('R248Q', 'TP53', [
          [0, 3000],
          [9, 3000],
        ]),
        series('P72R', 'TP53', [
          [1500, 3000],
          [1490, 3000],
        ]),
        series('E545K', 'PIK3CA', [
          [30, 3000],
          [31, 3000],
        ]),
      ],
      wc,
      CH,
      rules,
    );
    expect(originOf(res, 'R248Q').origin).toBe('ch_in_white_cells');
    expect(originOf(res, 'R248Q').reason).toMatch(/found in the white cells at 0\.25% \(25\/10000, q = .*\): clonal haematopoiesis/);
    expect(originOf(res, 'P72R').origin).toBe('germline_in_white_cells');
    expect(originOf(res, 'E545K').origin).toBe('tumour');
    expect(originOf(res, 'E545K').whiteCells!.qValue).toBe(1);
  });

  it('the white-cell test is corrected across the patient’s sites (BH): p = 0.019 alone is CH, among 9 clean sites it is not', () => {
    const marginal = { alt: 4, depth: 10000, backgroundRate: 1e-4 };
    expect(whiteCellPValue(marginal)).toBeCloseTo(tail(4, 10000, 1e-4), 12);
    expect(whiteCellPValue(marginal)).toBeLessThan(0.05);
    const alone = classifySiteOrigins([series('a', 'DNMT3A', flat(0, 3000, 2))], new Map([['a', marginal]]), CH, rules);
    expect(alone[0].origin).toBe('ch_in_white_cells');
    const wc = new Map<string, WhiteCellCounts>([['a', marginal]]);
    const sites = [series('a', 'DNMT3A', flat(0, 3000, 2))];
    for (let i = 0; i < 9; i++) {
      wc.set(`n${i}`, { alt: 0, depth: 10000, backgroundRate: 1e-4 });
      sites.push(series(`n${i}`, 'TET2', flat(0, 3000, 2)));
    }
    const many = classifySiteOrigins(sites, wc, CH, rules);
    expect(originOf(many, 'a').whiteCells!.qValue).toBeCloseTo(whiteCellPValue(marginal) * 10, 10);
    expect(originOf(many, 'a').origin).not.toBe('ch_in_white_cells');
  });

  it('plasma clearly above the white-cell level is tumour DNA adding to it', () => {
    const wc = new Map<string, WhiteCellCounts>([['R273H', { alt: 20, depth: 10000, backgroundRate: 1e-4 }]]);
    const res = classifySiteOrigins(
      [
        series('R273H', 'TP53', [
          [150, 3000],
          [160, 3000],
        ]),
      ],
      wc,
      CH,
      rules,
    );
    expect(res[0].origin).toBe('tumour');
    expect(res[0].reason).toContain('plasma exceeds that level');
  });

  it('white cells too shallow to see the plasma level cannot clear a CH-prone site', () => {
    const wc = new Map<string, WhiteCellCounts>([['R248Q', { alt: 0, depth: 500, backgroundRate: 1e-4 }]]);
    const res = classifySiteOrigins(
      [
        series('R248Q', 'TP53', [
          [0, 3000],
          [9, 3000],
        ]),
      ],
      wc,
      CH,
      rules,
    );
    expect(res[0].origin).toBe('possible_ch');
    expect(res[0].reason).toMatch(/too shallow to exclude it at the plasma level 0\.30%/);
    // Deep white cells without the variant clear it: tumour.
    const deep = classifySiteOrigins(
      [
        series('R248Q', 'TP53', [
          [0, 3000],
          [9, 3000],
        ]),
      ],
      new Map([['R248Q', { alt: 0, depth: 20000, backgroundRate: 1e-4 }]]),
      CH,
      rules,
    );
    expect(deep[0].origin).toBe('tumour');
  });

  it('germline-like: ~50% in every draw while the tumour markers are far lower; never for a tissue-confirmed somatic site', () => {
    const snp = series(
      'P72R',
      'TP53',
      [
        [1500, 3000],
        [1520, 3000],
        [1480, 3000],
      ],
      { tumourInformed: true },
    );
    const pik = series(
      'H1047R',
      'PIK3CA',
      [
        [30, 3000],
        [33, 3000],
        [120, 3000],
      ],
      { tumourInformed: true },
    );
    const res = classifySiteOrigins([snp, pik], null, CH, rules);
    expect(originOf(res, 'P72R').origin).toBe('germline_like');
    expect(originOf(res, 'P72R').reason).toMatch(/at 49%–51% in every draw while the tumour markers are at most 4\.0%: germline-like/);
    expect(originOf(res, 'H1047R').origin).toBe('tumour');
    // LOH at a high tumour fraction: a confirmed somatic site stays tumour whatever its VAF.
    const confirmed = classifySiteOrigins([{ ...snp, tissueSomatic: true }, pik], null, CH, rules);
    expect(originOf(confirmed, 'P72R').origin).toBe('tumour');
  });

  it('germline-like needs the tumour to be far lower in every draw, the band in every draw, and another marker to compare with', () => {
    const snp = (counts: [number, number][]) => series('P72R', 'TP53', counts, { tumourInformed: true });
    // Tumour markers at 30%: 50% is not out of proportion (high tumour fraction).
    const high = classifySiteOrigins(
      [snp(flat(1500, 3000, 3)), series('H1047R', 'PIK3CA', flat(900, 3000, 3), { tumourInformed: true })],
      null,
      CH,
      rules,
    );
    expect(originOf(high, 'P72R').origin).toBe('tumour');
    // One draw at 20%: not at a germline level in every draw.
    const dip = classifySiteOrigins(
      [
        snp([
          [1500, 3000],
          [600, 3000],
          [1500, 3000],
        ]),
        series('H1047R', 'PIK3CA', flat(30, 3000, 3), { tumourInformed: true }),
      ],
      null,
      CH,
      rules,
    );
    expect(originOf(dip, 'P72R').origin).toBe('tumour');
    // Nothing else to compare with: germline not excluded, said so.
    const alone = classifySiteOrigins([snp(flat(1500, 3000, 3))], null, CH, rules);
    expect(alone[0].origin).toBe('tumour');
    expect(alone[0].reason).toContain('germline not excluded');
    // Homozygous-looking (≥ 90%) counts as germline too.
    const hom = classifySiteOrigins(
      [series('X', 'ESR1', flat(2950, 3000, 3)), series('H1047R', 'PIK3CA', flat(30, 3000, 3), { tumourInformed: true })],
      null,
      CH,
      rules,
    );
    expect(originOf(hom, 'X').origin).toBe('germline_like');
  });
});
