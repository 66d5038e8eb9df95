import { join } from 'node:path';
import { isCram } from '../count/alignments.js';
import type { Region } from '../count/region.js';
import { siteKeyOf } from '../count/site-key.js';
import type { CountResult, CountSettings, ObservationTable, Site, SiteCounts } from '../count/types.js';
import { DEFAULT_COUNT_SETTINGS } from '../count/types.js';
import type { UmiCollapseResult } from '../count/umi.js';
import type { BamHeader } from '../io/bam-header.js';
import type { CohortStore } from '../store/store.js';
import { type CachedCount, contentSha256, countCacheKey, readCachedCount, writeCachedCount } from './count-cache.js';
import { countAlignmentSites } from './count-alignment.js';
import { loadSitesForAlignment, rowsFromFiles, type SiteInput, type SitesForAlignment } from './sites.js';

/**
 * countSample: one draw's counts at its sites, for every command that counts (count, pon, track,
 * run, the library's countSites): load the sites for this file, then reuse a count made before
 * (a precomputed count document, the cohort store, the counts cache) or count with the engine,
 * collapsing UMI families when asked; a new count is cached and ingested.
 */

/** Where a draw's counts came from. */
export type CountSource = 'counted' | 'cache' | 'store' | 'counts-dir';

/** Counts made before, and where new ones are kept. */
export interface CountReuse {
  /** Directory of the counts cache (`<name>.json`); absent or null: no cache. */
  cacheDir?: string | null;
  /** Directory of precomputed count documents (`<name>.count.json`), read instead of counting. */
  countsDir?: string | null;
  /** Cohort store: a stored count of the same draw is used; a new one is ingested. */
  store?: CohortStore | null;
}

export interface CountSampleRequest {
  /** BAM or CRAM (recognised by its first bytes); `-` reads a BAM from standard input. */
  path: string;
  /** `--sites` inputs, or sites given in code. */
  sites: readonly SiteInput[];
  /**
   * The patient's tumour-informed inputs (the samplesheet's `vcf`: variants called in the tissue).
   * Counted with `sites` (first, so their IDs are kept and a panel fills gene and protein); a site
   * in both is counted once and listed in `tumourInformed`.
   */
  tumourInformed?: readonly SiteInput[];
  settings?: CountSettings;
  /** The draw's name: sample column, cache file, store sample, counts-dir document. */
  name?: string;
  threads?: number;
  /** Indexed FASTA that decodes a reference-based CRAM. */
  referencePath?: string;
  region?: Region;
  /** Already-read header of this file. */
  header?: BamHeader;
  /**
   * Sites counted in the same pass after the resolved ones and returned apart, in the file's
   * naming (count --targets: the in-sample background's probes). Never reused from a cache.
   */
  extraSites?: (sites: SitesForAlignment) => Site[] | Promise<Site[]>;
  /** Keep the engine's per-read observations (over the resolved sites, then the extra ones). */
  observations?: boolean;
  onProgress?: (done: number, total: number) => void;
  reuse?: CountReuse;
}

export interface SampleCounts {
  /** One row per resolved site, in its own naming (not the file's contig spelling). */
  rows: SiteCounts[];
  /** The loaded sites: header, build, inputs and their resolution. */
  sites: SitesForAlignment;
  /** Rows of `extraSites`, in the file's naming. */
  extraRows: SiteCounts[];
  readsSeen: number;
  readsPassing: number;
  build: string;
  warnings: string[];
  source: CountSource;
  /** Site keys (`chrom:pos:ref>alt`, the sites' naming) that came from a tumour-informed input. */
  tumourInformed: Set<string>;
  /** Of those, the sites the tissue confirmed somatic (INFO/SOMATIC, or a tumour–normal VCF). */
  tissueSomatic: Set<string>;
  observations?: ObservationTable;
  /** Family statistics, when counted here with UMIs on. */
  umi?: UmiCollapseResult;
}

export async function countSample(req: CountSampleRequest): Promise<SampleCounts> {
  const settings = req.settings ?? DEFAULT_COUNT_SETTINGS;
  const informedInputs = req.tumourInformed ?? [];
  const loaded = await loadSitesForAlignment(req.path, [...informedInputs, ...req.sites], { header: req.header, region: req.region });
  const sites = loaded.resolved.map((r) => r.site);
  const informedFiles = loaded.files.slice(0, informedInputs.length);
  const tumourInformed = new Set(rowsFromFiles(loaded.resolved, informedFiles).map((i) => siteKeyOf(sites[i])));
  const somaticFiles = informedFiles.map((f) => ({ ...f, sites: f.sites.filter((l) => l.somatic) }));
  const tissueSomatic = new Set(rowsFromFiles(loaded.resolved, somaticFiles).map((i) => siteKeyOf(sites[i])));
  // Reuse is keyed by the draw's name; the library's countSites gives none and reuses nothing.
  const name = req.name ?? '';
  const base = { sites: loaded, extraRows: [], warnings: [], tumourInformed, tissueSomatic };
  const reuse = req.reuse ?? {};
  // The store and count-document modules (zod, better-sqlite3: ~110 ms to import) load only when
  // a counts directory or a store is used, so a plain `count` does not pay for them.
  if (reuse.countsDir) {
    const { readPrecomputedCounts } = await import('./counts-dir.js');
    const pre = await readPrecomputedCounts(join(reuse.countsDir, `${name}.count.json`), name, req.path, sites, settings);
    return { ...base, ...pre, source: 'counts-dir' };
  }

  const reusable = (reuse.store || reuse.cacheDir) && !req.extraSites && !req.observations;
  const bamSha256 = reusable ? await contentSha256(req.path) : '';
  const storeAccess = reusable && reuse.store ? await import('./count-store.js') : null;
  if (storeAccess && reuse.store) {
    const stored = storeAccess.findStoredCount(reuse.store, name, bamSha256, sites, settings);
    if (stored) return { ...base, ...stored, source: 'store' };
  }
  const bamSites = loaded.resolved.map((r) => r.bamSite);
  const cacheFile = reusable && reuse.cacheDir ? join(reuse.cacheDir, `${name}.json`) : null;
  const cacheKey = cacheFile ? countCacheKey(bamSha256, bamSites, settings, await referenceIndexSha256(req)) : '';
  const cached = cacheFile ? readCachedCount(cacheFile, cacheKey) : null;
  if (cached && cached.rows.length === sites.length) {
    return { ...base, ...cached, rows: cached.rows.map((r, i) => ({ ...r, site: sites[i] })), source: 'cache' };
  }

  const extraSites = req.extraSites ? await req.extraSites(loaded) : [];
  const result = await countAlignmentSites(req.path, [...bamSites, ...extraSites], settings, {
    threads: req.threads,
    sample: req.name,
    header: loaded.header,
    referencePath: req.referencePath,
    observations: req.observations,
    onProgress: req.onProgress,
  });
  const rows = result.rows.slice(0, bamSites.length).map((r, i) => ({ ...r, site: sites[i] }));
  const counted: CachedCount = { rows, readsSeen: result.readsSeen, readsPassing: result.readsPassing, build: result.build };
  if (cacheFile) writeCachedCount(cacheFile, cacheKey, name, req.path, counted);
  if (storeAccess && reuse.store) {
    storeAccess.ingestDraw(reuse.store, {
      ...counted,
      sample: name,
      bamPath: req.path,
      bamSha256,
      settings,
      siteSources: [...informedInputs, ...req.sites].filter((s): s is string => typeof s === 'string'),
      contigs: loaded.header.refs.map((r) => ({ name: r.name, length: r.length })),
    });
  }
  return {
    ...counted,
    sites: loaded,
    extraRows: result.rows.slice(bamSites.length),
    warnings: result.warnings,
    source: 'counted',
    tumourInformed,
    tissueSomatic,
    ...(result.observations ? { observations: result.observations } : {}),
    ...(result.umi ? { umi: result.umi } : {}),
  };
}

/** For a CRAM decoded with a FASTA: the SHA-256 of its .fai, part of the cache key. */
async function referenceIndexSha256(req: CountSampleRequest): Promise<string | undefined> {
  if (req.referencePath === undefined || !isCram(req.path)) return undefined;
  return contentSha256(`${req.referencePath}.fai`, 'FASTA index');
}

/**
 * The library's call: count alleles at `sites` in one BAM or CRAM, with the CLI's defaults.
 *
 *   const result = await countSites('plasma.bam', ['panel:breast']);
 *   for (const row of result.rows) console.log(row.site.gene, row.site.protein, row.altCount, row.depth);
 *
 * `sites` are `--sites`-style inputs (paths or `panel:breast`) and/or arrays of Site objects.
 * Rows carry each site as its input spelled it, in header contig order then position.
 */
export async function countSites(
  path: string,
  sites: readonly SiteInput[],
  settings: Partial<CountSettings> = {},
  opts: { threads?: number; sample?: string; region?: Region; referencePath?: string } = {},
): Promise<CountResult> {
  const full: CountSettings = { ...DEFAULT_COUNT_SETTINGS, ...settings };
  const c = await countSample({
    path,
    sites,
    settings: full,
    name: opts.sample,
    threads: opts.threads,
    region: opts.region,
    referencePath: opts.referencePath,
  });
  return {
    sample: opts.sample ?? '',
    bamPath: path,
    settings: full,
    rows: c.rows,
    build: c.build,
    readsSeen: c.readsSeen,
    readsPassing: c.readsPassing,
    warnings: c.warnings,
  };
}
