import { describe, expect, it } from 'vitest';
import { chProneGeneSet, loadChProneGenes, parseChGenes } from '../../src/reference/ch-genes.js';
import { UserError } from '../../src/util/errors.js';

describe('CH-prone genes (reference/evidence/ch-prone-genes.tsv)', () => {
  const rows = loadChProneGenes();

  it('holds at least the genes the policy names, each with its sources and what was confirmed', () => {
    const genes = chProneGeneSet(rows);
    for (const g of ['TP53', 'PPM1D', 'DNMT3A', 'TET2', 'ASXL1', 'CHEK2', 'ATM']) expect(genes.has(g), g).toBe(true);
    for (const r of rows) {
      expect(r.sources, r.gene).toMatch(/Razavi P et al\. Nat Med 2019;25:1928-1937|Bolton KL et al\. Nat Genet 2020;52:1219-1226/);
      expect(r.confirmation.length, r.gene).toBeGreaterThan(20);
    }
  });

  it('a gene with a single source says so in its confirmation; every other gene cites at least two', () => {
    for (const r of rows) {
      const n = (r.sources.match(/ et al\. /g) ?? []).length;
      if (n < 2) expect(r.confirmation, r.gene).toMatch(/^ONE SOURCE ONLY/);
      else expect(r.confirmation, r.gene).not.toMatch(/^ONE SOURCE ONLY/);
    }
    // ATM is the one gene whose second source was not found (see the row).
    expect(rows.filter((r) => r.confirmation.startsWith('ONE SOURCE ONLY')).map((r) => r.gene)).toEqual(['ATM']);
  });

  it('a bad row is an error naming the file and line', () => {
    const head = 'gene\tch_role\tsources\tconfirmation\tnote\n';
    const msg = (text: string) => {
      try {
        parseChGenes(text, 'ch.tsv');
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(msg(`${head}dnmt3a\trole\tRazavi 2019;25\tchecked\t\n`)).toBe('ch.tsv:2: column gene: gene must be an HGNC symbol (A-Z, 0-9)');
    expect(msg(`${head}TET2\trole\t\tchecked\t\n`)).toBe('ch.tsv:2: column sources: every gene needs its sources');
    expect(msg(`${head}TET2\trole\tZink F et al. Blood 2017\tok\t\nTET2\trole\tZink F et al. Blood 2017\tok\t\n`)).toBe(
      'ch.tsv:3: duplicate gene TET2 (first on line 2)',
    );
  });
});
