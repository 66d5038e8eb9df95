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

/** The current systemic therapy of a patient (one row per patient). */
export interface ClinicalRow {
  patient: string;
  subtype: Subtype;
  therapy: string;
  therapyClass: TherapyClass;
  therapyStart: string;
  therapyStartDay: number;
  line: number;
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

export function readClinical(path: string, knownPatients: ReadonlySet<string>, today = todayDay()): Map<string, ClinicalRow> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read clinical file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseClinical(text, path, knownPatients, today);
}

/** One row per patient; a patient not in the timeline is an error (a typo would silently drop data). */
export function parseClinical(text: string, path: string, knownPatients: ReadonlySet<string>, today = todayDay()): Map<string, ClinicalRow> {
  const table = parseCsv(text, path);
  const rows = validateRecords(table, REQUIRED, [], schema(today));
  const out = new Map<string, ClinicalRow>();
  for (const { value: r, line, columnOf } of rows) {
    if (!knownPatients.has(r.patient)) throw fileError(path, `unknown patient '${r.patient}' (not in the timeline)`, line, columnOf('patient'));
    const prev = out.get(r.patient);
    if (prev) throw fileError(path, `duplicate patient '${r.patient}' (first on line ${prev.line}); give the current therapy once`, line, columnOf('patient'));
    out.set(r.patient, {
      patient: r.patient,
      subtype: r.subtype,
      therapy: r.therapy,
      therapyClass: r.therapy_class,
      therapyStart: r.therapy_start,
      therapyStartDay: isoDateToDay(r.therapy_start),
      line,
    });
  }
  return out;
}
