import { z } from 'zod';
import { fileError } from '../util/errors.js';
import { pathIdProblem } from '../util/safe-path.js';
import { type CsvTable, checkColumns, fieldLocation, recordObject } from './csv.js';

/**
 * Identifiers (patient, sample): the file-name ID rule of util/safe-path.ts (they become
 * DIR/patients/<patient>.json, DIR/counts/<sample>.json, <sample>.count.json): non-empty, no
 * whitespace (as nf-core samplesheets require), letters, digits, . _ - starting with a letter or digit.
 */
export const idSchema = z.string().superRefine((value, ctx) => {
  const problem = pathIdProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** Days since 1970-01-01 of a calendar date, or NaN when `s` is not a real YYYY-MM-DD date. */
export function isoDateToDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return Number.NaN;
  return t / 86_400_000;
}

/**
 * Today as a day number: the latest calendar date anywhere on Earth (UTC+14, Line Islands). Dates
 * in the CSVs are local calendar dates with no zone; a clinic at UTC+10 enters its own today
 * 10 hours before that date starts in UTC, and must not be told it is "in the future".
 * Future-dated draws or assessments beyond that are typing errors.
 */
export function todayDay(): number {
  return Math.floor((Date.now() + 14 * 3_600_000) / 86_400_000);
}

/** ISO calendar date (YYYY-MM-DD), real, not after `today` (a day number). */
export function isoDateSchema(today: number) {
  return z
    .string()
    .refine((s) => !Number.isNaN(isoDateToDay(s)), 'must be an ISO date YYYY-MM-DD (a real calendar date)')
    .refine((s) => Number.isNaN(isoDateToDay(s)) || isoDateToDay(s) <= today, 'is in the future');
}

/** A count (lesions, …): digits only, and a number JavaScript holds exactly (a 20-digit typo is not 1e20). */
export const wholeNumberSchema = z
  .string()
  .regex(/^\d+$/, 'must be a whole number ≥ 0')
  .refine((s) => Number.isSafeInteger(Number(s)), 'is too large to be a count')
  .transform((s) => Number(s));

export const yesNoSchema = z.enum(['yes', 'no'], { error: "must be 'yes' or 'no'" }).transform((v) => v === 'yes');

export interface ValidatedRecord<T> {
  value: T;
  line: number;
  record: Record<string, string>;
  /** 1-based character column where the named field starts on its line (for later errors). */
  columnOf: (column: string) => number;
}

/**
 * Validates every record of a CSV table with a zod object schema (one key per column). The first
 * failing field becomes `file:line:column: column 'x' <rule> (got 'value')`.
 */
export function validateRecords<T>(
  table: CsvTable,
  required: readonly string[],
  optional: readonly string[],
  schema: z.ZodType<T>,
): ValidatedRecord<T>[] {
  checkColumns(table, required, optional);
  const out: ValidatedRecord<T>[] = [];
  for (const rec of table.records) {
    const obj = recordObject(table, rec);
    // Absent optional columns and empty optional cells both mean "not given".
    for (const c of optional) if (obj[c] === '') delete obj[c];
    const parsed = schema.safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const column = String(issue.path[0] ?? table.header[0]);
      const loc = fieldLocation(table, rec, column);
      const got = obj[column];
      throw fileError(table.file, `column '${column}' ${issue.message}${got === undefined ? '' : ` (got '${got}')`}`, loc.line, loc.column);
    }
    out.push({ value: parsed.data, line: rec.line, record: obj, columnOf: (c) => fieldLocation(table, rec, c).column });
  }
  return out;
}
