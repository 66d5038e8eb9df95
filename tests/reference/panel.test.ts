import { describe, expect, it } from 'vitest';
import { HGVS_C_DELINS, HGVS_C_SUBSTITUTION, parseCoding, proteinCodon, reverseComplement } from '../../src/reference/hgvs.js';
import { loadBundledPanel, loadPanel, loadPanelSites, loadPanelSources, parsePanel } from '../../src/reference/panel.js';
import type { PanelRow } from '../../src/reference/panel-schema.js';
import { UserError } from '../../src/util/errors.js';

/** Standard genetic code, written out here (not taken from the code under test). */
const CODE: Record<string, string> = {};
const B = 'TCAG';
const AA = 'FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG';
for (let i = 0; i < 64; i++) CODE[B[i >> 4] + B[(i >> 2) & 3] + B[i & 3]] = AA[i];

const IUPAC: Record<string, string[]> = { A: ['A'], C: ['C'], G: ['G'], T: ['T'], R: ['A', 'G'], Y: ['C', 'T'], N: ['A', 'C', 'G', 'T'] };
function expand(codon: string): string[] {
  return [...codon].reduce<string[]>((acc, b) => acc.flatMap((p) => IUPAC[b].map((x) => p + x)), ['']);
}

const all = loadBundledPanel();

describe('bundled panel rows', () => {
  it('holds both builds of every required hotspot', () => {
    const want = [
      'ESR1 p.E380Q',
      'ESR1 p.S463P',
      'ESR1 p.V534E',
      'ESR1 p.P535H',
      'ESR1 p.L536H',
      'ESR1 p.L536P',
      'ESR1 p.L536R',
      'ESR1 p.L536Q',
      'ESR1 p.Y537C',
      'ESR1 p.Y537N',
      'ESR1 p.Y537S',
      'ESR1 p.D538G',
      'PIK3CA p.N345K',
      'PIK3CA p.C420R',
      'PIK3CA p.E542K',
      'PIK3CA p.E545A',
      'PIK3CA p.E545D',
      'PIK3CA p.E545G',
      'PIK3CA p.E545K',
      'PIK3CA p.E726K',
      'PIK3CA p.M1043I',
      'PIK3CA p.H1047L',
      'PIK3CA p.H1047R',
      'PIK3CA p.H1047Y',
      'PIK3CA p.G1049R',
      'AKT1 p.E17K',
      'ERBB2 p.S310F',
      'ERBB2 p.S310Y',
      'ERBB2 p.L755S',
      'ERBB2 p.V777L',
      'ERBB2 p.D769Y',
    ];
    for (const w of want) {
      const [gene, protein] = w.split(' ');
      const builds = all
        .filter((r) => r.gene === gene && r.protein === protein)
        .map((r) => r.build)
        .sort();
      expect(builds, w).toEqual(['GRCh37', 'GRCh38']);
    }
    expect(all.some((r) => r.gene === 'PTEN')).toBe(true);
    expect(all.filter((r) => r.gene === 'TP53' && r.role === 'clonal_marker').length).toBeGreaterThanOrEqual(8);
  });

  it('every row has HGVS c. on a versioned RefSeq transcript and a one-letter HGVS p.', () => {
    for (const r of all) {
      expect(HGVS_C_SUBSTITUTION.test(r.cdna) || HGVS_C_DELINS.test(r.cdna), r.cdna).toBe(true);
      expect(proteinCodon(r.protein), r.protein).toBeDefined();
    }
  });

  it('one transcript per gene (the MANE Select one) and the gene strand recorded', () => {
    const tx = new Map<string, Set<string>>();
    for (const r of all) {
      const t = parseCoding(r.cdna)!.transcript;
      tx.set(r.gene, (tx.get(r.gene) ?? new Set()).add(`${t} ${r.strand}`));
    }
    expect(Object.fromEntries([...tx].map(([g, s]) => [g, [...s]]))).toEqual({
      ESR1: ['NM_000125.4 +'],
      PIK3CA: ['NM_006218.4 +'],
      AKT1: ['NM_001382430.1 -'],
      ERBB2: ['NM_004448.4 +'],
      PTEN: ['NM_000314.8 +'],
      TP53: ['NM_000546.6 -'],
    });
  });

  it('codon arithmetic: the c. position lies in the protein codon, and the codon translates to both amino acids', () => {
    for (const r of all) {
      const c = parseCoding(r.cdna)!;
      const p = proteinCodon(r.protein)!;
      const label = `${r.gene} ${r.protein} ${r.cdna}`;
      expect(Math.ceil(c.cdsStart / 3), label).toBe(p.codon);
      expect(Math.ceil(c.cdsEnd / 3), `${label} stays in one codon`).toBe(p.codon);
      const offset = (c.cdsStart - 1) % 3;
      for (const codon of expand(r.ref_codon)) {
        expect(CODE[codon], `${label}: ref codon ${codon}`).toBe(p.refAa);
        if (c.refBases) expect(codon.slice(offset, offset + 1), `${label}: c. ref base`).toBe(c.refBases);
        const mutated = codon.slice(0, offset) + c.altBases + codon.slice(offset + c.altBases.length);
        expect(CODE[mutated], `${label}: alt codon ${mutated}`).toBe(p.altAa);
      }
    }
  });

  it('genomic alleles are the transcript alleles on + strand genes and their reverse complement on − strand genes', () => {
    for (const r of all) {
      const c = parseCoding(r.cdna)!;
      const offset = (c.cdsStart - 1) % 3;
      const txRef = c.refBases ?? r.ref_codon.slice(offset, offset + c.altBases.length);
      const [ref, alt] = r.strand === '+' ? [txRef, c.altBases] : [reverseComplement(txRef), reverseComplement(c.altBases)];
      expect(`${r.ref}>${r.alt}`, `${r.gene} ${r.protein} ${r.build}`).toBe(`${ref}>${alt}`);
    }
  });

  it('multi-base changes are MNVs spanning every changed base, never SNVs', () => {
    const l536q = all.filter((r) => r.protein === 'p.L536Q');
    expect(l536q.length).toBe(2);
    for (const r of l536q) {
      expect(r.cdna).toMatch(/c\.1607_1608delinsAG$/);
      expect(r.ref).toBe('TC');
      expect(r.alt).toBe('AG');
    }
    for (const r of all) {
      const c = parseCoding(r.cdna)!;
      expect(r.ref.length, r.cdna).toBe(c.cdsEnd - c.cdsStart + 1);
    }
  });

  it('the same protein change has the same alleles, transcript and role in both builds, at the gene-wide build offset', () => {
    const byChange = new Map<string, PanelRow[]>();
    for (const r of all) byChange.set(`${r.gene} ${r.protein}`, [...(byChange.get(`${r.gene} ${r.protein}`) ?? []), r]);
    const offsets = new Map<string, Set<number>>();
    for (const [key, rows] of byChange) {
      expect(rows.length, key).toBe(2);
      const [a, b] = rows;
      expect([a.ref, a.alt, a.cdna, a.role, a.chrom], key).toEqual([b.ref, b.alt, b.cdna, b.role, b.chrom]);
      const g38 = rows.find((r) => r.build === 'GRCh38')!;
      const g37 = rows.find((r) => r.build === 'GRCh37')!;
      offsets.set(a.gene, (offsets.get(a.gene) ?? new Set()).add(g38.pos - g37.pos));
    }
    // One offset per gene: a row at the wrong codon in one build would show up as a second offset.
    for (const [gene, set] of offsets) expect([...set].length, gene).toBe(1);
  });

  it('no duplicate sites within a build', () => {
    const keys = all.map((r) => `${r.build} ${r.chrom}:${r.pos} ${r.ref}>${r.alt}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('every row names its sources; verified rows need two, of which at least one is a listing in that build', () => {
    const sources = loadPanelSources();
    for (const r of all) {
      expect(r.sources.length).toBeGreaterThan(0);
      expect(r.verification.length).toBeGreaterThan(0);
      if (r.status === 'unverified') {
        expect(r.verification.startsWith('UNVERIFIED'), r.verification).toBe(true);
        continue;
      }
      const keys = r.sources.split(';');
      expect(keys.length, `${r.gene} ${r.protein} ${r.build}`).toBeGreaterThanOrEqual(2);
      expect(new Set(keys).size).toBe(keys.length);
      let listings = 0;
      for (const key of keys) {
        const base = key.startsWith('exon-anchor:') ? key.slice('exon-anchor:'.length) : key;
        const src = sources.get(base);
        expect(src, `source key ${key} of ${r.gene} ${r.protein}`).toBeDefined();
        expect(src!.builds.split(','), `${key} covers ${r.build}`).toContain(r.build);
        if (src!.kind === 'listing') listings++;
      }
      expect(listings, `${r.gene} ${r.protein} ${r.build}: a liftover alone is not a source`).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('loadPanel filters', () => {
  it('leaves unverified rows out unless asked', () => {
    const byDefault = loadPanel();
    expect(byDefault.every((r) => r.status === 'verified')).toBe(true);
    const everything = loadPanel({ includeUnverified: true });
    expect(everything.length).toBe(all.length);
    expect(everything.length).toBeGreaterThan(byDefault.length);
    expect(byDefault.some((r) => r.protein === 'p.L536Q')).toBe(false);
  });

  it('selects a build and genes, sorted by position', () => {
    const rows = loadPanel({ build: 'GRCh38', genes: ['PIK3CA', 'ESR1'] });
    expect(new Set(rows.map((r) => r.build))).toEqual(new Set(['GRCh38']));
    expect(new Set(rows.map((r) => r.gene))).toEqual(new Set(['PIK3CA', 'ESR1']));
    expect(rows[0].chrom).toBe('chr3'); // chr3 before chr6
    for (let i = 1; i < rows.length; i++) {
      if (rows[i].chrom === rows[i - 1].chrom) expect(rows[i].pos).toBeGreaterThanOrEqual(rows[i - 1].pos);
    }
  });

  it('an unknown gene is a usage error that suggests the nearest name', () => {
    try {
      loadPanel({ genes: ['ESRl'] });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).exitCode).toBe(2);
      expect((e as Error).message).toBe('unknown gene ESRl; did you mean ESR1?');
    }
  });

  it('loadPanelSites gives counting sites with ids', () => {
    const sites = loadPanelSites('GRCh38', { genes: ['ESR1'] });
    const d538g = sites.find((s) => s.id === 'ESR1_D538G')!;
    expect(d538g).toEqual({ chrom: 'chr6', pos1: 152098791, ref: 'A', alt: 'G', gene: 'ESR1', protein: 'p.D538G', id: 'ESR1_D538G' });
    const grch37 = loadPanelSites('GRCh37', { genes: ['ESR1'] }).find((s) => s.id === 'ESR1_D538G')!;
    expect(grch37.pos1).toBe(152419926);
  });
});

describe('panel parsing errors name the file and line', () => {
  const header = 'gene\tprotein\tchrom\tpos\tref\talt\tbuild\n';
  const msg = (text: string) => {
    try {
      parsePanel(text, 'my.tsv', 'user');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  it('accepts a minimal user panel', () => {
    expect(parsePanel(`${header}ESR1\tp.D538G\tchr6\t100\tA\tG\tGRCh38\n`, 'my.tsv', 'user')[0].pos).toBe(100);
  });
  it('duplicate site', () => {
    expect(msg(`${header}X\tp\tchr6\t100\tA\tG\tGRCh38\nY\tq\tchr6\t100\tA\tG\tGRCh38\n`)).toBe(
      'my.tsv:3: duplicate site chr6:100 A>G (GRCh38); first listed at line 2',
    );
  });
  it('unknown build', () => {
    expect(msg(`${header}X\tp\tchr6\t100\tA\tG\thg19\n`)).toBe('my.tsv:2: column build: build must be GRCh38 or GRCh37');
  });
  it('bad allele and bad position', () => {
    expect(msg(`${header}X\tp\tchr6\t100\tA\tZ\tGRCh38\n`)).toBe('my.tsv:2: column alt: alt must be A/C/G/T');
    expect(msg(`${header}X\tp\tchr6\t-4\tA\tG\tGRCh38\n`)).toMatch(/^my\.tsv:2: column pos: /);
  });
  it('wrong column count and missing columns', () => {
    expect(msg(`${header}X\tp\tchr6\t100\tA\tG\n`)).toBe('my.tsv:2: expected 7 tab-separated columns, found 6');
    expect(msg('gene\tchrom\tpos\n')).toBe('my.tsv:1: missing column(s) protein, ref, alt, build in header');
  });
});
