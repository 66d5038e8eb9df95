import type { SyntheticReference } from './reference.js';

/**
 * A simulated DNA molecule: its bases (ASCII codes) in reference orientation and, for each base,
 * the 0-based reference position it aligns to (-1 for inserted bases). Deleted reference bases
 * show as a jump in `refPos` between neighbouring bases.
 */
export interface Molecule {
  bases: Uint8Array;
  refPos: Int32Array;
  /** True when the molecule is plain reference (no indel): every read aligns as one M run. */
  plain: boolean;
}

/** How an allele differs from its REF after removing the shared leading bases (VCF padding). */
export interface AlleleEdit {
  /** Leading bases shared by REF and ALT (kept as matches). */
  prefix: number;
  /** Substituted bases after the prefix (min of the remaining REF and ALT lengths). */
  substituted: number;
  inserted: number;
  deleted: number;
}

export function alleleEdit(ref: string, alt: string): AlleleEdit {
  let prefix = 0;
  while (prefix < ref.length && prefix < alt.length && ref[prefix] === alt[prefix]) prefix++;
  const r = ref.length - prefix;
  const a = alt.length - prefix;
  const substituted = Math.min(r, a);
  return { prefix, substituted, inserted: a - substituted, deleted: r - substituted };
}

export interface PlacedAllele {
  /** 0-based position of the first REF base. */
  pos0: number;
  ref: string;
  alt: string;
}

/**
 * Builds a molecule of `length` bases starting at reference position `start0`, carrying `allele`
 * (or the reference when undefined). The allele must start at or after `start0`.
 */
export function buildMolecule(
  reference: SyntheticReference,
  contig: string,
  start0: number,
  length: number,
  allele?: PlacedAllele,
): Molecule {
  const refPos = new Int32Array(length);
  const bases = new Uint8Array(length);
  if (!allele) {
    for (let i = 0; i < length; i++) refPos[i] = start0 + i;
    reference.fill(contig, start0, length, bases);
    return { bases, refPos, plain: true };
  }
  const edit = alleleEdit(allele.ref, allele.alt);
  let i = 0;
  let p = start0;
  const editStart = allele.pos0 + edit.prefix;
  // Reference up to the allele (including the shared prefix).
  const before = Math.min(length, editStart - start0);
  reference.fill(contig, start0, before, bases, 0);
  for (; i < before; i++) refPos[i] = p++;
  for (let k = 0; k < edit.substituted && i < length; k++) {
    bases[i] = allele.alt.charCodeAt(edit.prefix + k);
    refPos[i++] = p++;
  }
  for (let k = 0; k < edit.inserted && i < length; k++) {
    bases[i] = allele.alt.charCodeAt(edit.prefix + edit.substituted + k);
    refPos[i++] = -1;
  }
  p += edit.deleted;
  const rest = length - i;
  reference.fill(contig, p, rest, bases, i);
  for (; i < length; i++) refPos[i] = p++;
  return { bases, refPos, plain: edit.inserted === 0 && edit.deleted === 0 };
}

/** Reference span [first0, end0) of molecule bases [a, b) (ignoring inserted bases). */
export function alignedSpan(mol: Molecule, a: number, b: number): { first0: number; end0: number } | null {
  let first0 = -1;
  let last0 = -1;
  for (let i = a; i < b; i++) {
    const r = mol.refPos[i];
    if (r < 0) continue;
    if (first0 < 0) first0 = r;
    last0 = r;
  }
  return first0 < 0 ? null : { first0, end0: last0 + 1 };
}

/**
 * Alignment of the read made of molecule bases [a, b): 0-based position and CIGAR. `clipLeft` /
 * `clipRight` bases at the ends are soft-clipped (the caller replaced them, e.g. by adapter
 * sequence); inserted bases at either end of the aligned part also become soft clips, as an
 * aligner would report them.
 */
export function readAlignment(mol: Molecule, a: number, b: number, clipLeft = 0, clipRight = 0): { pos0: number; cigar: string } {
  if (mol.plain) {
    const m = b - a - clipLeft - clipRight;
    const cigar = `${clipLeft ? `${clipLeft}S` : ''}${m}M${clipRight ? `${clipRight}S` : ''}`;
    return { pos0: mol.refPos[a + clipLeft], cigar };
  }
  let lead = clipLeft;
  while (a + lead < b - clipRight && mol.refPos[a + lead] < 0) lead++;
  let trail = clipRight;
  while (b - 1 - trail > a + lead && mol.refPos[b - 1 - trail] < 0) trail++;
  if (a + lead >= b - trail) throw new Error('internal: simulated read has no aligned base');
  let cigar = lead ? `${lead}S` : '';
  let run = 0;
  let runOp = '';
  const flush = () => {
    if (run) cigar += `${run}${runOp}`;
    run = 0;
  };
  let prev = -1;
  for (let i = a + lead; i < b - trail; i++) {
    const r = mol.refPos[i];
    const op = r < 0 ? 'I' : 'M';
    if (r >= 0 && prev >= 0 && r > prev + 1) {
      flush();
      cigar += `${r - prev - 1}D`;
    }
    if (op !== runOp) {
      flush();
      runOp = op;
    }
    run++;
    if (r >= 0) prev = r;
  }
  flush();
  if (trail) cigar += `${trail}S`;
  return { pos0: mol.refPos[a + lead], cigar };
}
