import { z } from 'zod';
import { HGVS_C_DELINS, HGVS_C_SUBSTITUTION, HGVS_P_ONE_LETTER } from './hgvs.js';

export const BUILDS = ['GRCh38', 'GRCh37'] as const;
export type Build = (typeof BUILDS)[number];
export const ROLES = ['resistance', 'actionable', 'clonal_marker'] as const;
export type Role = (typeof ROLES)[number];
export const STATUSES = ['verified', 'unverified'] as const;
export type Status = (typeof STATUSES)[number];

const bases = /^[ACGT]+$/;

/** What every panel row must have, bundled or user-supplied: a site that can be counted. */
const coordinateShape = {
  gene: z.string().regex(/^[A-Za-z0-9._-]+$/, 'gene must be a symbol without spaces'),
  protein: z.string().min(1, 'protein is empty'),
  chrom: z.string().regex(/^[^\s:]+$/, 'chrom must be a contig name without spaces or colons'),
  pos: z.coerce.number().int().positive('pos must be a positive 1-based integer'),
  ref: z.string().regex(bases, 'ref must be A/C/G/T'),
  alt: z.string().regex(bases, 'alt must be A/C/G/T'),
  build: z.enum(BUILDS, { message: 'build must be GRCh38 or GRCh37' }),
};

/** Strict annotation of the bundled panel: HGVS, strand, codon, provenance. */
const annotationShape = {
  protein: z.string().regex(HGVS_P_ONE_LETTER, 'protein must be HGVS p. one-letter, e.g. p.D538G'),
  cdna: z
    .string()
    .refine((s) => HGVS_C_SUBSTITUTION.test(s) || HGVS_C_DELINS.test(s), 'cdna must be NM_x.y:c.NA>B or NM_x.y:c.N_Mdelins...'),
  strand: z.enum(['+', '-']),
  // Reference codon on the transcript strand. IUPAC R (A/G), Y (C/T) or N stand for a base no source
  // pinned down; the codon test checks the protein change holds for every base they allow.
  ref_codon: z.string().regex(/^[ACGTRYN]{3}$/, 'ref_codon must be three bases A/C/G/T (R, Y, N where unknown), transcript strand'),
  chrom: z.string().regex(/^chr([1-9]|1[0-9]|2[0-2]|X|Y)$/, 'chrom must be chr1..chr22, chrX, chrY'),
  role: z.enum(ROLES),
  verification: z.string().min(1),
  sources: z.string().min(1),
  status: z.enum(STATUSES),
};

function allelesRules<T extends z.ZodType<{ ref: string; alt: string }>>(schema: T) {
  return schema
    .refine((r) => r.ref.length === r.alt.length, { message: 'panel holds SNVs and MNVs only: ref and alt must have equal length' })
    .refine((r) => r.ref !== r.alt, { message: 'ref and alt are identical' })
    .refine((r) => r.ref.length === 1 || (r.ref[0] !== r.alt[0] && r.ref.at(-1) !== r.alt.at(-1)), {
      message: 'an MNV must not carry unchanged flanking bases (trim them)',
    });
}

export const PanelRowSchema = allelesRules(z.object({ ...coordinateShape, ...annotationShape }));

/** A user panel: coordinates required, annotation optional (defaults say it was not verified here). */
export const UserPanelRowSchema = allelesRules(
  z.object({
    ...coordinateShape,
    cdna: z.string().default(''),
    strand: z.enum(['+', '-', '.']).default('.'),
    ref_codon: z.string().default(''),
    role: z.enum(ROLES).default('clonal_marker'),
    verification: z.string().default('user panel: not verified by oligotrack'),
    sources: z.string().default('user'),
    status: z.enum(STATUSES).default('verified'),
  }),
);

export interface PanelRow {
  gene: string;
  protein: string;
  cdna: string;
  strand: '+' | '-' | '.';
  ref_codon: string;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  build: Build;
  role: Role;
  verification: string;
  sources: string;
  status: Status;
}

export const PANEL_COLUMNS = [
  'gene',
  'protein',
  'cdna',
  'strand',
  'ref_codon',
  'chrom',
  'pos',
  'ref',
  'alt',
  'build',
  'role',
  'verification',
  'sources',
  'status',
] as const;

export const USER_PANEL_REQUIRED = ['gene', 'protein', 'chrom', 'pos', 'ref', 'alt', 'build'] as const;

/** reference/panels/sources.tsv: what each key in the panel's `sources` column refers to. */
export const SourceRowSchema = z.object({
  key: z.string().regex(/^[A-Za-z0-9:-]+$/),
  kind: z.enum(['listing', 'liftover', 'derived']),
  builds: z.string().min(1),
  description: z.string().min(1),
  locator: z.string().min(1),
});
export type SourceRow = z.infer<typeof SourceRowSchema>;
