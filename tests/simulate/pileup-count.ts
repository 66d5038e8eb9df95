import { execFileSync } from 'node:child_process';

/**
 * Allele counts at one site from `samtools mpileup` (an implementation independent of the
 * simulator): SNV/MNV first base, or the `+N`/`-N` indel markers after the padding base.
 */
export interface PileupCount {
  depth: number;
  ref: number;
  alt: number;
}

export function pileupAt(
  bam: string,
  chrom: string,
  pos1: number,
  ref: string,
  alt: string,
  opts: { overlapRemoval?: boolean; minBaseQ?: number } = {},
): PileupCount {
  const args = ['mpileup', '-B', '-A', '-d', '0', '-q', '0', '-Q', String(opts.minBaseQ ?? 1), '-r', `${chrom}:${pos1}-${pos1}`];
  if (opts.overlapRemoval === false) args.push('-x');
  args.push(bam);
  const out = execFileSync('samtools', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 }).trim();
  if (!out) return { depth: 0, ref: 0, alt: 0 };
  const cols = out.split('\n')[0].split('\t');
  const bases = cols[4];
  const depth = Number(cols[3]);
  let refN = 0;
  let altN = 0;
  const isIns = alt.length > ref.length && ref.length === 1;
  const isDel = ref.length > alt.length && alt.length === 1;
  for (let i = 0; i < bases.length; i++) {
    const c = bases[i];
    if (c === '^') {
      i++; // skip the mapping-quality character
      continue;
    }
    if (c === '$') continue;
    if (c === '+' || c === '-') {
      let j = i + 1;
      let n = 0;
      while (bases[j] >= '0' && bases[j] <= '9') n = n * 10 + Number(bases[j++]);
      const seq = bases.slice(j, j + n).toUpperCase();
      if (isIns && c === '+' && seq === alt.slice(1).toUpperCase()) altN++;
      // Without -f, mpileup writes deleted bases as N: the length identifies the deletion.
      if (
        isDel &&
        c === '-' &&
        n === ref.length - 1 &&
        /^[N]+$|^[ACGT]+$/.test(seq) &&
        (seq[0] === 'N' || seq === ref.slice(1).toUpperCase())
      )
        altN++;
      i = j + n - 1;
      continue;
    }
    if (c === '.' || c === ',') {
      // A reference base; for indel sites it counts as REF only if no indel marker follows.
      const next = bases[i + 1];
      if ((isIns || isDel) && (next === '+' || next === '-')) continue;
      refN++;
      continue;
    }
    if (!isIns && !isDel && c.toUpperCase() === alt[0].toUpperCase()) altN++;
  }
  return { depth, ref: refN, alt: altN };
}
