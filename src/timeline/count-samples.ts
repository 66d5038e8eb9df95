import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { countBam } from '../count/count-bam.js';
import { collapseUmiFamilies } from '../count/umi.js';
import { detectBuild } from '../count/genome-build.js';
import { mergeSiteFiles, siteIdentity, type SiteFile } from '../count/sites.js';
import { loadSiteSpec } from '../count/sites-load.js';
import { checkBuilds, resolveSites } from '../count/sites-resolve.js';
import type { CountSettings, Site, SiteCounts } from '../count/types.js';
import { settingsRecord, toOutputRow } from '../count/sites-output-row.js';
import { type BamHeader, readBamHeader } from '../io/bam-header.js';
import { writeOutput } from '../io/output.js';
import { formatCountJson } from '../report/count-json.js';
import { canonicalJson, sha256File } from '../store/canonical.js';
import { parseCountDocument } from '../store/count-document.js';
import { countSettingsSha256, type CohortStore } from '../store/store.js';
import { storedRowToSiteCounts } from '../store/to-site-counts.js';
import { UserError, fileError } from '../util/errors.js';
import { VERSION } from '../version.js';
import { siteKeyOf } from './build.js';
import { idFileInside, idFileName } from '../util/safe-path.js';

/** Counts of one BAM at the sites, in the sites' own naming (not the BAM's contig spelling). */
export interface SampleCounts {
  rows: SiteCounts[];
  readsSeen: number;
  readsPassing: number;
  build: string;
  warnings: string[];
  /** true when not counted here (read from the cache, the store or a counts directory). */
  cached: boolean;
  /** Where the counts came from. */
  source: CountSource;
  /** Site keys (`chrom:pos:ref>alt`, output naming) that came from a tumour-informed VCF. */
  tumourInformed: Set<string>;
  /** Of those, the sites the VCF marks somatic (INFO/SOMATIC or a tumour–normal VCF). */
  tissueSomatic: Set<string>;
}

export type CountSource = 'counted' | 'cache' | 'store' | 'counts-dir';

// 2: keyed on the SHA-256 of the BAM's bytes (format 1 used size + mtime).
const CACHE_FORMAT = 2;

/**
 * The cache key of one count: tool version, the SHA-256 of the BAM's bytes, the sites (as given to
 * the engine) and every count setting. Keyed on content (issue 5: "the same BAM content"), so a
 * BAM copied or touched is reused and a BAM rewritten in place with the same size is not. The
 * index is left out: counts do not depend on which valid index (.bai or .csi) located the chunks.
 * Hashing streams the file at ~0.5 s per 200 MB (docs/guides/serial-samples.md), below a count of the same BAM.
 */
export function countCacheKey(bamSha256: string, sites: readonly Site[], settings: CountSettings): string {
  const payload = JSON.stringify({
    format: CACHE_FORMAT,
    version: VERSION,
    bam_sha256: bamSha256,
    sites: sites.map((s) => [s.chrom, s.pos1, s.ref, s.alt, s.gene, s.protein, s.id]),
    settings,
  });
  return createHash('sha256').update(payload).digest('hex');
}

/**
 * Hashes already taken in this process, keyed by file identity (device, inode, size, mtime): `run`
 * pre-counts every draw and then its track stage resolves the same BAMs again; without this each
 * BAM would be read twice per run (~0.5 s per 200 MB each time). Only within one process: the
 * persistent keys stay on content.
 */
const hashMemo = new Map<string, string>();

/** SHA-256 of a BAM's bytes; an unreadable BAM is the user's error (one line, exit 1). */
export async function bamContentSha256(bamPath: string): Promise<string> {
  try {
    const st = statSync(bamPath);
    const id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    const known = hashMemo.get(id);
    if (known) return known;
    const hash = await sha256File(bamPath);
    hashMemo.set(id, hash);
    return hash;
  } catch (e) {
    throw new UserError(`${bamPath}: cannot read BAM (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

interface CacheFile {
  cache_format: number;
  key: string;
  sample: string;
  bam: string;
  build: string;
  reads_seen: number;
  reads_passing: number;
  rows: SiteCounts[];
}

// JSON has no NaN: mean fragment lengths without supporting reads are stored as null.
const FRAG_FIELDS = ['meanFragLenRef', 'meanFragLenAlt'] as const;

function readCache(file: string, key: string): CacheFile | null {
  if (!existsSync(file)) return null;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (c.cache_format !== CACHE_FORMAT || c.key !== key || !Array.isArray(c.rows)) return null;
    for (const r of c.rows) for (const f of FRAG_FIELDS) if (r[f] === null) r[f] = Number.NaN;
    return c;
  } catch {
    return null; // unreadable cache: count again
  }
}

export interface CountSampleOptions {
  /** `--sites` arguments (files or panel:NAME), loaded for each BAM's build. */
  siteSpecs: string[];
  settings: CountSettings;
  threads: number;
  /** Directory for cached counts (DIR/counts); null disables the cache. */
  cacheDir: string | null;
  /** Name of the cache file (without .json): the sample ID, or `<sample>.normal`. */
  cacheName: string;
  /**
   * The patient's tumour-informed VCFs (the samplesheet's `vcf` column: variants called in the
   * tissue biopsy). Counted together with `siteSpecs`; a site in both is counted once (merged as
   * `count` merges several --sites, the VCF first so its IDs are kept and the panel fills gene and
   * protein) and reported in `tumourInformed`.
   */
  tumourInformedSpecs?: string[];
  /**
   * Directory of precomputed counts (`oligotrack count --format json` written as
   * `<cacheName>.count.json`): read instead of counting; an absent or mismatching file is an error.
   */
  countsDir?: string | null;
  /**
   * Cohort store: a stored count of the same sample, BAM bytes, sites and settings is used instead
   * of counting; otherwise the draw is counted and ingested (one transaction).
   */
  store?: CohortStore | null;
}

/**
 * Counts one BAM at the `--sites` (contig names reconciled to the BAM), reusing DIR/counts/<name>.json
 * when its key matches. Rows come back in the resolved site order, with the sites' own naming.
 */
export async function countSample(bamPath: string, opts: CountSampleOptions): Promise<SampleCounts> {
  const header = await readBamHeader(bamPath);
  const bamBuild = detectBuild(header.refs);
  const informedFiles: SiteFile[] = [];
  for (const spec of opts.tumourInformedSpecs ?? []) informedFiles.push(await loadSiteSpec(spec, { bamBuild }));
  const files: SiteFile[] = [...informedFiles];
  for (const spec of opts.siteSpecs) files.push(await loadSiteSpec(spec, { bamBuild }));
  checkBuilds(bamPath, bamBuild, header.refs, files);
  const resolved = resolveSites(mergeSiteFiles(files), bamPath, header.refs);
  const informedIds = new Set(informedFiles.flatMap((f) => f.sites.map((l) => siteIdentity(l.site))));
  const tumourInformed = new Set(resolved.filter((r) => informedIds.has(siteIdentity(r.site))).map((r) => siteKeyOf(r.site)));
  const somaticIds = new Set(informedFiles.flatMap((f) => f.sites.filter((l) => l.somatic).map((l) => siteIdentity(l.site))));
  const tissueSomatic = new Set(resolved.filter((r) => somaticIds.has(siteIdentity(r.site))).map((r) => siteKeyOf(r.site)));
  const sites = resolved.map((r) => r.site);
  if (opts.countsDir) {
    const file = join(opts.countsDir, idFileName(opts.cacheName, '.count.json'));
    const pre = await readPrecomputed(file, opts.cacheName, bamPath, sites, opts.settings);
    return { ...pre, warnings: [], cached: true, source: 'counts-dir', tumourInformed, tissueSomatic };
  }
  const bamSha256 = await bamContentSha256(bamPath);
  const storeKey = countSettingsSha256(settingsRecord(opts.settings), sites.map((x) => ({ chrom: x.chrom, pos: x.pos1, ref: x.ref, alt: x.alt })));
  const stored = opts.store?.findCount(opts.cacheName, bamSha256, storeKey);
  if (stored && stored.rows.length === sites.length) {
    return {
      rows: stored.rows.map((r, i) => ({ ...storedRowToSiteCounts(r), site: sites[i] })),
      readsSeen: stored.readsSeen,
      readsPassing: stored.readsPassing,
      build: stored.build,
      warnings: [],
      cached: true,
      source: 'store',
      tumourInformed,
      tissueSomatic,
    };
  }
  const got = await countOrCache(bamPath, bamSha256, resolved, header, opts);
  if (opts.store) ingestIntoStore(opts.store, opts, bamPath, bamSha256, got, header.refs.map((r) => ({ name: r.name, length: r.length })));
  return { ...got, tumourInformed, tissueSomatic };
}

type Resolved = ReturnType<typeof resolveSites>;

/** DIR/counts cache, else the engine; writes the cache after counting. */
async function countOrCache(bamPath: string, bamSha256: string, resolved: Resolved, header: BamHeader, opts: CountSampleOptions): Promise<Omit<SampleCounts, 'tumourInformed' | 'tissueSomatic'>> {
  const bamSites = resolved.map((r) => r.bamSite);
  const key = countCacheKey(bamSha256, bamSites, opts.settings);
  const cacheFile = opts.cacheDir ? idFileInside(opts.cacheDir, opts.cacheName, '.json') : null;
  const cached = cacheFile ? readCache(cacheFile, key) : null;
  if (cached && cached.rows.length === resolved.length) {
    return {
      rows: cached.rows.map((r, i) => ({ ...r, site: resolved[i].site })),
      readsSeen: cached.reads_seen,
      readsPassing: cached.reads_passing,
      build: cached.build,
      warnings: [],
      cached: true,
      source: 'cache',
    };
  }
  const result = await countBam(bamPath, bamSites, opts.settings, { threads: opts.threads, header, sample: opts.cacheName });
  const warnings = [...result.warnings];
  let counted = result.rows;
  if (opts.settings.umi) {
    if (!result.observations) throw new Error('countBam returned no observations with umi on');
    const collapsed = collapseUmiFamilies(result.observations, bamSites, { minBaseq: opts.settings.minBaseq, keepSingletons: opts.settings.keepSingletons }, result.rows);
    if (collapsed.readsWithoutUmi > 0) warnings.push(`${bamPath}: ${collapsed.readsWithoutUmi} reads without a UMI were not counted`);
    counted = collapsed.rows;
  }
  const rows = counted.map((r, i) => ({ ...r, site: resolved[i].site }));
  if (cacheFile) {
    const c: CacheFile = {
      cache_format: CACHE_FORMAT,
      key,
      sample: opts.cacheName,
      bam: bamPath,
      build: result.build,
      reads_seen: result.readsSeen,
      reads_passing: result.readsPassing,
      rows,
    };
    writeOutput(cacheFile, `${JSON.stringify(c, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
  }
  return { rows, readsSeen: result.readsSeen, readsPassing: result.readsPassing, build: result.build, warnings, cached: false, source: 'counted' };
}

/**
 * Adds a draw's counts to the store as the count document `count --format json` would write for
 * it (so `store export` gives the same shape whichever command ingested it). `command` is fixed,
 * not the live argv, so the stored document does not depend on where track was started.
 */
function ingestIntoStore(
  store: CohortStore,
  opts: CountSampleOptions,
  bamPath: string,
  bamSha256: string,
  got: Omit<SampleCounts, 'tumourInformed' | 'tissueSomatic'>,
  contigs: { name: string; length: number }[],
): void {
  const text = formatCountJson(
    {
      toolVersion: VERSION,
      command: 'oligotrack track',
      sample: opts.cacheName,
      bamPath,
      build: got.build,
      settings: opts.settings,
      contigs,
      region: '',
      siteSources: [...(opts.tumourInformedSpecs ?? []), ...opts.siteSpecs],
      readsSeen: got.readsSeen,
      readsPassing: got.readsPassing,
    },
    got.rows.map((r) => toOutputRow(opts.cacheName, r, r.site.chrom)),
  );
  store.ingestCount({ count: parseCountDocument(text, `${store.path} (${opts.cacheName})`), bamSha256 });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fileError(file, code === 'ENOENT' ? 'precomputed counts not found (write them with: oligotrack count --format json)' : `cannot read (${code ?? (e as Error).message})`);
  }
}

/**
 * One draw's counts from a count document, checked against what this command would count: the same
 * sample, settings (count's settings record) and set of sites; the BAM's SHA-256 when the document
 * records one. Rows come back in `sites` order with the sites' own naming (gene/protein/ID as this
 * command resolved them; a count run with other --sites order still matches by chrom:pos:ref>alt).
 */
async function readPrecomputed(
  file: string,
  sample: string,
  bamPath: string,
  sites: readonly Site[],
  settings: CountSettings,
): Promise<Pick<SampleCounts, 'rows' | 'readsSeen' | 'readsPassing' | 'build'>> {
  const doc = parseCountDocument(readText(file), file);
  if (doc.sample !== sample) throw fileError(file, `counts are for sample "${doc.sample}", expected "${sample}"`);
  const want = canonicalJson(settingsRecord(settings));
  const have = canonicalJson(doc.settings);
  if (have !== want) throw fileError(file, `counted with other settings (${have}); this command counts with ${want}`);
  if (doc.bamSha256 !== undefined && doc.bamSha256 !== (await bamContentSha256(bamPath))) {
    throw fileError(file, `counted from other BAM content than ${bamPath} (SHA-256 differs)`);
  }
  const byKey = new Map(doc.rows.map((r) => [`${r.chrom}:${r.pos}:${r.ref}>${r.alt}`, r]));
  if (byKey.size !== doc.rows.length) throw fileError(file, 'a site appears twice in rows');
  const rows = sites.map((site) => {
    const k = siteKeyOf(site);
    const r = byKey.get(k);
    if (!r) throw fileError(file, `site ${k} was not counted (${doc.rows.length} sites in the file, ${sites.length} expected): count with the same --sites`);
    return { ...storedRowToSiteCounts(r), site };
  });
  if (doc.rows.length !== sites.length) {
    const wanted = new Set(sites.map(siteKeyOf));
    const extra = [...byKey.keys()].find((k) => !wanted.has(k));
    throw fileError(file, `site ${extra ?? '?'} is not among the sites this command counts (${doc.rows.length} in the file, ${sites.length} expected): count with the same --sites`);
  }
  return { rows, readsSeen: doc.readsSeen, readsPassing: doc.readsPassing, build: doc.build };
}

/**
 * The tumour-informed VCFs of each patient (the samplesheet's `vcf` column): every distinct `vcf`
 * cell of the patient's rows, in samplesheet order. They apply to all of that patient's draws
 * (tissue calls do not change with the plasma draw), so every draw is counted at the same sites.
 * Pass `get(patient) ?? []` as `tumourInformedSpecs` so that the cache key matches `track`'s.
 */
export function tumourInformedVcfsByPatient(samples: readonly { patient: string; vcf?: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of samples) {
    if (s.vcf === undefined) continue;
    const list = out.get(s.patient) ?? [];
    if (!list.includes(s.vcf)) list.push(s.vcf);
    out.set(s.patient, list);
  }
  return out;
}

/** Reorders one draw's rows to a reference key order (the patient's first draw), by site key. */
export function alignRows<T extends { site: Site }>(rows: readonly T[], order: readonly string[], where: string): T[] {
  const byKey = new Map(rows.map((r) => [siteKeyOf(r.site), r]));
  return order.map((k) => {
    const r = byKey.get(k);
    if (!r) throw new Error(`${where}: site ${k} missing`);
    return r;
  });
}
