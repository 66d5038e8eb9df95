/**
 * Targets BED (0-based half-open) for the in-sample background and the PoN class rates. Pure text
 * parsing; the caller reads the file. Intervals must be sorted and non-overlapping within each
 * contig (and each contig in one block): overlaps would count a position twice and an unsorted
 * file usually means the wrong file was given (bedtools sort / merge fix both).
 */
import type { TargetInterval } from './background.js';
import { StatsInputError } from './types.js';

/** More target positions than this would mean ~3 probe sites each: refuse rather than run for hours. */
export const MAX_TARGET_POSITIONS = 2_000_000;

export function parseTargetsBed(text: string, file: string): TargetInterval[] {
  const out: TargetInterval[] = [];
  const finished = new Set<string>();
  let current = '';
  let lastEnd = -1;
  let total = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1;
    const line = lines[i].replace(/\r$/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('track') || line.startsWith('browser')) continue;
    const f = line.split('\t');
    if (f.length < 3)
      throw new StatsInputError(`${file}:${ln}: expected at least 3 tab-separated columns (chrom start end), found ${f.length}`);
    const [chrom, s, e] = f;
    if (!/^\d+$/.test(s) || !/^\d+$/.test(e))
      throw new StatsInputError(`${file}:${ln}: start and end must be non-negative integers, found '${s}' '${e}'`);
    const start0 = Number(s);
    const end0 = Number(e);
    if (end0 <= start0) throw new StatsInputError(`${file}:${ln}: end ${end0} is not after start ${start0} (BED is 0-based half-open)`);
    if (chrom !== current) {
      if (finished.has(chrom))
        throw new StatsInputError(`${file}:${ln}: unsorted: ${chrom} appears again after other contigs (sort the BED: sort -k1,1 -k2,2n)`);
      if (current !== '') finished.add(current);
      current = chrom;
    } else if (start0 < lastEnd) {
      const prev = out[out.length - 1];
      const why = start0 < prev.start0 ? 'unsorted' : 'overlapping';
      throw new StatsInputError(
        `${file}:${ln}: ${why} interval ${chrom}:${start0}-${end0} (previous ${prev.chrom}:${prev.start0}-${prev.end0}; sort and merge it: bedtools merge)`,
      );
    }
    lastEnd = end0;
    total += end0 - start0;
    if (total > MAX_TARGET_POSITIONS)
      throw new StatsInputError(
        `${file}:${ln}: targets cover more than ${MAX_TARGET_POSITIONS} positions; give the panel's capture targets, not a genome-wide BED`,
      );
    out.push({ chrom, start0, end0 });
  }
  if (out.length === 0) throw new StatsInputError(`${file}: no target intervals`);
  return out;
}
