import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTargets, referenceBaseLookup, targetProbes } from '../../src/app/count-calls.js';
import { UserError } from '../../src/util/errors.js';
import { requireTools } from '../helpers/requires.js';

const HAVE_BGZIP = requireTools('samtools', 'bgzip');

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-calls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A 130-base contig written 60 bases per line, with its .fai written by hand (samtools faidx
// format: name, length, byte offset of the first base, bases per line, bytes per line).
const GENOME = 'ACGTTGCAAC'.repeat(13);
function fasta(name: string, contig: string, seq: string): string {
  const path = join(dir, name);
  const lines = seq.match(/.{1,60}/g)!;
  writeFileSync(path, `>${contig}\n${lines.join('\n')}\n`);
  writeFileSync(`${path}.fai`, `${contig}\t${seq.length}\t${contig.length + 2}\t60\t61\n`);
  return path;
}

describe('--targets probes', () => {
  it('renames BED contigs to the BAM naming and leaves tested positions out', () => {
    const bed = join(dir, 't.bed');
    writeFileSync(bed, '6\t99\t102\n');
    const { intervals, probes } = targetProbes(
      readTargets(bed),
      bed,
      [{ name: 'chr6', length: 1000 }],
      [{ chrom: 'chr6', pos1: 101, ref: 'A', alt: 'G', gene: '', protein: '', id: '' }],
      'x.bam',
    );
    expect(intervals).toEqual([{ chrom: 'chr6', start0: 99, end0: 102 }]);
    // positions 100 and 102 (1-based) × 3 probes; 101 is a tested site.
    expect(probes.map((p) => `${p.chrom}:${p.pos1}${p.alt}`)).toEqual([
      'chr6:100C',
      'chr6:100G',
      'chr6:100T',
      'chr6:102C',
      'chr6:102G',
      'chr6:102T',
    ]);
  });
  it('rejects a BED contig the BAM lacks, naming the BED', () => {
    const bed = join(dir, 'u.bed');
    writeFileSync(bed, 'chr9\t0\t5\n');
    expect(() => targetProbes(readTargets(bed), bed, [{ name: 'chr6', length: 1000 }], [], 'x.bam')).toThrow(
      /u\.bed: contig chr9 is not in the header of x\.bam/,
    );
  });
});

describe('--reference bases for the in-sample background', () => {
  it('returns the FASTA base at each target position and its neighbours, either contig spelling', async () => {
    const path = fasta('g.fa', '6', GENOME);
    const base = await referenceBaseLookup(
      path,
      [{ chrom: 'chr6', start0: 60, end0: 70 }],
      [{ name: 'chr6', length: GENOME.length }],
      'x.bam',
    );
    for (const pos1 of [60, 61, 65, 70, 71]) expect(base('chr6', pos1), String(pos1)).toBe(GENOME[pos1 - 1]);
    expect(base('chr6', 5)).toBe('N'); // outside every interval
  });
  it.skipIf(!HAVE_BGZIP)('reads a bgzipped FASTA (with the .gzi samtools faidx writes) as the plain one', async () => {
    const plain = fasta('z.fa', 'chr6', GENOME);
    const gz = join(dir, 'z.fa.gz');
    writeFileSync(gz, execFileSync('bgzip', ['-c', plain]));
    execFileSync('samtools', ['faidx', gz]);
    const intervals = [{ chrom: 'chr6', start0: 0, end0: GENOME.length }];
    const refs = [{ name: 'chr6', length: GENOME.length }];
    const fromGz = await referenceBaseLookup(gz, intervals, refs, 'x.bam');
    for (let pos1 = 1; pos1 <= GENOME.length; pos1++) expect(fromGz('chr6', pos1), String(pos1)).toBe(GENOME[pos1 - 1]);
  });
  it('refuses a FASTA of another assembly (contig length differs) and a FASTA without .fai', async () => {
    const path = fasta('short.fa', 'chr6', GENOME.slice(0, 100));
    await expect(
      referenceBaseLookup(path, [{ chrom: 'chr6', start0: 1, end0: 5 }], [{ name: 'chr6', length: GENOME.length }], 'x.bam'),
    ).rejects.toThrow(/short\.fa: contig chr6 has length 100 but chr6 in x\.bam has 130: another assembly/);
    const bare = join(dir, 'bare.fa');
    writeFileSync(bare, `>chr6\n${GENOME}\n`);
    await expect(referenceBaseLookup(bare, [], [], 'x.bam')).rejects.toBeInstanceOf(UserError);
  });
});
