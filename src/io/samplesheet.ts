import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { UserError, fileError } from '../util/errors.js';
import { parseCsv } from './csv.js';
import { idSchema, isoDateSchema, isoDateToDay, todayDay, validateRecords } from './csv-schema.js';

/** One plasma draw of the samplesheet, with paths resolved against the samplesheet's directory. */
export interface SampleRow {
  patient: string;
  sample: string;
  /** ISO date YYYY-MM-DD. */
  collectionDate: string;
  /** Days since 1970-01-01 (UTC) of `collectionDate`, for ordering and windows. */
  collectionDay: number;
  bam: string;
  /** The `bam` cell as written (relative paths stay relative): what outputs record, so they do not depend on where the data lives. */
  bamAsGiven: string;
  vcf?: string;
  timepoint?: string;
  therapy?: string;
  /** Matched normal (buffy coat / white blood cells) BAM: alt seen there marks germline or CH. */
  normal?: string;
  /** 1-based line of the row in the samplesheet. */
  line: number;
}

export const SAMPLESHEET_REQUIRED = ['patient', 'sample', 'collection_date', 'bam'] as const;
export const SAMPLESHEET_OPTIONAL = ['vcf', 'timepoint', 'therapy', 'normal'] as const;

function rowSchema(today: number) {
  return z.object({
    patient: idSchema,
    sample: idSchema,
    collection_date: isoDateSchema(today),
    bam: z.string().min(1, 'must name a BAM file'),
    vcf: z.string().optional(),
    timepoint: z.string().optional(),
    therapy: z.string().optional(),
    normal: z.string().optional(),
  });
}

export interface ReadSamplesheetOptions {
  /** Day number treated as today (tests); default the real date. */
  today?: number;
  /** Check that BAM (and normal/VCF) files exist; default true. */
  checkFiles?: boolean;
}

/**
 * Reads and validates a samplesheet. Rows come back sorted by patient ID, then
 * collection date, then sample ID: draws out of date order in the file are sorted, not rejected.
 */
export function readSamplesheet(path: string, opts: ReadSamplesheetOptions = {}): SampleRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read samplesheet (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseSamplesheet(text, path, opts);
}

export function parseSamplesheet(text: string, path: string, opts: ReadSamplesheetOptions = {}): SampleRow[] {
  const table = parseCsv(text, path);
  const today = opts.today ?? todayDay();
  const base = dirname(resolve(path));
  const rows = validateRecords(table, SAMPLESHEET_REQUIRED, SAMPLESHEET_OPTIONAL, rowSchema(today));
  const out: SampleRow[] = [];
  const sampleLine = new Map<string, number>();
  for (const { value: r, line, columnOf } of rows) {
    const prev = sampleLine.get(r.sample);
    if (prev !== undefined) {
      throw fileError(
        path,
        `duplicate sample ID '${r.sample}' (first on line ${prev}); sample IDs must be unique`,
        line,
        columnOf('sample'),
      );
    }
    sampleLine.set(r.sample, line);
    const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
    const row: SampleRow = {
      patient: r.patient,
      sample: r.sample,
      collectionDate: r.collection_date,
      collectionDay: isoDateToDay(r.collection_date),
      bam: abs(r.bam),
      bamAsGiven: r.bam,
      line,
    };
    if (r.vcf !== undefined) row.vcf = abs(r.vcf);
    if (r.timepoint !== undefined) row.timepoint = r.timepoint;
    if (r.therapy !== undefined) row.therapy = r.therapy;
    if (r.normal !== undefined) row.normal = abs(r.normal);
    if (opts.checkFiles !== false) {
      for (const [col, file] of [
        ['bam', row.bam],
        ['normal', row.normal],
        ['vcf', row.vcf],
      ] as const) {
        if (file === undefined) continue;
        if (!existsSync(file) || !statSync(file).isFile()) {
          throw fileError(path, `column '${col}': file not found: ${file}`, line, columnOf(col));
        }
      }
    }
    out.push(row);
  }
  if (out.length === 0) throw fileError(path, 'no samples (only a header)');
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  out.sort((a, b) => cmp(a.patient, b.patient) || a.collectionDay - b.collectionDay || cmp(a.sample, b.sample));
  return out;
}
