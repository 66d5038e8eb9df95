/**
 * A small scenario builder for the clinical-policy scenarios: a patient is written the way a
 * clinician tells it — per draw the date, the therapy and the alt/depth of each site; the tissue
 * VCF; the white-cell counts; the imaging row; the therapy history — and goes through the public
 * pipeline: per-site calls (annotateCounts with the default background, α 0.01, minimum depth 100),
 * buildPatientTimeline (which carries the white-cell counts and the tissue's confirmation), then
 * classifyAssessment with the therapy history.
 *
 * Sites are named `GENE p.X` and take their GRCh38 coordinates from the bundled panel (verified or
 * not); the few non-panel sites a scenario needs (a CH hotspot, a common germline SNP) are listed
 * below with their GRCh38 coordinates, used here only as labels.
 */
import { DEFAULT_COUNT_SETTINGS, type Site } from '../../src/count/types.js';
import type { ClinicalRow, Subtype, TherapyClass } from '../../src/io/clinical.js';
import { isoDateToDay } from '../../src/io/csv-schema.js';
import { siteCounts } from '../timeline/fixtures.js';
import type { ImagingRow, LesionSite } from '../../src/io/imaging.js';
import { loadPanelSites } from '../../src/reference/panel.js';
import { annotateCounts } from '../../src/stats/annotate.js';
import { defaultBackground } from '../../src/stats/background.js';
import { siteKeyOf } from '../../src/count/site-key.js';
import { buildPatientTimeline } from '../../src/timeline/build.js';
import { type CalledDraw, DEFAULT_EVENT_SETTINGS, type PatientTimeline, type WhiteCellInput } from '../../src/timeline/types.js';
import type { ClassifyInput, GroupId } from '../../src/classify/types.js';

/** Sites outside the breast panel, GRCh38. */
const EXTRA_SITES: Site[] = [
  // DNMT3A R882H (NM_022552.5:c.2645G>A, minus strand): the commonest CH hotspot.
  { chrom: 'chr2', pos1: 25234373, ref: 'C', alt: 'T', gene: 'DNMT3A', protein: 'p.R882H', id: 'DNMT3A_R882H' },
  // TP53 P72R (rs1042522, c.215C>G, minus strand): a common germline polymorphism, ~50% in heterozygotes.
  { chrom: 'chr17', pos1: 7676154, ref: 'G', alt: 'C', gene: 'TP53', protein: 'p.P72R', id: 'TP53_P72R' },
];

let catalogue: Map<string, Site> | undefined;
/** `GENE p.X` → site. */
export function siteByLabel(label: string): Site {
  if (!catalogue) {
    catalogue = new Map();
    for (const s of [...loadPanelSites('GRCh38', { includeUnverified: true }), ...EXTRA_SITES]) catalogue.set(`${s.gene} ${s.protein}`, s);
  }
  const s = catalogue.get(label);
  if (!s) throw new Error(`scenario site '${label}' is neither in the panel nor in EXTRA_SITES`);
  return s;
}

export const keyOf = (label: string): string => siteKeyOf(siteByLabel(label));

export type Counts = Record<string, [alt: number, depth: number]>;

export interface DrawSpec {
  date: string;
  /** The samplesheet's therapy column for this draw. */
  therapy?: string;
  /** Sites not named get 0 alt reads at `defaultDepth`. */
  counts: Counts;
}

export interface TherapySpec {
  therapy: string;
  therapyClass: TherapyClass;
  start: string;
}

export interface ImagingSpec {
  date: string;
  progressingLesions: number;
  newLesions?: number;
  sites?: LesionSite[];
  visceral?: boolean;
  cns?: boolean;
}

export interface Expectation {
  group: GroupId;
  /** Words a tumour board must read in the rationale. */
  rationaleContains: string[];
  /** Words that would be wrong here. */
  rationaleExcludes?: string[];
  /** Modifier ids that must be shown (never changing the group). */
  modifiers?: string[];
  /** Targetable findings listed (gene protein), in any order. */
  targetable?: string[];
}

export interface Scenario {
  id: string;
  /** The bullet of the measured list (or the precedence rule) the scenario stands for. */
  bullet: string;
  /** The case and the expected group as a clinician states them. */
  clinician: string;
  subtype?: Subtype;
  therapyHistory: TherapySpec[];
  draws: DrawSpec[];
  /** Sites called in the patient's tissue (tumour VCF). */
  tumourVcf?: string[];
  /** Tissue sites confirmed somatic against a matched normal. */
  tissueSomatic?: string[];
  /** White-cell counts of the patient's sites (a white-cell BAM was sequenced). */
  whiteCells?: Counts;
  /** Background error rate of the white-cell test (default 1e-4, the calling stage's default). */
  whiteCellBackground?: number;
  defaultDepth?: number;
  imaging: ImagingSpec;
  expect: Expectation;
}

/** Every site label a scenario mentions, in first-mention order. */
export function scenarioLabels(s: Scenario): string[] {
  const out: string[] = [];
  const add = (l: string) => {
    if (!out.includes(l)) out.push(l);
  };
  for (const d of s.draws) Object.keys(d.counts).forEach(add);
  (s.tumourVcf ?? []).forEach(add);
  Object.keys(s.whiteCells ?? {}).forEach(add);
  return out;
}

const sampleName = (s: Scenario, i: number) => `${s.id}_d${i}`;

/** The patient timeline of a scenario, through the calling stage and the timeline builder. */
export function buildScenarioTimeline(s: Scenario): PatientTimeline {
  const labels = scenarioLabels(s);
  const sites = labels.map(siteByLabel);
  const depth = s.defaultDepth ?? 3000;
  const informed = new Set((s.tumourVcf ?? []).map(keyOf));
  const somatic = new Set((s.tissueSomatic ?? []).map(keyOf));
  const background = defaultBackground();
  const draws: CalledDraw[] = s.draws.map((d, i) => {
    const rows = sites.map((site, k) => {
      const [alt, dp] = d.counts[labels[k]] ?? [0, depth];
      return siteCounts(site, alt, dp);
    });
    const called = annotateCounts({ rows }, { background, alpha: 0.01, minDepth: 100 });
    const draw: CalledDraw = {
      sample: sampleName(s, i),
      collectionDate: d.date,
      collectionDay: isoDateToDay(d.date),
      bam: `${sampleName(s, i)}.bam`,
      rows: called,
    };
    if (d.therapy !== undefined) draw.therapy = d.therapy;
    if (informed.size > 0) draw.tumourInformed = informed;
    if (somatic.size > 0) draw.tissueSomatic = somatic;
    return draw;
  });
  // A white-cell BAM is counted at every site of the patient: sites not named have no alt read.
  let whiteCells: WhiteCellInput | undefined;
  if (s.whiteCells) {
    const wcBackground = defaultBackground(s.whiteCellBackground ?? 1e-4);
    const rows = sites.map((site, k) => {
      const [alt, dp] = s.whiteCells![labels[k]] ?? [0, depth];
      return siteCounts(site, alt, dp);
    });
    whiteCells = {
      bam: `${s.id}_wbc.bam`,
      sample: `${s.id} white cells`,
      rows: annotateCounts({ rows }, { background: wcBackground, alpha: 0.01, minDepth: 100 }),
    };
  }
  return buildPatientTimeline({
    patient: s.id,
    draws,
    countSettings: DEFAULT_COUNT_SETTINGS,
    eventSettings: DEFAULT_EVENT_SETTINGS,
    callSettings: { background: 'default', alpha: 0.01, min_depth: 100 },
    ...(whiteCells ? { whiteCells } : {}),
  });
}

/** The therapy history as clinical.csv rows (one per line). */
export function therapyRows(s: Scenario): ClinicalRow[] {
  return s.therapyHistory.map((t, i) => ({
    patient: s.id,
    subtype: s.subtype ?? 'HR+/HER2-',
    therapy: t.therapy,
    therapyClass: t.therapyClass,
    therapyStart: t.start,
    therapyStartDay: isoDateToDay(t.start),
    line: i + 2,
  }));
}

export function scenarioImaging(s: Scenario): ImagingRow {
  const im = s.imaging;
  const sites = im.sites ?? (im.progressingLesions > 0 ? (['bone'] as LesionSite[]) : []);
  return {
    patient: s.id,
    assessmentDate: im.date,
    assessmentDay: isoDateToDay(im.date),
    progressingLesions: im.progressingLesions,
    newLesions: im.newLesions ?? 0,
    sites: [...new Set(sites)].sort(),
    visceral: im.visceral ?? false,
    cns: im.cns ?? false,
    line: 2,
  };
}

/** The current clinical row: the line in force at the assessment (the last one started on or before it). */
export function scenarioClinical(s: Scenario): ClinicalRow | null {
  const day = isoDateToDay(s.imaging.date);
  return (
    therapyRows(s)
      .filter((l) => l.therapyStartDay <= day)
      .sort((a, b) => a.therapyStartDay - b.therapyStartDay)
      .pop() ?? null
  );
}

/** The classifier input of a scenario (timeline, imaging row, current clinical row, therapy history). */
export function scenarioInput(s: Scenario): ClassifyInput {
  return { timeline: buildScenarioTimeline(s), imaging: scenarioImaging(s), clinical: scenarioClinical(s), therapyHistory: therapyRows(s) };
}
