import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeWindowedFasta } from '../io/fasta-bgzf-writer.js';
import { simulatedReference } from '../simulate/simulate.js';
import type { SimulationSpec } from '../simulate/spec.js';

/**
 * The reference genome the demo BAMs were simulated against, as a bgzipped FASTA with the indexes
 * samtools writes (.fai, .gzi), so that `samtools view -C -T` can turn a demo BAM into a CRAM and
 * `--reference` can decode it. Contigs and lengths are the BAMs' @SQ lines (all of GRCh38's primary
 * contigs, 3.1 Gb); the bases are the simulator's synthetic genome wherever a read can lie (each
 * site ± 750 bp) and N elsewhere, where no read lies. ~6 MB; decision 0229.
 */

/** Where the demo writes it, relative to its input directory. */
export const DEMO_REFERENCE = join('reference', 'demo.fa.gz');

/**
 * Writes INPUT_DIR/reference/demo.fa.gz with .fai and .gzi for the demo specs, which share one genome
 * (the same contigs and sites; samples differ in VAFs and seeds only, and the synthetic genome
 * depends on neither). Files are rewritten only when their bytes change, each through a temporary
 * name; the .fai goes last, so an interrupted write never leaves an index over a partial FASTA.
 */
export function writeDemoReference(inputDir: string, specs: readonly SimulationSpec[]): string {
  const genomes = new Set(specs.map((s) => JSON.stringify([s.refs, s.sites.map((x) => [x.chrom, x.pos1, x.ref])])));
  if (genomes.size !== 1) throw new Error(`demo specs describe ${genomes.size} different genomes; the demo writes one reference`);
  const { reference, spans } = simulatedReference(specs[0]);
  const { fasta, fai, gzi } = encodeWindowedFasta(specs[0].refs, spans, (contig, start0, n, out) => reference.fill(contig, start0, n, out));
  const path = join(inputDir, DEMO_REFERENCE);
  const files: [string, Buffer][] = [
    [path, fasta],
    [`${path}.gzi`, gzi],
    [`${path}.fai`, Buffer.from(fai, 'latin1')],
  ];
  if (files.every(([p, bytes]) => existsSync(p) && readFileSync(p).equals(bytes))) return path;
  mkdirSync(dirname(path), { recursive: true });
  rmSync(`${path}.fai`, { force: true });
  for (const [p, bytes] of files) writeAtomically(p, bytes);
  return path;
}

function writeAtomically(path: string, bytes: Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
