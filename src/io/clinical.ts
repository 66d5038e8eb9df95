import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError, fileError } from '../util/errors.js';
import { parseCsv } from './csv.js';
import { idSchema, isoDateSchema, isoDateToDay, todayDay, validateRecords } from './csv-schema.js';

export const SUBTYPES = ['HR+/HER2-', 'HR+/HER2+', 'HR-/HER2+', 'TNBC'] as const;
export type Subtype = (typeof SUBTYPES)[number];

export const THERAPY_CLASSES = [
  'endocrine+CDK4/6i',
  'endocrine',
  'anti-HER2',
  'ADC',
  'chemotherapy',
  'immunotherapy',
  'PARPi',
  'other',
] as const;
export type TherapyClass = (typeof THERAPY_CLASSES)[number];

/**
 * One line of systemic therapy of a patient. clinical.csv has one row per line (therapy_start
 * each); a file with one row per patient (the current therapy) is the one-line case.
 */
export interface ClinicalRow {
  patient: string;
  subtype: Subtype;
  therapy: string;
  therapyClass: TherapyClass;
  therapyStart: string;
  therapyStartDay: number;
  line: number;
  /**
   * The patient's earlier lines of therapy, oldest first, on the row parseClinical returns (the
   * latest line): the report draws a therapy start per line (decision 0201).
   */
  earlierLines?: { therapy: string; therapyClass: TherapyClass; therapyStart: string }[];
}

const REQUIRED = ['patient', 'subtype', 'therapy', 'therapy_class', 'therapy_start'] as const;

function schema(today: number) {
  return z.object({
    patient: idSchema,
    subtype: z.enum(SUBTYPES, { error: `must be one of ${SUBTYPES.join(', ')}` }),
    therapy: z.string().min(1, 'must not be empty'),
    therapy_class: z.enum(THERAPY_CLASSES, { error: `must be one of ${THERAPY_CLASSES.join(', ')}` }),
    therapy_start: isoDateSchema(today),
  });
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read clinical file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Every therapy line per patient, in start order (see parseClinicalLines). */
export function readClinicalLines(path: string, knownPatients: ReadonlySet<string>, today = todayDay()): Map<string, ClinicalRow[]> {
  return parseClinicalLines(readText(path), path, knownPatients, today);
}

/** The latest line per patient (the therapy current at the last start), for callers without a date. */
export function readClinical(path: string, knownPatients: ReadonlySet<string>, today = todayDay()): Map<string, ClinicalRow> {
  return parseClinical(readText(path), path, knownPatients, today);
}

/**
 * One or more rows per patient, one per line of therapy. Two rows of a patient with the same
 * therapy_start, or with different subtypes, are errors; a patient not in the timeline is an error
 * (a typo would silently drop data).
 */
export function parseClinicalLines(
  text: string,
  path: string,
  knownPatients: ReadonlySet<string>,
  today = todayDay(),
): Map<string, ClinicalRow[]> {
  const table = parseCsv(text, path);
  const rows = validateRecords(table, REQUIRED, [], schema(today));
  const out = new Map<string, ClinicalRow[]>();
  for (const { value: r, line, columnOf } of rows) {
    if (!knownPatients.has(r.patient))
      throw fileError(path, `unknown patient '${r.patient}' (not in the timeline)`, line, columnOf('patient'));
    const lines = out.get(r.patient) ?? [];
    const same = lines.find((x) => x.therapyStart === r.therapy_start);
    if (same)
      throw fileError(
        path,
        `patient '${r.patient}' has two therapy lines starting ${r.therapy_start} (first on line ${same.line}); give each line of therapy once`,
        line,
        columnOf('therapy_start'),
      );
    if (lines.length > 0 && lines[0].subtype !== r.subtype) {
      throw fileError(
        path,
        `patient '${r.patient}' has subtype ${r.subtype} here but ${lines[0].subtype} on line ${lines[0].line}`,
        line,
        columnOf('subtype'),
      );
    }
    lines.push({
      patient: r.patient,
      subtype: r.subtype,
      therapy: r.therapy,
      therapyClass: r.therapy_class,
      therapyStart: r.therapy_start,
      therapyStartDay: isoDateToDay(r.therapy_start),
      line,
    });
    out.set(r.patient, lines);
  }
  for (const lines of out.values()) lines.sort((a, b) => a.therapyStartDay - b.therapyStartDay);
  return out;
}

/** The latest line per patient, with the earlier lines in `earlierLines` when there are any. */
export function parseClinical(
  text: string,
  path: string,
  knownPatients: ReadonlySet<string>,
  today = todayDay(),
): Map<string, ClinicalRow> {
  const out = new Map<string, ClinicalRow>();
  for (const [patient, lines] of parseClinicalLines(text, path, knownPatients, today)) {
    const latest = lines[lines.length - 1];
    const earlier = lines.slice(0, -1).map((l) => ({ therapy: l.therapy, therapyClass: l.therapyClass, therapyStart: l.therapyStart }));
    out.set(patient, earlier.length > 0 ? { ...latest, earlierLines: earlier } : latest);
  }
  return out;
}

/** The line current on `day`: the latest start on or before it; null when every line starts later. */
export function currentLine(lines: readonly ClinicalRow[] | undefined, day: number): ClinicalRow | null {
  let current: ClinicalRow | null = null;
  for (const l of lines ?? [])
    if (l.therapyStartDay <= day && (current === null || l.therapyStartDay >= current.therapyStartDay)) current = l;
  return current;
}
