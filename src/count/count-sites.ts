import { readBamHeader, type BamHeader } from '../io/bam-header.js';
import { countBam } from './count-bam.js';
import { collapseUmiFamilies } from './umi.js';
import { detectBuild, type DetectedBuild } from './genome-build.js';
import type { Region } from './region.js';
import { checkedSite, mergeSiteFiles, rejectDuplicates, type SiteFile } from './sites.js';
import { loadSiteSpec } from './sites-load.js';
import { checkBuilds, resolveSites, type ResolvedSite } from './sites-resolve.js';
import { DEFAULT_COUNT_SETTINGS, type CountResult, type CountSettings, type Site } from './types.js';

/** The sites of one or more inputs, checked against one BAM and ready for the engine. */
export interface SitesForBam {
  header: BamHeader;
  bamBuild: DetectedBuild;
  /** Parsed inputs, in the order given (the first spelling of a shared site wins). */
  files: SiteFile[];
  /** Merged, de-duplicated, mapped onto the BAM's contig names, in BAM order. */
  resolved: ResolvedSite[];
}

/**
 * Load site inputs (`panel:breast`, VCF, panel TSV, or sites given in code) for one BAM: the build
 * check, contig reconciliation (`chr6` ↔ `6`) and de-duplication shared by `count`, `track`,
 * `pon` and the library.
 */
export async function loadSitesForBam(
  bamPath: string,
  inputs: readonly (string | readonly Site[])[],
  opts: { header?: BamHeader; region?: Region } = {},
): Promise<SitesForBam> {
  const header = opts.header ?? (await readBamHeader(bamPath));
  const bamBuild = detectBuild(header.refs);
  const files: SiteFile[] = [];
  for (const input of inputs) {
    files.push(typeof input === 'string' ? await loadSiteSpec(input, { bamBuild, region: opts.region }) : inMemorySites(input));
  }
  checkBuilds(bamPath, bamBuild, header.refs, files);
  const resolved = resolveSites(mergeSiteFiles(files), bamPath, header.refs, opts.region);
  return { header, bamBuild, files, resolved };
}

/** Sites given in code, checked and trimmed like a file's. */
function inMemorySites(sites: readonly Site[]): SiteFile {
  const file: SiteFile = {
    source: '(sites given in code)',
    kind: 'panel-tsv',
    sites: sites.map((s, i) => checkedSite('(sites given in code)', undefined, s, `site ${i + 1}`)),
    contigLengths: new Map(),
  };
  rejectDuplicates(file.sites);
  return file;
}

/**
 * The library entry point: count alleles at `sites` in one BAM, with the CLI's defaults.
 *
 *   const result = await countSites('plasma.bam', ['panel:breast']);
 *   for (const row of result.rows) console.log(row.site.gene, row.site.protein, row.altCount, row.depth);
 *
 * `sites` are `--sites`-style inputs (paths or `panel:breast`) and/or arrays of Site objects.
 * Rows carry each site as its input spelled it, in BAM contig order then position.
 */
export async function countSites(
  bamPath: string,
  sites: readonly (string | readonly Site[])[],
  settings: Partial<CountSettings> = {},
  opts: { threads?: number; sample?: string; region?: Region } = {},
): Promise<CountResult> {
  const full: CountSettings = { ...DEFAULT_COUNT_SETTINGS, ...settings };
  const loaded = await loadSitesForBam(bamPath, sites, { region: opts.region });
  const bamSites = loaded.resolved.map((r) => r.bamSite);
  const result = await countBam(bamPath, bamSites, full, { threads: opts.threads, sample: opts.sample, header: loaded.header, observations: full.umi });
  let rows = result.rows;
  if (full.umi) {
    // Families instead of reads; the read-level counts stay in raw_ref_count / raw_alt_count.
    const collapsed = collapseUmiFamilies(result.observations!, bamSites, { minBaseq: full.minBaseq, keepSingletons: full.keepSingletons }, result.rows);
    if (collapsed.readsWithoutUmi > 0) result.warnings.push(`${bamPath}: ${collapsed.readsWithoutUmi} reads without a UMI were not counted`);
    rows = collapsed.rows;
  }
  const { observations: _unused, ...counted } = result;
  return { ...counted, rows: rows.map((row, i) => ({ ...row, site: loaded.resolved[i].site })) };
}
