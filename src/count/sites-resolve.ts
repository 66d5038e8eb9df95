import { UserError, fileError } from '../util/errors.js';
import { canonicalContig, ContigResolver } from './contigs.js';
import type { DetectedBuild } from './genome-build.js';
import { formatRegion, type Region } from './region.js';
import { describeSite, formatOrigin, type LoadedSite, type SiteFile } from './sites.js';
import type { Site } from './types.js';

/** A site ready to count: its own naming for output, the BAM's contig for the lookup. */
export interface ResolvedSite {
  /** As the site file wrote it; every output uses this. */
  site: Site;
  /** The same site with `chrom` spelled as in the BAM header (what the engine is given). */
  bamSite: Site;
  /** Index of the contig in the BAM header (the sort key of every output). */
  contigIndex: number;
  /**
   * The contig name every output prints: the spelling of the first input site on this contig.
   * Inputs that spell one contig two ways (`6` in a VCF, `chr6` in a panel) get one spelling, so
   * the VCF's records all match one `##contig` line.
   */
  outputChrom: string;
}

/**
 * Check that each site file's declared build is the BAM's. Two grounds: the build a file names
 * (##reference, ##contig lengths, panel build column) against the build of the BAM header's
 * lengths; and, for VCFs, any ##contig whose length differs from the BAM's contig of that name
 * (a different reference even when neither is a known build).
 */
export function checkBuilds(
  bamPath: string,
  bamBuild: DetectedBuild,
  refs: readonly { name: string; length: number }[],
  files: readonly SiteFile[],
): void {
  const resolver = new ContigResolver(refs);
  for (const file of files) {
    if (file.declaredBuild && bamBuild !== 'unknown' && file.declaredBuild !== bamBuild) {
      throw new UserError(
        `${file.source}: sites are ${file.declaredBuild} (from ${file.buildEvidence}) but the BAM ${bamPath} is ${bamBuild} (from its header's contig lengths); use sites of the BAM's build`,
      );
    }
    for (const [name, length] of file.contigLengths) {
      const ref = resolver.resolve(name);
      if (ref && ref.length !== length && canonicalContig(name) !== 'MT') {
        throw new UserError(
          `${file.source}: ##contig ${name} has length ${length} but the BAM ${bamPath} has ${ref.name} of length ${ref.length}: the sites and the BAM are on different references`,
        );
      }
    }
  }
}

/**
 * Map every site onto the BAM header (`chr6` ↔ `6`, `chrM` ↔ `MT`), rejecting sites on contigs the
 * BAM lacks and sites that end beyond their contig, then keep those overlapping `region`, sorted
 * in BAM contig order, then POS, REF, ALT (so several alleles at one position sort stably).
 */
export function resolveSites(
  sites: readonly LoadedSite[],
  bamPath: string,
  refs: readonly { name: string; length: number }[],
  region?: Region,
): ResolvedSite[] {
  const resolver = new ContigResolver(refs);
  let regionContig: number | undefined;
  if (region) {
    regionContig = resolver.indexOf(region.chrom);
    if (regionContig === undefined)
      throw new UserError(`--region ${formatRegion(region)}: contig ${region.chrom} is not in the header of ${bamPath}`);
  }
  const resolved: ResolvedSite[] = [];
  const spelling = new Map<number, string>();
  for (const { site, origin } of sites) {
    const ref = resolver.resolve(site.chrom);
    if (!ref) {
      throw fileError(
        formatOrigin(origin),
        `site ${describeSite(site)}: contig ${site.chrom} is not in the header of ${bamPath} (it has ${summariseNames(refs)})`,
      );
    }
    const end1 = site.pos1 + site.ref.length - 1;
    if (end1 > ref.length) {
      throw fileError(
        formatOrigin(origin),
        `site ${describeSite(site)} ends at ${end1}, beyond the end of ${ref.name} (length ${ref.length}) in ${bamPath}`,
      );
    }
    if (region && (ref.index !== regionContig || !overlaps(site, region))) continue;
    if (!spelling.has(ref.index)) spelling.set(ref.index, site.chrom);
    const outputChrom = spelling.get(ref.index)!;
    resolved.push({ site: { ...site, chrom: outputChrom }, bamSite: { ...site, chrom: ref.name }, contigIndex: ref.index, outputChrom });
  }
  return resolved.sort(compareResolved);
}

function overlaps(site: Site, region: Region): boolean {
  const start0 = site.pos1 - 1;
  const end0 = start0 + site.ref.length;
  return end0 > region.start0 && (region.end0 === undefined || start0 < region.end0);
}

export function compareResolved(a: ResolvedSite, b: ResolvedSite): number {
  return (
    a.contigIndex - b.contigIndex || a.site.pos1 - b.site.pos1 || compareText(a.site.ref, b.site.ref) || compareText(a.site.alt, b.site.alt)
  );
}

/** Code-unit order, independent of locale (localeCompare would make output depend on the machine). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function summariseNames(refs: readonly { name: string }[]): string {
  if (refs.length === 0) return 'no contigs';
  const shown = refs
    .slice(0, 5)
    .map((r) => r.name)
    .join(', ');
  return refs.length > 5 ? `${shown} and ${refs.length - 5} more` : shown;
}
