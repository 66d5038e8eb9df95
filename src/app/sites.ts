import { readAlignmentHeader } from '../count/alignments.js';
import { detectBuild, type DetectedBuild } from '../count/genome-build.js';
import type { Region } from '../count/region.js';
import { checkedSite, mergeSiteFiles, rejectDuplicates, siteIdentity, type SiteFile } from '../count/sites.js';
import { loadSiteFile } from '../count/sites-load.js';
import { checkBuilds, resolveSites, type ResolvedSite } from '../count/sites-resolve.js';
import type { Site } from '../count/types.js';
import type { BamHeader } from '../io/bam-header.js';

/**
 * Site loading, once for every command: `--sites` arguments (a VCF, a panel TSV, `panel:NAME`) or
 * sites given in code, checked against one alignment file's header (build, contig lengths),
 * merged without double counting and mapped onto its contig names (`chr6` ↔ `6`).
 */

/** A `--sites` argument, or sites given in code (the library). */
export type SiteInput = string | readonly Site[];

export interface LoadSiteContext {
  /** Build of the alignment file (from its header's contig lengths): picks the bundled panel's build. */
  bamBuild: DetectedBuild;
  /** `--region`: read only that window of an indexed VCF. */
  region?: Region;
}

/** One `--sites` argument: `panel:NAME` (bundled, reference/), else a VCF or panel TSV file. */
export async function loadSiteSpec(spec: string, ctx: LoadSiteContext): Promise<SiteFile> {
  if (!spec.startsWith('panel:')) return loadSiteFile(spec, ctx.region);
  // The bundled panels' schema (zod, ~90 ms to import) loads only for a `panel:` argument.
  const { loadBundledPanel } = await import('../reference/bundled-sites.js');
  const file = loadBundledPanel(spec, ctx.bamBuild);
  rejectDuplicates(file.sites);
  return file;
}

/** Sites given in code, checked and trimmed like a file's. */
function inMemorySites(sites: readonly Site[]): SiteFile {
  const source = '(sites given in code)';
  const file: SiteFile = {
    source,
    kind: 'panel-tsv',
    sites: sites.map((s, i) => checkedSite(source, undefined, s, `site ${i + 1}`)),
    contigLengths: new Map(),
  };
  rejectDuplicates(file.sites);
  return file;
}

/** The sites of one or more inputs, checked against one BAM or CRAM and ready for the engine. */
export interface SitesForAlignment {
  header: BamHeader;
  bamBuild: DetectedBuild;
  /** Parsed inputs, in the order given (the first spelling of a shared site wins). */
  files: SiteFile[];
  /** Merged, de-duplicated, mapped onto the file's contig names, in header order then position. */
  resolved: ResolvedSite[];
}

export interface LoadSitesOptions {
  /** The header, when the caller has read it already. */
  header?: BamHeader;
  region?: Region;
}

/** Loads every input for one alignment file: the build check, contig reconciliation and merging. */
export async function loadSitesForAlignment(
  path: string,
  inputs: readonly SiteInput[],
  opts: LoadSitesOptions = {},
): Promise<SitesForAlignment> {
  const header = opts.header ?? (await readAlignmentHeader(path));
  const bamBuild = detectBuild(header.refs);
  const files: SiteFile[] = [];
  for (const input of inputs) {
    files.push(typeof input === 'string' ? await loadSiteSpec(input, { bamBuild, region: opts.region }) : inMemorySites(input));
  }
  checkBuilds(path, bamBuild, header.refs, files);
  const resolved = resolveSites(mergeSiteFiles(files), path, header.refs, opts.region);
  return { header, bamBuild, files, resolved };
}

/** Indices into `resolved` of the sites that some file of `files` holds (by allele identity). */
export function rowsFromFiles(resolved: readonly ResolvedSite[], files: readonly SiteFile[]): number[] {
  const keys = new Set(files.flatMap((f) => f.sites.map((s) => siteIdentity(s.site))));
  return resolved.flatMap((r, i) => (keys.has(siteIdentity(r.site)) ? [i] : []));
}
