import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest } from 'fastest-levenshtein';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError, fileError } from '../util/errors.js';
import {
  assessmentWindowSchema,
  clonalHaematopoiesisSchema,
  clonalSetSchema,
  ctdnaReturnSchema,
  germlineSchema,
  multiOrganSchema,
  newLesionsSchema,
  source,
  targetableSchema,
} from './policy-rules.js';

/**
 * The classification policy (version 2): every threshold of the rules and of the modifiers, each
 * with the source it comes from (docs/methods/policy.md). Objects are `.strict()`: a typo'd key is
 * an error naming the key and the file, never a silently ignored setting that falls back to a
 * default.
 */
export const POLICY_VERSION = 2;

export const policySchema = z
  .object({
    schema: z.literal('oligotrack.policy'),
    version: z.literal(POLICY_VERSION),
    name: z.string().min(1),
    rules: z
      .object({
        no_progression: z.object({ source }).strict(),
        oligoprogression: z
          .object({
            /** 1 ≤ progressing lesions ≤ this is radiological oligoprogression. */
            max_oligo_lesions: z.number().int().min(1).max(10),
            source,
          })
          .strict(),
        /** Draws from days_before before to days_after after the scan, never across a change of therapy. */
        assessment_window: assessmentWindowSchema,
        clonal_haematopoiesis: clonalHaematopoiesisSchema,
        germline: germlineSchema,
        clonal_set: clonalSetSchema,
        molecular_progression: z
          .object({
            /** The rise from the nadir level that counts as diffuse molecular progression. */
            min_fold_from_nadir: z.number().min(1),
            /** Family-wise α of the rise test over the window draws (Holm). */
            alpha: z.number().gt(0).lt(1),
            /** Fewer clonal sites than this is a caveat in the rationale, never the criterion. */
            min_clonal_sites: z.number().int().min(1),
            /** This many non-targetable sites `emerged` at one draw in the window is diffuse progression. */
            min_emerged_nontargetable: z.number().int().min(1),
            /** Two-sided level of the fold interval shown. Optional (default 0.95) so older policy files load. */
            interval_level: z.number().gt(0.5).lt(1).default(0.95),
            /** One-sided level of the upper bound that rules a min_fold_from_nadir rise out (default 0.95). */
            rule_out_level: z.number().gt(0.5).lt(1).default(0.95),
            /** A draw joins the nadir phase unless higher than it with one-sided p below this (default 0.01). */
            nadir_phase_alpha: z.number().gt(0).lt(0.5).default(0.01),
            /** Prior between-draw CV of the tumour level when no cohort estimate is given (default 0.7). */
            between_draw_cv: z.number().min(0).max(3).default(0.7),
            /** Pseudo-df of that prior (default 1). */
            between_draw_prior_df: z.number().gt(0).max(1000).default(1),
            /** Cap on the pseudo-df of a cohort-estimated prior (default 10). */
            cohort_prior_max_df: z.number().gt(0).max(1000).default(10),
            /** A cohort estimate needs at least this many df (nadir-phase draws minus one per phase), else the default prior (default 8). */
            cohort_prior_min_df: z.number().int().min(1).max(10000).default(8),
            /** Where the between-draw prior comes from (required with between_draw_cv in the default policy). */
            between_draw_source: z.string().min(1).default('policy default (docs/methods/statistics.md)'),
            source,
          })
          .strict(),
        targetable: targetableSchema,
        ctdna_return: ctdnaReturnSchema,
        indeterminate: z.object({ source }).strict(),
      })
      .strict(),
    modifiers: z
      .object({
        short_response: z.object({ months: z.number().gt(0), source }).strict(),
        triple_negative: z.object({ source }).strict(),
        visceral_or_cns: z.object({ source }).strict(),
        bone_only: z.object({ source }).strict(),
        toxicity_notes: z.object({ source }).strict(),
        time_to_next_therapy: z.object({ source }).strict(),
        new_lesions: newLesionsSchema,
        multi_organ: multiOrganSchema,
      })
      .strict(),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type PolicyRules = Policy['rules'];

/**
 * Version 1 files (rules.ctdna_window, rules.targetable_emergence) are refused with one line that
 * says what to change: carrying them over silently would invent the thresholds version 2 added.
 */
const VERSION_1_MESSAGE =
  'policy version 1 is no longer read: version 2 replaces rules.ctdna_window (days) with rules.assessment_window (days_before, days_after) ' +
  'and rules.targetable_emergence with rules.targetable, and adds rules.clonal_haematopoiesis, germline, clonal_set, ctdna_return and ' +
  'modifiers.new_lesions, multi_organ; copy reference/policy/default.yaml and carry your thresholds over (docs/methods/policy.md)';

/** reference/policy/default.yaml, found relative to this module (src/ or dist/ → ../../reference). */
export function defaultPolicyPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', 'reference', 'policy', 'default.yaml');
}

function knownKeysAt(path: (string | number)[]): string[] {
  let node: z.ZodType = policySchema;
  for (const p of path) {
    const shape = (node as unknown as { shape?: Record<string, z.ZodType> }).shape;
    if (!shape || !(String(p) in shape)) return [];
    node = shape[String(p)];
  }
  const shape = (node as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Parses and validates policy text (YAML, of which JSON is a subset). */
export function parsePolicy(text: string, file: string): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    const err = e as { message?: string; linePos?: { line: number; col: number }[] };
    const pos = err.linePos?.[0];
    throw fileError(file, `not valid YAML/JSON: ${String(err.message).split('\n')[0]}`, pos?.line, pos?.col);
  }
  if (typeof raw === 'object' && raw !== null && (raw as { version?: unknown }).version === 1) throw fileError(file, VERSION_1_MESSAGE);
  const parsed = policySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // A typo'd key also makes the intended key "missing": report the typo, it is the cause.
  const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const known = knownKeysAt(issue.path as (string | number)[]);
    const hint = known.length > 0 ? `; did you mean '${closest(key, known)}'? (allowed here: ${known.join(', ')})` : '';
    throw fileError(file, `unknown policy key '${at ? `${at}.` : ''}${key}'${hint}`);
  }
  throw fileError(file, `policy key '${at || '(top level)'}': ${issue.message}`);
}

/** The policy, the file it came from and the SHA-256 (hex) of the file's bytes, which the classification records. */
export function loadPolicy(path?: string): { policy: Policy; file: string; sha256: string } {
  const file = path ?? defaultPolicyPath();
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UserError(`${file}: cannot read policy (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return { policy: parsePolicy(bytes.toString('utf8'), file), file, sha256: createHash('sha256').update(bytes).digest('hex') };
}
