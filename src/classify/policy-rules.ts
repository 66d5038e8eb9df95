import { z } from 'zod';

/**
 * Schemas of the policy blocks for clonal haematopoiesis, germline variants, the clonal set, the
 * assessment window, targetable findings, a ctDNA return after clearance, and the imaging modifiers
 * for new lesions and organs. policy.ts puts them into the policy file's schema
 * (reference/policy/default.yaml). Objects are `.strict()`: a typo'd key is an error.
 */
export const source = z.string().min(1, 'every rule needs a source');
export const fraction = z.number().gt(0).lt(1);

export const clonalHaematopoiesisSchema = z
  .object({
    /**
     * White-cell test: a site is "in the white cells" when its one-sided test against the assay
     * background, Benjamini–Hochberg adjusted over the patient's sites, is ≤ this.
     */
    white_cell_fdr: fraction,
    /** White-cell test power: the white cells can only clear a site whose plasma VAF is at least their LoD at this power. */
    white_cell_power: fraction,
    source,
  })
  .strict();

export const germlineSchema = z
  .object({
    /** A heterozygous-looking VAF: inside [low, high] in every informative draw. */
    heterozygous_vaf: z.tuple([fraction, fraction]).refine(([lo, hi]) => lo < 0.5 && hi > 0.5, 'heterozygous_vaf must bracket 0.5'),
    /** A homozygous-looking VAF: at least this in every informative draw. */
    homozygous_vaf_min: fraction,
    /** … and at least this many times the highest tumour-marker VAF of the same draw. */
    min_ratio_to_tumour: z.number().min(1),
    source,
  })
  .strict();

export const clonalSetSchema = z
  .object({
    /** Without a tumour VCF: a site detected before the window is clonal when its mean VAF there is ≥ this × the top site's. */
    min_relative_vaf: fraction,
    /** Detections before the window a site needs to be a candidate. */
    min_detections_before_window: z.number().int().min(1),
    /** Acquired-resistance sites (panel role `resistance`, e.g. ESR1 LBD) are tracked on their own, never pooled. */
    exclude_resistance_sites: z.boolean(),
    source,
  })
  .strict();

export const assessmentWindowSchema = z
  .object({
    days_before: z.number().int().min(0).max(365),
    days_after: z.number().int().min(0).max(180),
    source,
  })
  .strict();

export const targetableSchema = z
  .object({
    /** Benjamini–Hochberg FDR over the patient's targetable sites for "detected in the window". */
    detection_fdr: fraction,
    /**
     * A targetable alteration known since baseline (tissue, or detected at the first draw of the
     * line) that neither resists the current therapy nor rises on it (the model's per-site trend):
     * `show` lists it as actionable without changing the group; `qualify` lets it make the group.
     */
    known_since_baseline: z.enum(['show', 'qualify']),
    source,
  })
  .strict();

export const ctdnaReturnSchema = z
  .object({
    /** After clearance, a return whose pooled clonal VAF stays below this is "ctDNA return", not by itself diffuse progression. */
    floor_vaf: fraction,
    /** Draws with no clonal site detected (after a detection) that make a clearance. */
    min_cleared_draws: z.number().int().min(1),
    source,
  })
  .strict();

export const newLesionsSchema = z
  .object({
    /** New lesions are progressing lesions: the oligo count is max(progressing_lesions, new_lesions). */
    count_as_progressing: z.boolean(),
    source,
  })
  .strict();

export const multiOrganSchema = z
  .object({
    /** Progression in at least this many organ sites is shown as a modifier. */
    min_organs: z.number().int().min(2),
    source,
  })
  .strict();
