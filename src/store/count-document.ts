import { z } from 'zod';
import type { CountOutputRow } from '../count/output/row.js';
import { SITE_CALLS } from '../count/types.js';
import { fileError } from '../util/errors.js';

/**
 * Reads a count document as written by `oligotrack count --format json` (schema `oligotrack.count`,
 * version 1) into the flat rows the store keeps. Only the fields the store needs are validated;
 * the document itself is stored verbatim, so `store export --format json` gives back its bytes.
 */

const nullableNumber = z.union([z.number(), z.null()]);

const count = z.number().int().nonnegative();

/** A row as `formatCountJson` writes it: the TSV columns, with the call fields flattened in when present. */
const SiteRowSchema = z.object({
  sample: z.string(),
  chrom: z.string(),
  pos: z.number().int().positive(),
  ref: z.string(),
  alt: z.string(),
  gene: z.string(),
  protein: z.string(),
  depth: count,
  ref_count: count,
  alt_count: count,
  other_count: count,
  vaf: nullableNumber,
  alt_fwd: count,
  alt_rev: count,
  discordant_mates: count,
  mean_frag_len_ref: nullableNumber,
  mean_frag_len_alt: nullableNumber,
  deletions: count,
  insertions: count,
  raw_ref_count: count,
  raw_alt_count: count,
  families: count,
  id: z.string(),
  background_rate: nullableNumber.optional(),
  p_value: nullableNumber.optional(),
  vaf_low: nullableNumber.optional(),
  vaf_high: nullableNumber.optional(),
  lod: nullableNumber.optional(),
  call: z.enum(SITE_CALLS).optional(),
});

const CountDocumentSchema = z.object({
  schema: z.literal('oligotrack.count'),
  schema_version: z.literal(1),
  tool_version: z.string(),
  sample: z.string().min(1),
  bam: z.string(),
  bam_sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  build: z.string(),
  settings: z.record(z.string(), z.unknown()),
  reads_seen: z.number().int().nonnegative(),
  reads_passing: z.number().int().nonnegative(),
  rows: z.array(SiteRowSchema),
});

export interface CountDocument {
  sample: string;
  bamPath: string;
  /** When the count document records the BAM's SHA-256 itself. */
  bamSha256?: string;
  build: string;
  toolVersion: string;
  settings: Record<string, unknown>;
  readsSeen: number;
  readsPassing: number;
  rows: CountOutputRow[];
  /** The document exactly as read. */
  text: string;
}

/** Parse and validate a count JSON; `file` names it in errors. */
export function parseCountDocument(text: string, file: string): CountDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw fileError(file, `not valid JSON (${(e as Error).message})`);
  }
  const parsed = CountDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(document)';
    throw fileError(file, `not an oligotrack.count v1 document: ${where}: ${issue.message}`);
  }
  const d = parsed.data;
  return {
    sample: d.sample,
    bamPath: d.bam,
    bamSha256: d.bam_sha256,
    build: d.build,
    toolVersion: d.tool_version,
    settings: d.settings,
    readsSeen: d.reads_seen,
    readsPassing: d.reads_passing,
    rows: d.rows.map((r, i) => toOutputRow(r, d.sample, file, i)),
    text,
  };
}

/** Parse an optional per-sample summary JSON: any object whose `sample` names the sample. */
export function parseSummaryDocument(text: string, file: string): { sample: string; text: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw fileError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw fileError(file, 'summary must be a JSON object');
  const sample = (json as Record<string, unknown>).sample;
  if (typeof sample !== 'string' || sample === '') throw fileError(file, 'summary has no "sample" string');
  return { sample, text };
}

type JsonRow = z.infer<typeof SiteRowSchema>;

/** Back to the typed row count's writers print: call fields folded into `call` when the row has them. */
function toOutputRow(r: JsonRow, sample: string, file: string, index: number): CountOutputRow {
  if (r.sample !== sample) throw fileError(file, `rows.${index}.sample is "${r.sample}", the document's sample is "${sample}"`);
  const { background_rate, p_value, vaf_low, vaf_high, lod, call, ...counts } = r;
  const row: CountOutputRow = { ...counts };
  if (call !== undefined) {
    const num = (x: number | null | undefined) => (x === null || x === undefined ? Number.NaN : x);
    row.call = {
      background_rate: num(background_rate),
      p_value: num(p_value),
      vaf_low: num(vaf_low),
      vaf_high: num(vaf_high),
      lod: num(lod),
      call,
    };
  }
  return row;
}
