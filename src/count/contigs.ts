/**
 * Contig name reconciliation between site files and BAM headers. Two naming families are in use:
 * UCSC (`chr1`, `chrX`, `chrM`) and Ensembl/NCBI (`1`, `X`, `MT`). A site keeps its own name in
 * every output; only the lookup into the BAM uses the BAM's name.
 */

/** The naming-family-free name: `chr6` → `6`, `chrM`/`M`/`chrMT` → `MT`; anything else unchanged. */
export function canonicalContig(name: string): string {
  const stripped = /^chr/i.test(name) ? name.slice(3) : name;
  const upper = stripped.toUpperCase();
  if (upper === 'M' || upper === 'MT') return 'MT';
  if (upper === 'X' || upper === 'Y') return upper;
  return stripped;
}

/** Maps contig names written either way onto the names a BAM header uses. */
export class ContigResolver {
  private readonly exact = new Map<string, number>();
  private readonly canonical = new Map<string, number>();

  constructor(readonly refs: readonly { name: string; length: number }[]) {
    refs.forEach((ref, index) => {
      this.exact.set(ref.name, index);
      const key = canonicalContig(ref.name);
      // Two header contigs with one canonical name (a BAM with both `6` and `chr6`): only exact
      // matches are safe for that name, so the alias is withdrawn.
      if (this.canonical.has(key)) this.canonical.set(key, -1);
      else this.canonical.set(key, index);
    });
  }

  /** Index of the BAM contig that `name` designates, exactly or by alias; undefined if none. */
  indexOf(name: string): number | undefined {
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    const alias = this.canonical.get(canonicalContig(name));
    return alias === undefined || alias < 0 ? undefined : alias;
  }

  /** The BAM's own name and length for `name`, or undefined. */
  resolve(name: string): { name: string; length: number; index: number } | undefined {
    const index = this.indexOf(name);
    return index === undefined ? undefined : { ...this.refs[index], index };
  }
}
