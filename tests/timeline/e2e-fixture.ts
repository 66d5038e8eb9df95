/**
 * Small real BAMs for end-to-end `track`/`classify` runs, written with the project's BAM writer.
 * One made-up contig (no known build); single-end 100 bp reads, MAPQ 60, base quality 40, each read
 * covering one site with the site's REF or ALT base; `alt` of `depth` reads carry the ALT.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBam } from '../../src/io/bam-writer.js';
import type { SamRecord } from '../../src/io/sam-record.js';

export const CONTIG = { name: 'chrT', length: 10_000 };

export const E2E_SITES = [
  { chrom: 'chrT', pos1: 1000, ref: 'C', alt: 'T', gene: 'TP53', protein: 'p.R175H', id: 'TP53_R175H' },
  { chrom: 'chrT', pos1: 3000, ref: 'C', alt: 'T', gene: 'TP53', protein: 'p.R273H', id: 'TP53_R273H' },
  { chrom: 'chrT', pos1: 5000, ref: 'A', alt: 'G', gene: 'ESR1', protein: 'p.D538G', id: 'ESR1_D538G' },
] as const;

/** A deterministic reference sequence with the sites' REF bases in place. */
function reference(): string {
  const bases = 'ACGT';
  let x = 12345;
  const out: string[] = [];
  for (let i = 0; i < CONTIG.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(bases[(x >>> 16) & 3]);
  }
  for (const s of E2E_SITES) out[s.pos1 - 1] = s.ref;
  return out.join('');
}
/** The contig's sequence (index 0 = position 1). */
export const E2E_REFERENCE = reference();
const REF = E2E_REFERENCE;

/** `counts[i]` = [alt, depth] at E2E_SITES[i]. */
export function drawRecords(sample: string, counts: readonly (readonly [number, number])[]): SamRecord[] {
  const records: SamRecord[] = [];
  counts.forEach(([alt, depth], i) => {
    const site = E2E_SITES[i];
    for (let r = 0; r < depth; r++) {
      const start1 = site.pos1 - 10 - (r % 80); // site at read offsets 10..89
      const seq = REF.slice(start1 - 1, start1 - 1 + 100).split('');
      seq[site.pos1 - start1] = r < alt ? site.alt : site.ref;
      records.push({
        qname: `${sample}_s${i}_r${r}`,
        flag: r % 2 === 0 ? 0 : 16,
        rname: CONTIG.name,
        pos1: start1,
        mapq: 60,
        cigar: '100M',
        rnext: '*',
        pnext1: 0,
        tlen: 0,
        seq: seq.join(''),
        qual: 'I'.repeat(100),
      });
    }
  });
  return records;
}

export function writeDrawBam(path: string, sample: string, counts: readonly (readonly [number, number])[]): void {
  writeBam(path, { refs: [CONTIG], text: `@RG\tID:${sample}\tSM:${sample}\n` }, drawRecords(sample, counts));
}

export function writeSitesTsv(path: string): void {
  const lines = [
    'chrom\tpos\tref\talt\tgene\tprotein\tid',
    ...E2E_SITES.map((s) => [s.chrom, s.pos1, s.ref, s.alt, s.gene, s.protein, s.id].join('\t')),
  ];
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${lines.join('\n')}\n`);
}
