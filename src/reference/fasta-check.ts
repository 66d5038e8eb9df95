import { UserError } from '../util/errors.js';
import type { PanelRow } from './panel-schema.js';

/** Returns the reference bases of [start0, end0) on `chrom`, or undefined if the contig is absent. */
export type FetchRef = (chrom: string, start0: number, end0: number) => Promise<string | undefined>;

/** Alternative spelling of a contig name (`chr6` ↔ `6`, `chrM` ↔ `MT`). */
export function altContigName(chrom: string): string {
  if (chrom === 'chrM') return 'MT';
  if (chrom === 'MT') return 'chrM';
  return chrom.startsWith('chr') ? chrom.slice(3) : `chr${chrom}`;
}

/**
 * Compare every row's REF with the genome. The first mismatch (or a contig the FASTA lacks) is an
 * error naming the row, because a panel whose REF disagrees with the genome would count the wrong
 * base at every site after it just as silently.
 */
export async function checkRefAlleles(rows: readonly PanelRow[], fetchRef: FetchRef, fastaName: string): Promise<void> {
  for (const r of rows) {
    const start0 = r.pos - 1;
    const end0 = start0 + r.ref.length;
    let seq = await fetchRef(r.chrom, start0, end0);
    if (seq === undefined) seq = await fetchRef(altContigName(r.chrom), start0, end0);
    const label = `${r.gene} ${r.protein} ${r.chrom}:${r.pos} (${r.build})`;
    if (seq === undefined) throw new UserError(`${fastaName}: contig ${r.chrom} not found (needed by panel row ${label})`);
    const genome = seq.toUpperCase();
    if (genome.length !== r.ref.length) {
      throw new UserError(`${fastaName}: ${r.chrom}:${r.pos} lies beyond the end of the contig (panel row ${label})`);
    }
    if (genome !== r.ref) {
      throw new UserError(`${fastaName}: reference has ${genome} at ${r.chrom}:${r.pos} but the panel row ${label} says REF=${r.ref}`);
    }
  }
}
