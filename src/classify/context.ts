/**
 * What classification needs about a patient beyond one imaging row and the current clinical row:
 * the therapy history (to keep windows and baselines inside one line of therapy), the matched
 * white-cell counts (to tell clonal haematopoiesis and germline variants from tumour DNA) and the
 * sites the tissue confirmed as somatic. Pure data; the use case that reads clinical.csv, the
 * samplesheet and the timeline fills it.
 */
import type { TherapyClass } from '../io/clinical.js';
import type { ClassifyInput } from './types.js';

/** One line of systemic therapy: what was given and from which day. */
export interface TherapyLine {
  therapy: string;
  therapyClass: TherapyClass;
  /** ISO date the line started. */
  start: string;
  /** Days since 1970-01-01 of `start` (isoDateToDay). */
  startDay: number;
}

/**
 * A site's alt/depth in the patient's matched white cells (buffy coat) and the background the
 * white-cell test compares it with: `backgroundRate` is the per-site error rate of the assay
 * (panel of normals or the substitution class), `dispersion` its between-sample ICC (0 = binomial).
 */
export interface WhiteCellCounts {
  alt: number;
  depth: number;
  backgroundRate: number;
  dispersion?: number;
}

export interface PatientContext {
  /** Every line of therapy known for the patient, any order (sorted where used). Empty when unknown. */
  therapyHistory: TherapyLine[];
  /** Matched white-cell counts by site key (`chrom:pos:ref>alt`); null when no white-cell BAM was given. */
  whiteCells: ReadonlyMap<string, WhiteCellCounts> | null;
  /**
   * Site keys the tissue confirmed as somatic against a matched normal (a tumour–normal VCF, or a
   * record flagged SOMATIC). A tumour-only VCF also holds germline variants, so membership in the
   * tumour VCF alone is not confirmation.
   */
  tissueSomaticKeys: ReadonlySet<string>;
}

/** The classifier's input once the patient context is wired in. */
export interface ClassifyInputV2 extends ClassifyInput {
  context: PatientContext;
}

export const EMPTY_CONTEXT: PatientContext = { therapyHistory: [], whiteCells: null, tissueSomaticKeys: new Set() };

/** The history sorted by start day (earliest first); lines with the same start keep their order. */
export function sortedLines(history: readonly TherapyLine[]): TherapyLine[] {
  return history.map((l, i) => ({ l, i })).sort((a, b) => a.l.startDay - b.l.startDay || a.i - b.i).map((x) => x.l);
}

/** The line in force on `day` (the latest that started on or before it), or null. */
export function lineOn(history: readonly TherapyLine[], day: number): TherapyLine | null {
  let cur: TherapyLine | null = null;
  for (const l of sortedLines(history)) if (l.startDay <= day) cur = l;
  return cur;
}

/** The first line that starts strictly after `day`, or null. */
export function nextLineAfter(history: readonly TherapyLine[], day: number): TherapyLine | null {
  return sortedLines(history).find((l) => l.startDay > day) ?? null;
}
