/**
 * Timelines built in code for scenario tests: counts go through the real calling stage (the
 * callRow with the default background, 1e-4, α 0.01, min depth 100) and the real timeline builder.
 * Site coordinates are GRCh38 hotspots, used here only as labels.
 */
import { DEFAULT_COUNT_SETTINGS, type Site, type SiteCounts } from '../../src/count/types.js';
import { isoDateToDay } from '../../src/io/csv-schema.js';
import { altDepthCounts } from '../../src/simulate/site-counts.js';
import { backgroundFor, defaultBackground } from '../../src/stats/background.js';
import { callRow } from '../../src/stats/annotate.js';
import { siteKeyOf } from '../../src/count/site-key.js';
import { buildPatientTimeline } from '../../src/timeline/build.js';
import { type CalledDraw, DEFAULT_EVENT_SETTINGS, type PatientTimeline, type WhiteCellInput } from '../../src/timeline/types.js';

export const SITES: Record<string, Site> = {
  TP53_R175H: { chrom: 'chr17', pos1: 7675088, ref: 'C', alt: 'T', gene: 'TP53', protein: 'p.R175H', id: 'TP53_R175H' },
  TP53_R273H: { chrom: 'chr17', pos1: 7673802, ref: 'C', alt: 'T', gene: 'TP53', protein: 'p.R273H', id: 'TP53_R273H' },
  ESR1_D538G: { chrom: 'chr6', pos1: 152094402, ref: 'A', alt: 'G', gene: 'ESR1', protein: 'p.D538G', id: 'ESR1_D538G' },
  PIK3CA_H1047R: { chrom: 'chr3', pos1: 179234297, ref: 'A', alt: 'G', gene: 'PIK3CA', protein: 'p.H1047R', id: 'PIK3CA_H1047R' },
  GATA3_X1: { chrom: 'chr10', pos1: 8069470, ref: 'G', alt: 'A', gene: 'GATA3', protein: 'p.R330Q', id: 'GATA3_R330Q' },
  MAP3K1_X1: { chrom: 'chr5', pos1: 56855000, ref: 'G', alt: 'A', gene: 'MAP3K1', protein: 'p.E303K', id: 'MAP3K1_E303K' },
  CDH1_X1: { chrom: 'chr16', pos1: 68808000, ref: 'C', alt: 'T', gene: 'CDH1', protein: 'p.R63Q', id: 'CDH1_R63Q' },
};

export type Counts = Partial<Record<keyof typeof SITES, readonly [alt: number, depth: number]>>;

export interface DrawSpec {
  sample: string;
  date: string;
  counts: Counts;
}

/** A count row as a read-level count gives it: ALT split over both strands, fragment lengths measured. */
export function siteCounts(site: Site, alt: number, depth: number): SiteCounts {
  return {
    ...altDepthCounts(site, depth, alt),
    altFwd: Math.ceil(alt / 2),
    altRev: Math.floor(alt / 2),
    meanFragLenRef: 167,
    meanFragLenAlt: alt > 0 ? 150 : Number.NaN,
  };
}

export interface TimelineOptions {
  /** The matched white cells: alt/depth per site (sites not named: 0 alt at the default depth). */
  whiteCells?: Counts;
  /** Sites the panel of normals flags (germlineOrChip in the called rows). */
  ponFlagged?: (keyof typeof SITES)[];
  /** Depth for sites not given in a draw (default 3,000, 0 alt). */
  defaultDepth?: number;
  /** Sites from the patient's tumour-informed (tissue) VCF. */
  tumourInformed?: (keyof typeof SITES)[];
}

/** Builds a patient timeline over the union of the sites named in any draw (in SITES order). */
export function makeTimeline(patient: string, draws: DrawSpec[], opts: TimelineOptions = {}): PatientTimeline {
  const names = (Object.keys(SITES) as (keyof typeof SITES)[]).filter((n) => draws.some((d) => d.counts[n] !== undefined));
  const background = defaultBackground();
  const called: CalledDraw[] = draws.map((d) => ({
    sample: d.sample,
    collectionDate: d.date,
    collectionDay: isoDateToDay(d.date),
    bam: `${d.sample}.bam`,
    tumourInformed: new Set((opts.tumourInformed ?? []).map((n) => siteKeyOf(SITES[n]))),
    rows: names.map((n) => {
      const [alt, depth] = d.counts[n] ?? [0, opts.defaultDepth ?? 3000];
      const bg = { ...backgroundFor(background, SITES[n]), germlineOrChip: (opts.ponFlagged ?? []).includes(n) };
      return callRow(siteCounts(SITES[n], alt, depth), bg, 0.01, 100);
    }),
  }));
  let whiteCells: WhiteCellInput | undefined;
  if (opts.whiteCells) {
    const wc = opts.whiteCells;
    whiteCells = {
      bam: `${patient}_wbc.bam`,
      sample: `${patient} white cells`,
      rows: names.map((n) => {
        const [alt, depth] = wc[n] ?? [0, opts.defaultDepth ?? 3000];
        return callRow(siteCounts(SITES[n], alt, depth), backgroundFor(background, SITES[n]), 0.01, 100);
      }),
    };
  }
  return buildPatientTimeline({
    patient,
    draws: called,
    ...(whiteCells ? { whiteCells } : {}),
    countSettings: DEFAULT_COUNT_SETTINGS,
    eventSettings: DEFAULT_EVENT_SETTINGS,
    callSettings: { background: 'default', alpha: 0.01, min_depth: 100 },
  });
}
