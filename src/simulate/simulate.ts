import { BamStreamWriter, RefDictionary, type IndexKind } from '../io/bam-writer.js';
import type { BamHeader, SamRecord } from '../io/sam-record.js';
import { ClusterSimulator, CLUSTER_WINDOW, MAX_FRAG, MIN_FRAG, SimulationInputError, type SiteState } from './cluster-simulator.js';
import { EncodedCollector, ObjectCollector, type RecordCollector } from './collectors.js';
import { bundledBackgroundAlleles, contradictsPanel } from './panel-background.js';
import { SyntheticReference } from './reference.js';
import type { SimulationSpec, TruthRow } from './spec.js';

export { SimulationInputError };

/**
 * The cfDNA simulator: for each site, `depth` molecules covering it (ALT-carrying with
 * probability `vaf`, shorter when they do), each amplified into a PCR family and sequenced as
 * 2 × readLength pairs with PCR, sequencing and strand-specific errors. Pure: records and truth
 * out, no I/O (simulateToBam streams them into a BAM).
 */

function checkSpec(spec: SimulationSpec): void {
  const bad = (m: string) => {
    throw new SimulationInputError(m);
  };
  if (!(spec.depth >= 1 && Number.isInteger(spec.depth))) bad(`depth must be a positive integer, got ${spec.depth}`);
  if (!(spec.readLength >= 30 && spec.readLength <= 1000)) bad(`read length must be 30-1000, got ${spec.readLength}`);
  if (!(spec.familySizeMean >= 1)) bad(`family size mean must be ≥ 1, got ${spec.familySizeMean}`);
  for (const [name, v] of [
    ['seq error', spec.seqError],
    ['PCR error', spec.pcrError],
    ['low-MAPQ fraction', spec.lowMapqFraction],
    ['soft-clip fraction', spec.softClipFraction],
  ] as const) {
    if (!(v >= 0 && v <= 0.5)) bad(`${name} must be in [0, 0.5], got ${v}`);
  }
  for (const [name, v] of [
    ['fragment mode', spec.fragMode],
    ['tumour fragment mode', spec.tumourFragMode],
  ] as const) {
    if (!(v >= MIN_FRAG && v <= MAX_FRAG)) bad(`${name} must be in [${MIN_FRAG}, ${MAX_FRAG}], got ${v}`);
  }
  if (spec.umi && !(spec.umi.length >= 4 && spec.umi.length <= 32)) bad(`UMI length must be 4-32, got ${spec.umi.length}`);
}

/**
 * Sites placed on the header and the synthetic reference, in coordinate order; then the bundled
 * panel's REF alleles wherever no site placed one (so panel hotspots near simulated sites read REF).
 */
function prepareSites(spec: SimulationSpec, reference: SyntheticReference): SiteState[] {
  const tids = new Map(spec.refs.map((r, i) => [r.name, i]));
  const background = bundledBackgroundAlleles(spec.refs);
  const states = spec.sites.map((site, index): SiteState => {
    const what = `site ${site.chrom}:${site.pos1} ${site.ref}>${site.alt}`;
    const tid = tids.get(site.chrom);
    if (tid === undefined) throw new SimulationInputError(`${what}: contig ${site.chrom} is not in the simulated genome`);
    if (!/^[ACGTN]+$/i.test(site.ref) || !/^[ACGTN]+$/i.test(site.alt))
      throw new SimulationInputError(`${what}: alleles must be A/C/G/T/N bases`);
    if (!(site.vaf >= 0 && site.vaf <= 1)) throw new SimulationInputError(`${what}: VAF ${site.vaf} is not in [0, 1]`);
    const len = spec.refs[tid].length;
    if (site.pos1 - 1 - MAX_FRAG < 0 || site.pos1 + site.ref.length + MAX_FRAG > len) {
      // Fragments up to MAX_FRAG bp must fit on both sides: positions MAX_FRAG+1 .. len-MAX_FRAG-|ref|.
      const side = site.pos1 - 1 - MAX_FRAG < 0 ? 'start' : `end (${len} bp)`;
      throw new SimulationInputError(`${what}: too close to the contig ${side} to place ${MAX_FRAG} bp fragments around it`);
    }
    const contradiction = contradictsPanel(site, site.chrom, background);
    if (contradiction) throw new SimulationInputError(`${what}: ${contradiction}`);
    try {
      reference.placeAllele(site.chrom, site.pos1, site.ref.toUpperCase(), what);
    } catch (e) {
      throw new SimulationInputError((e as Error).message);
    }
    return {
      site: { ...site, ref: site.ref.toUpperCase(), alt: site.alt.toUpperCase() },
      index,
      tid,
      pos0: site.pos1 - 1,
      truth: {
        sample: spec.sample,
        chrom: site.chrom,
        pos1: site.pos1,
        ref: site.ref.toUpperCase(),
        alt: site.alt.toUpperCase(),
        trueVaf: site.vaf,
        fragmentsTotal: 0,
        fragmentsAlt: 0,
      },
    };
  });
  for (const b of background) reference.placeBackgroundAllele(b.contig, b.pos1, b.ref);
  return [...states].sort((a, b) => a.tid - b.tid || a.pos0 - b.pos0 || a.index - b.index);
}

/** Groups coordinate-ordered sites whose reads can interleave. */
function clusters(sorted: SiteState[]): SiteState[][] {
  const out: SiteState[][] = [];
  let cur: SiteState[] = [];
  let curEnd = -1;
  for (const s of sorted) {
    if (cur.length && (s.tid !== cur[0].tid || s.pos0 - CLUSTER_WINDOW > curEnd)) {
      out.push(cur);
      cur = [];
    }
    cur.push(s);
    curEnd = Math.max(cur.length > 1 ? curEnd : -1, s.pos0 + s.site.ref.length + CLUSTER_WINDOW);
  }
  if (cur.length) out.push(cur);
  return out;
}

export interface SimulationResult {
  /** In coordinate order. */
  records: SamRecord[];
  /** In the order of `spec.sites`. */
  truth: TruthRow[];
}

export function simulationHeader(spec: SimulationSpec): BamHeader {
  const s = spec;
  const pg = `@PG\tID:oligotrack-simulate\tPN:oligotrack\tCL:simulate seed=${s.seed} depth=${s.depth} umi=${s.umi ? (s.umi.duplex ? 'duplex' : s.umi.length) : 'none'}`;
  return { refs: spec.refs, text: `@RG\tID:${s.sample}\tSM:${s.sample}\tLB:${s.sample}\tPL:ILLUMINA\n${pg}\n` };
}

/** A checked spec with its sites placed on the synthetic reference: every input error is raised here. */
interface PreparedSimulation {
  spec: SimulationSpec;
  reference: SyntheticReference;
  sorted: SiteState[];
}

function prepare(spec: SimulationSpec): PreparedSimulation {
  checkSpec(spec);
  const reference = new SyntheticReference();
  return { spec, reference, sorted: prepareSites(spec, reference) };
}

/** A contig span [start0, end0) of the synthetic reference. */
export interface ReferenceSpan {
  contig: string;
  start0: number;
  end0: number;
}

/**
 * The synthetic reference a spec's reads are drawn from (sites' and panel REF alleles placed) and
 * the spans its reads can cover: every molecule starts at most MAX_FRAG bases before its site and
 * ends at most MAX_FRAG after the site's REF (deletions included), so each site ± CLUSTER_WINDOW
 * (MAX_FRAG + 50), clipped to the contig and merged, holds every read. Input errors as simulateToBam.
 */
export function simulatedReference(spec: SimulationSpec): { reference: SyntheticReference; spans: ReferenceSpan[] } {
  const { reference, sorted } = prepare(spec);
  const spans: ReferenceSpan[] = [];
  for (const s of sorted) {
    const contig = spec.refs[s.tid];
    const start0 = Math.max(0, s.pos0 - CLUSTER_WINDOW);
    const end0 = Math.min(contig.length, s.pos0 + s.site.ref.length + CLUSTER_WINDOW);
    const prev = spans[spans.length - 1];
    if (prev && prev.contig === contig.name && start0 <= prev.end0) prev.end0 = Math.max(prev.end0, end0);
    else spans.push({ contig: contig.name, start0, end0 });
  }
  return { reference, spans };
}

/**
 * Simulates cluster by cluster (sites whose reads can interleave) into `collector`, calling
 * `flush` after each cluster; returns the truth rows in `spec.sites` order.
 */
function simulateClusters({ spec, reference, sorted }: PreparedSimulation, collector: RecordCollector, flush: () => void): TruthRow[] {
  for (const cluster of clusters(sorted)) {
    new ClusterSimulator(spec, reference, cluster, collector).run();
    flush();
  }
  const bySpecOrder = [...sorted].sort((a, b) => a.index - b.index);
  return bySpecOrder.map((st) => st.truth);
}

/** Simulates a whole sample in memory (for small tests). */
export function simulateSample(spec: SimulationSpec): SimulationResult {
  const records: SamRecord[] = [];
  const collector = new ObjectCollector();
  const truth = simulateClusters(prepare(spec), collector, () => {
    for (const r of collector.drain()) records.push(r);
  });
  return { records, truth };
}

/**
 * Simulates straight into a coordinate-sorted, indexed BAM with memory bounded by one cluster of
 * nearby sites (~300 bytes per read of the cluster). Returns the truth rows and the number of
 * records written.
 */
export function simulateToBam(
  spec: SimulationSpec,
  path: string,
  opts: { index?: IndexKind; level?: number } = {},
): { truth: TruthRow[]; records: number } {
  // Input errors first, so that a bad spec leaves nothing behind (not even the output directory).
  const prepared = prepare(spec);
  const header = simulationHeader(spec);
  const writer = new BamStreamWriter(path, header, { index: opts.index ?? 'bai', level: opts.level });
  const collector = new EncodedCollector(new RefDictionary(header));
  let n = 0;
  try {
    const truth = simulateClusters(prepared, collector, () => {
      n += collector.drainTo(writer);
    });
    writer.close();
    return { truth, records: n };
  } catch (e) {
    writer.abort();
    throw e;
  }
}
