import type { Site } from './types.js';
import { trimAlleles } from './site-model.js';
import { canonicalContig } from './contigs.js';
import type { GenomeBuildName } from './genome-build.js';
import { fileError, UserError } from '../util/errors.js';

/** Where a site was read from, for messages: `FILE:LINE` (text files) or `FILE: record CHROM:POS`. */
export interface SiteOrigin {
  file: string;
  /** 1-based line number in the (decompressed) file, when the site came from a line-numbered read. */
  line?: number;
}

export interface LoadedSite {
  site: Site;
  origin: SiteOrigin;
  /** From a VCF: the call is somatic (INFO/SOMATIC, or a tumour–normal VCF). */
  somatic?: boolean;
}

/** One `--sites` input after parsing. */
export interface SiteFile {
  /** As the user wrote it (a path or `panel:breast`). */
  source: string;
  kind: 'vcf' | 'panel-tsv' | 'bundled-panel';
  sites: LoadedSite[];
  /** The build the file declares (VCF ##reference / ##contig lengths, a panel `build` column). */
  declaredBuild?: GenomeBuildName;
  /** Where the declared build came from, quoted in the mismatch error. */
  buildEvidence?: string;
  /** `##contig` lengths of a VCF, by the file's own contig names. */
  contigLengths: Map<string, number>;
}

/** `FILE:LINE` or `FILE` for messages. */
export function formatOrigin(origin: SiteOrigin): string {
  return origin.line === undefined ? origin.file : `${origin.file}:${origin.line}`;
}

export function describeSite(site: Pick<Site, 'chrom' | 'pos1' | 'ref' | 'alt'>): string {
  return `${site.chrom}:${site.pos1} ${site.ref}>${site.alt}`;
}

const BASES = /^[ACGTN]+$/;

/**
 * Check and upper-case one REF/ALT pair. Throws a message (without the location; the reader adds
 * it) for symbolic alleles (`<DEL>`, `<*>`), the overlapping-deletion `*`, breakends (`A[1:5[`),
 * missing `.` and anything that is not a plain base string: none of these names a countable allele.
 */
export function checkAlleles(ref: string, alt: string): { ref: string; alt: string } {
  const r = ref.toUpperCase();
  const a = alt.toUpperCase();
  if (!BASES.test(r)) throw new Error(`REF ${JSON.stringify(ref)} is not a base string (A, C, G, T, N)`);
  if (a === '.' || a === '') throw new Error('ALT is missing (".")');
  if (a.startsWith('<')) throw new Error(`symbolic ALT ${alt} cannot be counted; give the sequence`);
  if (a === '*') throw new Error('ALT "*" (overlapping deletion) cannot be counted');
  if (a.includes('[') || a.includes(']')) throw new Error(`breakend ALT ${alt} cannot be counted`);
  if (!BASES.test(a)) throw new Error(`ALT ${JSON.stringify(alt)} is not a base string (A, C, G, T, N)`);
  if (a === r) throw new Error(`ALT equals REF (${ref})`);
  return { ref: r, alt: a };
}

/**
 * Alleles are trimmed with the counting engine's own rule (site-model.ts), so what the outputs
 * print is exactly what was counted: the common suffix, then the common prefix (advancing POS),
 * keeping one padding base for insertions, deletions and length-changing substitutions. So
 * `ACG>ATG` becomes the SNV `C>T` at POS+1 and `ATT>ATTT` the insertion `A>AT`. Not done:
 * left-alignment through repeats, which needs the reference (run `bcftools norm -f` on the input).
 */
export { trimAlleles };

/** Identity of a site across files and naming families: canonical contig, POS, REF, ALT. */
export function siteIdentity(site: Pick<Site, 'chrom' | 'pos1' | 'ref' | 'alt'>): string {
  return `${canonicalContig(site.chrom)}\t${site.pos1}\t${site.ref}\t${site.alt}`;
}

/** Within one file a repeated site is bad input: name both places. */
export function rejectDuplicates(sites: readonly LoadedSite[]): void {
  const seen = new Map<string, LoadedSite>();
  for (const loaded of sites) {
    const key = siteIdentity(loaded.site);
    const first = seen.get(key);
    if (first) {
      const where = loaded.origin.line === undefined ? loaded.origin.file : `${loaded.origin.file}:${loaded.origin.line}`;
      const firstWhere = first.origin.line === undefined ? 'an earlier record' : `line ${first.origin.line}`;
      throw new UserError(`${where}: duplicate site ${describeSite(loaded.site)} (already at ${firstWhere})`);
    }
    seen.set(key, loaded);
  }
}

/**
 * Merge several `--sites` inputs into one list without counting a site twice: a site is kept once,
 * at its first appearance, with the first file's chrom spelling and annotations; blanks in
 * gene/protein/id are filled from later files (a tumour-informed VCF first, the panel second gives
 * the VCF's IDs and the panel's gene and protein).
 */
export function mergeSiteFiles(files: readonly SiteFile[]): LoadedSite[] {
  const merged: LoadedSite[] = [];
  const byKey = new Map<string, LoadedSite>();
  for (const file of files) {
    for (const loaded of file.sites) {
      const key = siteIdentity(loaded.site);
      const kept = byKey.get(key);
      if (!kept) {
        const copy: LoadedSite = { site: { ...loaded.site }, origin: loaded.origin };
        byKey.set(key, copy);
        merged.push(copy);
        continue;
      }
      if (kept.site.gene === '') kept.site.gene = loaded.site.gene;
      if (kept.site.protein === '') kept.site.protein = loaded.site.protein;
      if (kept.site.id === '') kept.site.id = loaded.site.id;
    }
  }
  return merged;
}

/** Check and trim one raw site; errors name `FILE:LINE` (or `FILE: record CHROM:POS`). */
export function checkedSite(
  file: string,
  line: number | undefined,
  raw: { chrom: string; pos1: number; ref: string; alt: string; gene: string; protein: string; id: string },
  where: string,
): LoadedSite {
  let alleles: { ref: string; alt: string };
  try {
    alleles = checkAlleles(raw.ref, raw.alt);
  } catch (e) {
    throw line === undefined ? fileError(file, `${where}: ${(e as Error).message}`) : fileError(file, (e as Error).message, line);
  }
  const trimmed = trimAlleles(raw.pos1, alleles.ref, alleles.alt);
  return {
    site: { chrom: raw.chrom, pos1: trimmed.pos1, ref: trimmed.ref, alt: trimmed.alt, gene: raw.gene, protein: raw.protein, id: raw.id },
    origin: { file, line },
  };
}
