import { describe, expect, it } from 'vitest';
import { countFragments, DEFAULT_ERROR_MODEL, ObservationBuffer, simulateSite } from '../../src/bench/accuracy-sim.js';
import type { Site } from '../../src/count/types.js';
import { collapseUmiFamilies } from '../../src/count/umi.js';
import { createRng } from '../../src/simulate/rng.js';

const SITE: Site = { chrom: 'chrS', pos1: 100_001, ref: 'C', alt: 'T', gene: '', protein: '', id: '' };

describe('accuracy simulation (read level, in memory)', () => {
  it('gives the analytic alt background without UMIs', () => {
    // One read pair per molecule; an error is the alt base 1 time in 3. Alt arises from damage,
    // a first-cycle PCR error in the sequenced lineage (½), a late PCR error, or a sequencing error
    // on a lone mate (overlapping mates must agree, so a one-mate error is discordant, not alt).
    const m = DEFAULT_ERROR_MODEL;
    const expected = (m.damage + m.pcrFirstCycle / 2 + m.pcrLate + (1 - m.mateOverlap) * m.seq) / 3;
    const rng = createRng(42);
    const buf = new ObservationBuffer();
    let alt = 0;
    let depth = 0;
    for (let r = 0; r < 40; r++) {
      buf.reset();
      simulateSite(rng, m, { molecules: 50_000, vaf: 0, umi: false, siteIndex: 0, pos0: SITE.pos1 - 1, nameSalt: r }, buf);
      const c = countFragments(buf.table());
      alt += c.alt;
      depth += c.depth;
    }
    const se = Math.sqrt(expected / depth);
    expect(Math.abs(alt / depth - expected)).toBeLessThan(4 * se);
  });

  it('puts tumour alleles in at the given VAF, shorter, one family per molecule', () => {
    const rng = createRng(7);
    const buf = new ObservationBuffer();
    simulateSite(
      rng,
      DEFAULT_ERROR_MODEL,
      { molecules: 20_000, vaf: 0.05, umi: true, siteIndex: 0, pos0: SITE.pos1 - 1, nameSalt: 1 },
      buf,
    );
    const row = collapseUmiFamilies(buf.table(), [SITE], { minBaseq: 20, keepSingletons: true }).rows[0];
    // Families ≈ molecules (UMI errors are merged back by the directional rule; ~2% lost to N).
    expect(row.families).toBeGreaterThan(19_000);
    expect(row.families).toBeLessThanOrEqual(20_000);
    const vaf = row.altCount / row.depth;
    expect(Math.abs(vaf - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / row.depth));
    expect(row.meanFragLenAlt).toBeLessThan(row.meanFragLenRef - 15); // tumour fragments 145 vs 167 bp
  });
});
