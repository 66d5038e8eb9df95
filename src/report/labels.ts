import { normaliseProtein } from '../reference/hgvs.js';

/**
 * One notation for a variant on every page and in the index: gene and one-letter HGVS protein
 * change, `ESR1 p.D538G` (the form the panel and the actionability table use). A site without a
 * protein change is named by gene and DNA change, `TERT chr5:1295113 G>A`.
 */
export function proteinNotation(protein: string): string {
  if (!protein) return '';
  return normaliseProtein(protein) ?? protein;
}

export function variantLabel(s: { gene: string; protein: string; chrom: string; pos: number; ref: string; alt: string }): string {
  const p = proteinNotation(s.protein);
  if (p) return `${s.gene} ${p}`.trim();
  return `${s.gene || s.chrom} ${s.chrom}:${s.pos} ${s.ref}>${s.alt}`.trim();
}

/** Same notation from gene and protein alone (classify's targetable list carries no coordinates). */
export function geneProteinLabel(gene: string, protein: string): string {
  const p = proteinNotation(protein);
  return `${gene} ${p}`.trim();
}
