import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { countBam } from '../../src/count/count-bam.js';
import { countCram } from '../../src/count/count-cram.js';
import type { CountSettings, Site } from '../../src/count/types.js';
import { rng } from '../count/random-bam.js';

/** samtools with no network reference lookups (REF_PATH/REF_CACHE point nowhere). */
export function samtools(args: string[]): string {
  return execFileSync('samtools', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REF_PATH: ':', REF_CACHE: '/nonexistent' },
  });
}

/** Writes `name`.fa and its .fai from contig sequences. */
export function writeFasta(path: string, contigs: Record<string, string>, lineWidth = 60): void {
  let text = '';
  for (const [name, seq] of Object.entries(contigs)) {
    text += `>${name}\n`;
    for (let i = 0; i < seq.length; i += lineWidth) text += `${seq.slice(i, i + lineWidth)}\n`;
  }
  writeFileSync(path, text);
  samtools(['faidx', path]);
}

/** A CRAM of `bam` written by samtools against `fasta` with extra output options, indexed. */
export function cramOf(bam: string, fasta: string | null, out: string, options: string[] = []): string {
  const args = ['view', '-C', '-o', out];
  if (fasta) args.push('-T', fasta);
  for (const o of options) args.push('--output-fmt-option', o);
  samtools([...args, bam]);
  samtools(['index', out]);
  return out;
}

/** Sites at positions with reads: SNVs, plus insertions/deletions/MNVs where the pileup shows them. */
export function sitesFromPileup(bam: string, seed: number, want: number): Site[] {
  const text = samtools(['mpileup', '-B', '-x', '-A', '-d', '0', '-Q', '0', '-q', '0', '--ff', '0', bam]);
  const lines = text.split('\n').filter((l) => l && l.split('\t')[3] !== '0');
  const r = rng(seed);
  const sites: Site[] = [];
  const seen = new Set<string>();
  const add = (s: Omit<Site, 'gene' | 'protein' | 'id'>): void => {
    const k = `${s.chrom}:${s.pos1}:${s.ref}>${s.alt}`;
    if (seen.has(k)) return;
    seen.add(k);
    sites.push({ ...s, gene: '', protein: '', id: '' });
  };
  for (let k = 0; k < Math.min(want, lines.length); k++) {
    const f = lines[Math.floor(r() * lines.length)].split('\t');
    const chrom = f[0];
    const pos1 = Number(f[1]);
    const tokens = (f[4].match(/[ACGTNacgtn]/g) ?? ['A']).map((b) => b.toUpperCase());
    const refBase = tokens[0] === 'N' ? 'A' : tokens[0];
    const alt = tokens.find((b) => b !== refBase && b !== 'N') ?? 'ACGT'.replace(refBase, '')[0];
    add({ chrom, pos1, ref: refBase, alt });
    const ins = /\+(\d+)([ACGTNacgtn]+)/.exec(f[4]);
    if (ins) add({ chrom, pos1, ref: refBase, alt: refBase + ins[2].slice(0, Number(ins[1])).toUpperCase() });
    const del = /-(\d+)/.exec(f[4]);
    if (del) add({ chrom, pos1, ref: refBase + 'N'.repeat(Number(del[1])), alt: refBase });
    if (k % 3 === 0) add({ chrom, pos1, ref: refBase + 'C', alt: alt + 'G' });
  }
  return sites;
}

/**
 * Everything a count reports, without the site object (NaN compared as null), one line per part so
 * that a failure shows the first part that differs rather than one long string.
 */
function comparable(result: Awaited<ReturnType<typeof countBam>>): string {
  const lines = result.rows.map(({ site, ...rest }) => `${site.chrom}:${site.pos1} ${site.ref}>${site.alt} ${JSON.stringify(rest)}`);
  lines.push(`reads seen ${result.readsSeen}, passing ${result.readsPassing}, build ${result.build}`);
  const o = result.observations;
  if (o)
    for (let i = 0; i < o.length; i++)
      lines.push(
        `obs ${o.site[i]} ${o.allele[i]} ${o.qual[i]} ${o.flag[i]} ${o.readStart0[i]} ${o.mateStart0[i]} ${o.fragLen[i]} ${o.nameHashHi[i]} ${o.nameHashLo[i]} ${o.umi[i]}`,
      );
  return lines.join('\n');
}

/** The first line where two comparables differ (empty when equal). */
export function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return `line ${i + 1}:\n  BAM:  ${x[i]}\n  CRAM: ${y[i]}`;
  return '';
}

/** htslib's own decoding of a CRAM, as a sorted, indexed BAM: "the same reads as BAM". */
export function htslibTwin(cram: string, fasta: string | null, out: string): string {
  samtools(['view', '-b', '-o', out, ...(fasta ? ['-T', fasta] : []), cram]);
  samtools(['index', out]);
  return out;
}

/** countBam on the BAM and countCram on its CRAM twin give the same rows, totals and observation table. */
export async function expectSameCounts(
  bam: string,
  cram: string,
  reference: string | undefined,
  sites: Site[],
  settings: CountSettings,
  engine: 'wasm' | 'oracle' = 'wasm',
): Promise<{ same: boolean; bamText: string; cramText: string }> {
  const a = await countBam(bam, sites, settings, { observations: true, engine });
  const b = await countCram(cram, sites, settings, { observations: true, engine, referencePath: reference });
  const bamText = comparable(a);
  const cramText = comparable(b);
  return { same: bamText === cramText, bamText, cramText };
}
