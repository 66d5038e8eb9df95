import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countSites } from '../../src/app/count-sample.js';
import { GENOME_BUILDS } from '../../src/count/genome-build.js';
import { loadPanel } from '../../src/reference/panel.js';
import { backgroundAlleles, bundledBackgroundAlleles } from '../../src/simulate/panel-background.js';
import { SyntheticReference } from '../../src/simulate/reference.js';
import { simulateSample, simulateToBam, SimulationInputError } from '../../src/simulate/simulate.js';
import { DEFAULT_SIMULATION, type SimSite, type SimulationSpec } from '../../src/simulate/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-simpanel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GRCh38 primary contigs with the given naming family (`chr6` or `6`). */
function grch38Refs(prefix: 'chr' | ''): { name: string; length: number }[] {
  return GENOME_BUILDS.GRCh38.contigs.filter((c) => c.name !== 'MT').map((c) => ({ name: `${prefix}${c.name}`, length: c.length }));
}

function spec(sites: SimSite[], over: Partial<SimulationSpec> = {}): SimulationSpec {
  return { ...DEFAULT_SIMULATION, depth: 1000, sample: 'panelbg', seed: 7, refs: grch38Refs('chr'), sites, ...over };
}

// Four GRCh38 hotspots of the bundled panel (reference/panels/breast-ctdna.tsv); their reads also
// cover the neighbouring hotspots (ESR1 V534E..Y537S, PIK3CA E542K..Q546R and M1043I..G1049R,
// TP53 R282W/R273C), which were ~100% ALT when the reference was random there.
const SIMULATED: SimSite[] = [
  { chrom: 'chr6', pos1: 152098791, ref: 'A', alt: 'G', vaf: 0.1 }, // ESR1 D538G
  { chrom: 'chr3', pos1: 179234297, ref: 'A', alt: 'G', vaf: 0.05 }, // PIK3CA H1047R
  { chrom: 'chr3', pos1: 179218303, ref: 'G', alt: 'A', vaf: 0.02 }, // PIK3CA E545K
  { chrom: 'chr17', pos1: 7673802, ref: 'C', alt: 'T', vaf: 0 }, // TP53 R273H
];

describe('panel REF alleles on the synthetic genome', () => {
  it('a BAM simulated at four hotspots, counted at panel:breast: every other covered panel site has only error-rate ALT reads', async () => {
    const bam = join(dir, 'panel.bam');
    simulateToBam(spec(SIMULATED), bam);
    const result = await countSites(bam, ['panel:breast']);
    const simulated = new Set(SIMULATED.map((s) => `${s.chrom}:${s.pos1}:${s.ref}>${s.alt}`));
    const others = result.rows.filter((r) => !simulated.has(`${r.site.chrom}:${r.site.pos1}:${r.site.ref}>${r.site.alt}`));
    const covered = others.filter((r) => r.depth > 0);
    // The test means something only if reads reach neighbouring hotspots: at least the 5 ESR1 ones
    // within 12 bp of D538G and the PIK3CA ones within 10 bp of H1047R and E545K.
    expect(covered.length).toBeGreaterThanOrEqual(15);
    for (const r of covered) {
      // Errors: seqError 1e-3 per read base, a third of them to a given base, + PCR errors 1e-4:
      // ~0.5 ALT reads per 1000. 1% + 3 reads is > 10 standard deviations above that, and far
      // below the ~100% a random reference base equal to ALT gives.
      expect(r.altCount, `${r.site.gene} ${r.site.protein} alt ${r.altCount}/${r.depth}`).toBeLessThanOrEqual(0.01 * r.depth + 3);
      expect(r.refCount / r.depth, `${r.site.gene} ${r.site.protein}`).toBeGreaterThan(0.95);
    }
    // The simulated sites themselves carry their ALT reads.
    const d538g = result.rows.find((r) => r.site.gene === 'ESR1' && r.site.protein === 'p.D538G')!;
    expect(d538g.altCount / d538g.depth).toBeGreaterThan(0.05);
  });

  it('with panel alleles placed, one seed still gives identical records, and the panel alleles change them', () => {
    const small = spec(SIMULATED.slice(0, 1), { depth: 100 });
    const a = simulateSample(small).records;
    expect(simulateSample(small).records).toEqual(a);
    // Same seed on a custom genome (no panel alleles): same fragments, other bases at the panel sites.
    const custom = simulateSample({ ...small, refs: [{ name: 'chr6', length: 160_000_000 }] }).records;
    expect(custom.map((r) => `${r.pos1} ${r.cigar}`)).toEqual(a.map((r) => `${r.pos1} ${r.cigar}`));
    expect(custom.map((r) => r.seq)).not.toEqual(a.map((r) => r.seq));
  });

  it('contigs named without chr (6 vs chr6) get the panel alleles too', () => {
    const bg = bundledBackgroundAlleles(grch38Refs(''));
    const y537s = loadPanel({ build: 'GRCh38' }).find((r) => r.gene === 'ESR1' && r.protein === 'p.Y537S')!;
    expect(bg).toContainEqual(expect.objectContaining({ contig: '6', pos1: y537s.pos, ref: y537s.ref }));
    // Unverified rows are placed as well (their REF is still the genome's best guess).
    expect(bg.some((b) => b.label.startsWith('ESR1 p.L536Q'))).toBe(true);
  });

  it('a custom genome (lengths of neither build) gets no panel alleles; rows past a contig end are skipped', () => {
    expect(bundledBackgroundAlleles([{ name: 'chr6', length: 2_000_000 }])).toEqual([]);
    const rows = loadPanel({ build: 'GRCh38', includeUnverified: true }).filter((r) => r.gene === 'ESR1');
    expect(backgroundAlleles([{ name: 'chr6', length: 152_098_000 }], rows).map((b) => b.pos1)).toEqual([152011697, 152094402]);
  });

  it("a simulated site whose REF contradicts the panel's REF at its position is an error naming the site", () => {
    const wrong = { chrom: 'chr6', pos1: 152098791, ref: 'C', alt: 'G', vaf: 0.1 };
    expect(() => simulateSample(spec([wrong]))).toThrow(SimulationInputError);
    expect(() => simulateSample(spec([wrong]))).toThrow(
      /site chr6:152098791 C>G: REF C contradicts the bundled panel's REF A at chr6:152098791 \(ESR1 p\.D538G \(GRCh38\)\)/,
    );
    // Raised before the BAM writer opens: no file and no output directory are left behind.
    expect(() => simulateToBam(spec([wrong]), join(dir, 'never/x.bam'))).toThrow(SimulationInputError);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('an unverified panel row (ESR1 S463P, REF T) does not overrule a simulated site that starts there', () => {
    const site = { chrom: 'chr6', pos1: 152094402, ref: 'A', alt: 'G', vaf: 0 };
    const result = simulateSample(spec([site], { depth: 20, seqError: 0, pcrError: 0 }));
    const bases = result.records
      .filter((r) => r.cigar === `${r.seq.length}M` && r.pos1 <= site.pos1 && r.pos1 + r.seq.length > site.pos1)
      .map((r) => r.seq[site.pos1 - r.pos1]);
    expect(bases.length).toBeGreaterThan(10);
    expect(new Set(bases)).toEqual(new Set(['A']));
  });

  it('a simulated site overlapping panel positions keeps its own REF there (no conflict error)', () => {
    // An MNV starting 1 bp before ESR1 Y537S (A at 152098788) whose second REF base says T.
    const mnv = { chrom: 'chr6', pos1: 152098787, ref: 'TT', alt: 'GG', vaf: 0.5 };
    const result = simulateSample(spec([mnv], { depth: 50 }));
    // Reads spanning both MNV bases (no soft clip): REF molecules show the site's TT, ALT ones GG;
    // the panel's A at 152098788 appears only as a sequencing/PCR error (~1e-3 per read).
    let tt = 0;
    let panelA = 0;
    for (const r of result.records) {
      const offset = 152098787 - r.pos1;
      if (r.cigar !== `${r.seq.length}M` || offset < 0 || offset + 1 >= r.seq.length) continue;
      if (r.seq.slice(offset, offset + 2) === 'TT') tt++;
      if (r.seq[offset + 1] === 'A') panelA++;
    }
    expect(tt).toBeGreaterThan(20);
    expect(panelA).toBeLessThanOrEqual(2);
    const ref = new SyntheticReference();
    ref.placeAllele('chr6', 152098787, 'TT', 'site');
    ref.placeBackgroundAllele('chr6', 152098788, 'A');
    ref.placeBackgroundAllele('chr6', 152098789, 'C');
    expect(ref.segment('chr6', 152098786, 152098789)).toBe('TTC');
  });
});
