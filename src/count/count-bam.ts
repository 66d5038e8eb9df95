import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { checkIndexFits, findIndexPath, readBamIndex } from '../io/bam-index.js';
import { isBamStream, readBamHeader, type BamHeader } from '../io/bam-header.js';
import { BgzfFile } from '../io/bgzf-reader.js';
import { fileError, UserError } from '../util/errors.js';
import { detectBuild } from './genome-build.js';
import { KERNEL_FIELDS, WasmKernel, type KernelSettings } from './kernel.js';
import { describeVoffset } from './kernel-errors.js';
import { mergeRanges } from './merge.js';
import { toObservationTable } from './observations.js';
import { defaultInflater, runRange, type Inflater, type RangeJob, type RangeResult } from './piece-runner.js';
import { blockFinder, indexedPieces, sequentialPieces, splitRanges, type Piece } from './pieces.js';
import { planIndexed, planSequential } from './plan.js';
import { runGroup, type GroupJob, type RecordLabel } from './scan-group.js';
import { siteSpec, sortSpecs, type SiteSpec } from './site-model.js';
import { N_FIELDS } from './tally.js';
import { takeCountWorkers } from './worker-pool.js';
import type { CountResult, CountSettings, ObservationTable, Site, SiteCounts } from './types.js';

export interface CountBamOptions {
  /** Threads reading byte ranges of the BAM in parallel (this one included); 1 = this thread only. */
  threads?: number;
  /** Count only sites inside this region (0-based half-open); others get zero rows. */
  region?: { chrom: string; start0: number; end0: number };
  sample?: string;
  /** Also return the per-read observations (UMI collapsing, fragment lengths). */
  observations?: boolean;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /**
   * 'wasm' (default): the kernel (inflate, checks, scan and tallies in WebAssembly). 'oracle':
   * the reference pipeline of the tests (node's zlib, records decoded in TypeScript, tallies in
   * TypeScript); one thread.
   */
  engine?: 'wasm' | 'oracle';
  /** The kernel's inflater: its own (default) or node's zlib (also OLIGOTRACK_INFLATE=zlib). */
  inflater?: Inflater;
  /** Already-read header (saves reading it twice); must be this BAM's. */
  header?: BamHeader;
  /** Tests: cut the pieces into this many ranges even on one thread (cut handling, exactness). */
  ranges?: number;
}

type Result = CountResult & { observations?: ObservationTable };

/**
 * Counts alleles at `sites` in a coordinate-sorted BAM (`-` = stdin). Site chromosome names must
 * be as in the BAM header (sites-resolve.ts reconciles them). Rows come back in the order of
 * `sites`, identical for every thread count, both engines and both inflaters.
 */
export async function countBam(bamPath: string, sites: Site[], settings: CountSettings, opts: CountBamOptions = {}): Promise<Result> {
  const threads = Math.max(1, opts.threads ?? 1);
  const engine = opts.engine ?? 'wasm';
  const stdin = isBamStream(bamPath);
  // Worker threads start now, while this thread reads the header and the index.
  const pool = engine === 'wasm' && threads > 1 && !stdin ? takeCountWorkers(threads - 1) : [];
  try {
    return await count(bamPath, sites, settings, opts, threads, engine, stdin, pool);
  } finally {
    for (const w of pool) void w.terminate();
  }
}

async function count(
  bamPath: string,
  sites: Site[],
  settings: CountSettings,
  opts: CountBamOptions,
  threads: number,
  engine: 'wasm' | 'oracle',
  stdin: boolean,
  pool: Worker[],
): Promise<Result> {
  const warnings: string[] = [];
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
    warnings.push(
      bamPath === '-'
        ? 'reading the BAM from standard input in one sequential pass'
        : `${bamPath}: a pipe or device, read as a stream in one sequential pass`,
    );
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
    specs.push(siteSpec(site, i, refId));
  });
  const sorted = sortSpecs(specs);
  const index = indexPath ? readBamIndex(indexPath) : null;
  if (index) {
    const stale = checkIndexFits(index, refs.length, bamPath, bamSize);
    if (stale) warnings.push(stale);
  }
  const refNames = refs.map((r) => r.name);
  const observations = Boolean(opts.observations || settings.umi);
  const build = detectBuild(refs);
  if (engine === 'oracle') {
    const counted = await countOracle(bamPath, indexPath, index, refNames, sorted, settings, observations, opts);
    return assemble(bamPath, sites, settings, opts, warnings, counted, build);
  }
  if (sorted.length === 0) return assemble(bamPath, sites, settings, opts, warnings, empty(sorted), build);

  const pieces: Piece[] = index ? indexedPieces(sorted, index) : stdin ? [{ ...sequentialPieces()[0], skip: 0 }] : sequentialPieces();
  const nRanges = stdin ? 1 : Math.max(threads, opts.ranges ?? 1);
  const ranges = splitRanges(pieces, nRanges, bamSize, blockFinder(bamPath, bamSize));
  const kernelSettings: KernelSettings = {
    excludeFlags: settings.excludeFlags,
    minMapq: settings.minMapq,
    minBaseq: settings.minBaseq,
    mates: settings.mates,
    rows: observations,
    umiSource: observations ? settings.umiSource : null,
  };
  const inflater = opts.inflater ?? defaultInflater();
  const jobOf = (pcs: Piece[], k: number): RangeJob => ({
    bamPath,
    indexPath,
    refNames,
    sorted,
    kernel: kernelSettings,
    pieces: pcs,
    defer: k > 0,
    inflater,
  });
  const total = ranges.reduce((n, r) => n + r.bytes, 0);
  let done = 0;
  const progress = opts.onProgress
    ? (n: number): void => {
        done += n;
        opts.onProgress!(Math.min(done, total), total);
      }
    : undefined;

  const kernel = new WasmKernel(stdin ? Number.POSITIVE_INFINITY : bamSize);
  kernel.configure(sorted, refNames.length, kernelSettings);
  // Ranges 1.. go to the workers (as many as there are), the rest run here after range 0.
  const remote = ranges.map((r, k) => (k > 0 && k - 1 < pool.length ? runOnWorker(pool[k - 1], jobOf(r.pieces, k), progress) : null));
  for (const p of remote) p?.catch(() => undefined); // awaited below, in range order
  for (let w = ranges.length - 1; w < pool.length; w++) pool[w].postMessage(null); // nothing to do
  const results: RangeResult[] = [];
  results.push(runRange(jobOf(ranges[0].pieces, 0), kernel, true, progress));
  for (let k = 1; k < ranges.length; k++) {
    const r = remote[k];
    results.push(r ? await r : runRange(jobOf(ranges[k].pieces, k), kernel, true, progress));
  }
  const rerun = (k: number, pcs: Piece[]): RangeResult => {
    const again = new WasmKernel(bamSize);
    again.configure(sorted, refNames.length, kernelSettings);
    return runRange(jobOf(pcs, k), again, true);
  };
  const merged = mergeRanges(bamPath, refNames, ranges, results, kernel, rerun);
  opts.onProgress?.(total, total);
  const f = merged.firstOnSiteContig;
  const label = f ? { name: f.name, refId: f.refId, pos0: f.pos0, where: describeVoffset(f.coff, f.u) } : null;
  return assemble(bamPath, sites, settings, opts, warnings, { ...merged, sorted, firstOnSiteContig: label }, build);
}

/** What assemble needs: counts per sorted site (KERNEL_FIELDS each) and the read totals. */
export interface Counted {
  sorted: SiteSpec[];
  counts: Float64Array;
  readsSeen: number;
  readsPassing: number;
  firstOnSiteContig: RecordLabel | null;
  observationRows: Int32Array | null;
  umis: string[];
}

export function empty(sorted: SiteSpec[]): Counted {
  return { sorted, counts: new Float64Array(0), readsSeen: 0, readsPassing: 0, firstOnSiteContig: null, observationRows: null, umis: [] };
}

/** The reference pipeline: node's zlib, TypeScript record decoding and tallies, one thread. */
async function countOracle(
  bamPath: string,
  indexPath: string | null,
  index: ReturnType<typeof readBamIndex> | null,
  refNames: string[],
  sorted: SiteSpec[],
  settings: CountSettings,
  observations: boolean,
  opts: CountBamOptions,
): Promise<Counted> {
  if (sorted.length === 0) return empty(sorted);
  const group = index ? planIndexed(sorted, index, 1)[0] : planSequential(sorted)[0];
  const job: GroupJob = { bamPath, indexPath, refNames, sorted, group, settings, engine: 'oracle', observations };
  const r = await runGroup(job, opts.onProgress ? (n) => opts.onProgress!(n, 0) : undefined);
  return {
    sorted,
    counts: r.counts,
    readsSeen: r.readsSeen,
    readsPassing: r.readsPassing,
    firstOnSiteContig: r.firstOnSiteContig,
    observationRows: r.observationRows,
    umis: r.umis,
  };
}

type WorkerMessage =
  { progress: number } | { ok: true; result: RangeResult } | { ok: false; user: boolean; exitCode: 1 | 2; message: string };

function runOnWorker(worker: Worker, job: RangeJob, progress?: (n: number) => void): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
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
    worker.postMessage(job);
  });
}

export function assemble(
  bamPath: string,
  sites: Site[],
  settings: CountSettings,
  opts: CountBamOptions,
  warnings: string[],
  c: Counted,
  build: string,
): Result {
  // Field order: COUNTER_FIELDS in tally.ts (the kernel's order is the same).
  const fields = c.counts.length === c.sorted.length * KERNEL_FIELDS ? KERNEL_FIELDS : N_FIELDS;
  const bySite = new Map<number, Float64Array>();
  c.sorted.forEach((s, i) => {
    if (c.counts.length > 0) bySite.set(s.index, c.counts.subarray(i * fields, (i + 1) * fields));
  });
  const zero = new Float64Array(N_FIELDS);
  const rows: SiteCounts[] = sites.map((site, i) => {
    const [depth, ref, alt, other, deletions, insertions, altFwd, altRev, discordant, fragSumRef, fragSumAlt, rawRef, rawAlt] =
      bySite.get(i) ?? zero;
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
  if (c.readsSeen === 0 && sites.length > 0) {
    // Reads on the sites' contigs but none over a site: name the first, so that a BAM or index
    // that does not cover the panel is visible rather than a table of zeros.
    const f = c.firstOnSiteContig;
    const contig = f ? c.sorted.find((s) => s.refId === f.refId) : undefined;
    const seen = f
      ? `, although the BAM has reads on the sites' contigs (the first read: ${f.name} at ${contig ? sites[contig.index].chrom : f.refId}:${f.pos0 + 1}, ${f.where})`
      : '';
    warnings.push(`${bamPath}: no reads at any site (every row has depth 0)${seen}`);
  }
  const result: Result = {
    sample: opts.sample ?? '',
    bamPath,
    settings,
    rows,
    build,
    readsSeen: c.readsSeen,
    readsPassing: c.readsPassing,
    warnings,
  };
  if (opts.observations || settings.umi) result.observations = toObservationTable(c.observationRows ?? new Int32Array(0), c.umis);
  return result;
}

/** Size of a BAM for progress reporting (0 for stdin). */
export function bamBytes(bamPath: string): number {
  return isBamStream(bamPath) ? 0 : statSync(bamPath).size;
}
