import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError, fileError } from '../util/errors.js';
import { parseCsv } from './csv.js';
import { idSchema, isoDateSchema, isoDateToDay, todayDay, validateRecords, wholeNumberSchema, yesNoSchema } from './csv-schema.js';

export const LESION_SITES = ['bone', 'liver', 'lung', 'node', 'brain', 'soft_tissue', 'other'] as const;
export type LesionSite = (typeof LESION_SITES)[number];

/** One imaging assessment (each is classified). */
export interface ImagingRow {
  patient: string;
  assessmentDate: string;
  assessmentDay: number;
  progressingLesions: number;
  newLesions: number;
  /** Sites of progression, sorted and unique. */
  sites: LesionSite[];
  visceral: boolean;
  cns: boolean;
  line: number;
}

const REQUIRED = ['patient', 'assessment_date', 'progressing_lesions', 'new_lesions', 'sites', 'visceral', 'cns'] as const;

const count = wholeNumberSchema;

function schema(today: number) {
  return z.object({
    patient: idSchema,
    assessment_date: isoDateSchema(today),
    progressing_lesions: count,
    new_lesions: count,
    sites: z
      .string()
      .refine(
        (s) => s === '' || s.split(';').every((x) => (LESION_SITES as readonly string[]).includes(x.trim())),
        `must be ';'-separated values from ${LESION_SITES.join(', ')} (empty when none)`,
      )
      .transform((s) => (s === '' ? [] : [...new Set(s.split(';').map((x) => x.trim() as LesionSite))].sort())),
    visceral: yesNoSchema,
    cns: yesNoSchema,
  });
}

export function readImaging(path: string, knownPatients: ReadonlySet<string>, today = todayDay()): ImagingRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read imaging file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseImaging(text, path, knownPatients, today);
}

/** Rows sorted by patient then date; two assessments of one patient on the same date are an error. */
export function parseImaging(text: string, path: string, knownPatients: ReadonlySet<string>, today = todayDay()): ImagingRow[] {
  const table = parseCsv(text, path);
  const rows = validateRecords(table, REQUIRED, [], schema(today));
  const seen = new Map<string, number>();
  const out: ImagingRow[] = [];
  for (const { value: r, line, columnOf } of rows) {
    if (!knownPatients.has(r.patient))
      throw fileError(path, `unknown patient '${r.patient}' (not in the timeline)`, line, columnOf('patient'));
    const key = `${r.patient}\t${r.assessment_date}`;
    const prev = seen.get(key);
    if (prev !== undefined)
      throw fileError(
        path,
        `duplicate assessment of '${r.patient}' on ${r.assessment_date} (first on line ${prev})`,
        line,
        columnOf('assessment_date'),
      );
    seen.set(key, line);
    if (r.progressing_lesions === 0 && r.sites.length > 0) {
      throw fileError(path, `column 'sites' lists progression sites but progressing_lesions is 0`, line, columnOf('sites'));
    }
    out.push({
      patient: r.patient,
      assessmentDate: r.assessment_date,
      assessmentDay: isoDateToDay(r.assessment_date),
      progressingLesions: r.progressing_lesions,
      newLesions: r.new_lesions,
      sites: r.sites,
      visceral: r.visceral,
      cns: r.cns,
      line,
    });
  }
  out.sort((a, b) => (a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : a.assessmentDay - b.assessmentDay));
  return out;
}
