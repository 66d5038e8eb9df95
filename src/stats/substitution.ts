import type { Site } from '../count/types.js';
import type { SubstitutionClass } from './types.js';

const BASES = new Set(['A', 'C', 'G', 'T']);

/** Substitution class of a site: `R>A` for SNVs, `indel` when lengths differ, else `mnv`. */
export function substitutionClass(site: Pick<Site, 'ref' | 'alt'>): SubstitutionClass {
  const ref = site.ref.toUpperCase();
  const alt = site.alt.toUpperCase();
  if (ref.length !== alt.length) return 'indel';
  if (ref.length === 1 && BASES.has(ref) && BASES.has(alt) && ref !== alt) return `${ref}>${alt}` as SubstitutionClass;
  return 'mnv';
}

/** Trinucleotide context key `5'[R>A]3'` (e.g. `A[C>T]G`), the COSMIC SBS notation. */
export function contextKey(left: string, ref: string, alt: string, right: string): string {
  return `${left.toUpperCase()}[${ref.toUpperCase()}>${alt.toUpperCase()}]${right.toUpperCase()}`;
}
