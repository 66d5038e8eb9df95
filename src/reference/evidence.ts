import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fileError } from '../util/errors.js';
import { referencePath } from './paths.js';
import { parseTsv } from './tsv.js';

/** Therapy classes used by classification: every one has a toxicity note. */
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

const optionalInt = z
  .string()
  .transform((s) => (s === '' ? undefined : Number(s)))
  .refine((n) => n === undefined || (Number.isInteger(n) && n >= 0), 'must be a whole number or empty');

export const DefinitionRowSchema = z.object({
  study: z.string().min(1),
  registry_id: z.string().regex(/^(NCT\d{8})?$/, 'registry_id must be NCTnnnnnnnn or empty'),
  design: z.string().min(1),
  status: z.string().min(1),
  min_progressing_sites: z.coerce.number().int().min(1),
  max_progressing_sites: z.coerce.number().int().min(1),
  site_restriction: z.string().min(1),
  prior_lines: z.string().min(1),
  response_requirement_months: optionalInt,
  subtype: z.string().min(1),
  primary_endpoint: z.string().min(1),
  policy_note: z.string().min(1),
  source: z.string().min(1),
});
export type OligoprogressionDefinition = z.infer<typeof DefinitionRowSchema>;

export const NextTherapyRowSchema = z.object({
  progressing_sites_min: z.coerce.number().int().min(1),
  progressing_sites_max: z.coerce.number().int().min(1),
  median_months_to_next_systemic_therapy: z.coerce.number().positive(),
  cohort: z.string().min(1),
  source: z.string().min(1),
});
export type NextTherapyBySites = z.infer<typeof NextTherapyRowSchema>;

export const ToxicityRowSchema = z.object({
  therapy_class: z.enum(THERAPY_CLASSES),
  agent_group: z.string().min(1),
  note: z.string().min(1),
  source: z.string().min(1),
});
export type ToxicityNote = z.infer<typeof ToxicityRowSchema>;

export interface Evidence {
  definitions: OligoprogressionDefinition[];
  nextTherapyBySites: NextTherapyBySites[];
  toxicity: ToxicityNote[];
  /** Citation of the review the facts were taken from. */
  review: string;
}

export const REVIEW_CITATION =
  'Merloni F, Palleschi M, Gianni C, et al. Local treatment for oligoprogressive metastatic sites of breast cancer: efficacy, toxicities and future perspectives. 2024 (open access, CC BY-NC-ND 4.0)';

function load<T>(name: string, schema: z.ZodType<T>, columns: string[]): T[] {
  const file = referencePath('evidence', name);
  return parseTsv(readFileSync(file, 'utf8'), file, columns).map((rec) => {
    const parsed = schema.safeParse(rec.values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fileError(file, `${issue.path.length ? `column ${String(issue.path[0])}: ` : ''}${issue.message}`, rec.line);
    }
    return parsed.data;
  });
}

let cache: Evidence | undefined;

export function loadEvidence(): Evidence {
  if (!cache) {
    cache = {
      definitions: load('oligoprogression-definitions.tsv', DefinitionRowSchema, Object.keys(DefinitionRowSchema.shape)),
      nextTherapyBySites: load('next-therapy-by-sites.tsv', NextTherapyRowSchema, Object.keys(NextTherapyRowSchema.shape)),
      toxicity: load('concurrent-rt-toxicity.tsv', ToxicityRowSchema, Object.keys(ToxicityRowSchema.shape)),
      review: REVIEW_CITATION,
    };
  }
  return cache;
}

/** Toxicity notes for a therapy class (ADC → the T-DM1 and T-DXd notes). */
export function toxicityNotesFor(therapyClass: TherapyClass): ToxicityNote[] {
  return loadEvidence().toxicity.filter((t) => t.therapy_class === therapyClass);
}

/** Nicosia et al. median time to next systemic therapy for a count of progressing sites, if covered. */
export function nextTherapyForSites(sites: number): NextTherapyBySites | undefined {
  return loadEvidence().nextTherapyBySites.find((r) => sites >= r.progressing_sites_min && sites <= r.progressing_sites_max);
}
