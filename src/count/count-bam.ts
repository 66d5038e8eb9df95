import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkIndexFits, coffsetOf, findIndexPath, readBamIndex } from '../io/bam-index.js';
import { readBamHeader, type BamHeader } from '../io/bam-header.js';
import { BgzfFile } from '../io/bgzf-reader.js';
import { fileError, UserError } from '../util/errors.js';
import { detectBuild } from './genome-build.js';
import { toObservationTable } from './observations.js';
import { planIndexed, planSequential, type Group } from './plan.js';
import { runGroup, type GroupJob, type GroupResult } from './scan-group.js';
import { siteSpec, sortSpecs, type SiteSpec } from './site-model.js';
import { N_FIELDS } from './tally.js';
import type { CountResult, CountSettings, ObservationTable, Site, SiteCounts } from './types.js';

export interface CountBamOptions {
  /** Worker threads (groups of sites scanned in parallel); 1 = in this thread. */
  threads?: number;
  /** Count only sites inside this region (0-based half-open); others get zero rows. */
  region?: { chrom: string; start0: number; end0: number };
  sample?: string;
  /** Also return the per-read observations (UMI collapsing, fragment lengths). */
  observations?: boolean;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  engine?: 'wasm' | 'oracle';
  /** Already-read header (saves reading it twice); must be this BAM's. */
  header?: BamHeader;
}

/**
 * Counts alleles at `sites` in a coordinate-sorted BAM (`-` = stdin). Site chromosome names must
 * be as in the BAM header (helper code in sites-resolve.ts reconciles them). Rows come back in
 * the order of `sites`, identical for every thread count and for both engines.
 */
export async function countBam(
  bamPath: string,
  sites: Site[],
  settings: CountSettings,
  opts: CountBamOptions = {},
): Promise<CountResult & { observations?: ObservationTable }> {
  const warnings: string[] = [];
  const stdin = bamPath === '-';
  const header = opts.header ?? (await readBamHeader(bamPath));
  let indexPath: string | null = null;
  let bamSize = 0;
  if (!stdin) {
    const file = new BgzfFile(bamPath);
    try {
      file.checkEofBlock();
      bamSize = file.size;
    } finally {
      file.close();
    }
    indexPath = findIndexPath(bamPath);
    if (!indexPath) warnings.push(`${bamPath}: no .bai/.csi index; reading the whole BAM in one sequential pass`);
  } else {
    warnings.push('reading the BAM from standard input in one sequential pass');
  }
  const refs = header.refs;
  const refIdOf = new Map<string, number>();
  refs.forEach((r, i) => refIdOf.set(r.name, i));


  const specs: SiteSpec[] = [];
  sites.forEach((site, i) => {
    const refId = refIdOf.get(site.chrom);
    if (refId === undefined) throw fileError(bamPath, `has no contig ${site.chrom} (site ${site.chrom}:${site.pos1})`);
    if (opts.region) {
      const inside = site.chrom === opts.region.chrom && site.pos1 - 1 >= opts.region.start0 && site.pos1 - 1 < opts.region.end0;
      if (!inside) return;
    }
    specs.push(siteSpec(site, i, refId ?? -1));
  });
  const sorted = sortSpecs(specs);

  let groups: Group[];
  if (indexPath) {
    const index = readBamIndex(indexPath);
    const stale = checkIndexFits(index, refs.length, bamPath, bamSize);
    if (stale) warnings.push(stale);
    groups = planIndexed(sorted, index, Math.max(1, opts.threads ?? 1));
  } else {
    groups = planSequential(sorted); // stdin included: one pass, continuing after the header
  }
  const jobs: GroupJob[] = groups.map((group) => ({
    bamPath,
    indexPath,
    refNames: refs.map((r) => r.name),
    sorted,
    group,
    settings,
    engine: opts.engine ?? 'wasm',
    observations: Boolean(opts.observations || settings.umi),
  }));
  // Progress in compressed bytes: the planned segments (indexed) or the whole file.
  const total = indexPath
    ? groups.reduce((n, g) => n + (g.segments ?? []).reduce((m, c) => m + coffsetOf(c.end) - coffsetOf(c.beg) + 65536, 0), 0)
    : bamSize;
  let done = 0;
  const progress = opts.onProgress
    ? (n: number): void => {
        done += n;
        opts.onProgress!(Math.min(done, total), total);
      }
    : undefined;
  const results = await runJobs(jobs, Math.max(1, opts.threads ?? 1), progress);
  opts.onProgress?.(total, total);
  return assemble(bamPath, sites, sorted, settings, opts, warnings, results, detectBuild(refs));
}

function workerScript(): string | null {
  const here = new URL('./count-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  // Running from TypeScript sources (tests): use the compiled worker when it has been built.
  const built = new URL('../../dist/count/count-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? fileURLToPath(built) : null;
}

async function runJobs(jobs: GroupJob[], threads: number, progress?: (bytes: number) => void): Promise<GroupResult[]> {
  const script = threads > 1 && jobs.length > 1 ? workerScript() : null;
  if (!script) {
    const results: GroupResult[] = [];
    for (const job of jobs) results.push(await runGroup(job, progress));
    return results;
  }
  return Promise.all(
    jobs.map(
      (job) =>
        new Promise<GroupResult>((resolve, reject) => {
          const worker = new Worker(script, { workerData: job });
          let settled = false;
          type Message = { progress: number } | { ok: true; result: GroupResult } | { ok: false; user: boolean; exitCode: 1 | 2; message: string };
          worker.on('message', (m: Message) => {
            if ('progress' in m) {
              progress?.(m.progress);
              return;
            }
            settled = true;
            if (m.ok) resolve(m.result);
            else reject(m.user ? new UserError(m.message, m.exitCode) : new Error(m.message));
          });
          worker.once('error', (e) => {
            if (!settled) reject(e);
          });
          worker.once('exit', (code) => {
            if (!settled) reject(new Error(`count worker exited with code ${code}`));
          });
        }),
    ),
  );
}

function assemble(
  bamPath: string,
  sites: Site[],
  sorted: SiteSpec[],
  settings: CountSettings,
  opts: CountBamOptions,
  warnings: string[],
  results: GroupResult[],
  build: string,
): CountResult & { observations?: ObservationTable } {
  // counts by input site index
  const bySite = new Map<number, Float64Array>();
  let readsSeen = 0;
  let readsPassing = 0;
  const allRows: Int32Array[] = [];
  const allUmis: string[] = [];
  for (const r of results) {
    for (let i = r.ownedLo; i < r.ownedHi; i++) {
      const slot = i - r.ownedLo;
      bySite.set(sorted[i].index, r.counts.subarray(slot * N_FIELDS, (slot + 1) * N_FIELDS));
    }
    readsSeen += r.readsSeen;
    readsPassing += r.readsPassing;
    if (r.observationRows) {
      allRows.push(r.observationRows);
      allUmis.push(...r.umis);
    }
  }
  const zero = new Float64Array(N_FIELDS);
  const rows: SiteCounts[] = sites.map((site, i) => {
    const c = bySite.get(i) ?? zero;
    // Field order: see COUNTER_FIELDS in tally.ts.
    const [depth, ref, alt, other, deletions, insertions, altFwd, altRev, discordant, fragSumRef, fragSumAlt, rawRef, rawAlt] = c;
    return {
      site,
      depth,
      refCount: ref,
      altCount: alt,
      otherCount: other,
      deletions,
      insertions,
      altFwd,
      altRev,
      discordantMates: discordant,
      meanFragLenRef: ref > 0 ? fragSumRef / ref : Number.NaN,
      meanFragLenAlt: alt > 0 ? fragSumAlt / alt : Number.NaN,
      rawRefCount: rawRef,
      rawAltCount: rawAlt,
      families: 0,
    };
  });
  if (readsSeen === 0 && sites.length > 0) {
    // Reads on the sites' contigs but none over a site: name the first, so that a BAM or index
    // that does not cover the panel is visible rather than a table of zeros.
    const first = results.map((r) => r.firstOnSiteContig).find((f) => f !== null);
    const seen = first ? `, although the BAM has reads on the sites' contigs (the first read: ${first.name} at ${refNameOf(bamPath, sites, sorted, first.refId)}:${first.pos0 + 1}, ${first.where})` : '';
    warnings.push(`${bamPath}: no reads at any site (every row has depth 0)${seen}`);
  }
  const result: CountResult & { observations?: ObservationTable } = {
    sample: opts.sample ?? '',
    bamPath,
    settings,
    rows,
    build,
    readsSeen,
    readsPassing,
    warnings,
  };
  if (opts.observations || settings.umi) {
    const total = allRows.reduce((n, a) => n + a.length, 0);
    const merged = new Int32Array(total);
    let at = 0;
    for (const a of allRows) {
      merged.set(a, at);
      at += a.length;
    }
    result.observations = toObservationTable(merged, allUmis);
  }
  return result;
}

/** The contig name of a refID that carries sites (they are named as in the BAM header). */
function refNameOf(_bam: string, sites: Site[], sorted: SiteSpec[], refId: number): string {
  const s = sorted.find((x) => x.refId === refId);
  return s ? sites[s.index].chrom : String(refId);
}

/** Size of a BAM for progress reporting (0 for stdin). */
export function bamBytes(bamPath: string): number {
  return bamPath === '-' ? 0 : statSync(bamPath).size;
}
