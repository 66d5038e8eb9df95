import { DEFAULT_COUNT_SETTINGS, DEFAULT_EXCLUDE_FLAGS } from '../count/types.js';
import { DEFAULT_MIN_DEPTH, DEFAULT_SITE_ALPHA } from '../stats/call-defaults.js';

/**
 * The command-line contract as data: every command's options, each declared once with its kind,
 * default and meaning. The same spec declares the options to yargs (src/cli/options.ts), validates
 * every value with one validator, suggests the nearest name for a typo, and is exported as JSON for
 * the command pages of the documentation (`npm run options-spec`), which a test holds against
 * `--help`.
 */

export type OptionKind =
  /** Free text (a name, an ID). */
  | 'string'
  /** A file or directory path (`-` where the option says so). */
  | 'path'
  | 'integer'
  | 'number'
  /** A probability strictly between 0 and 1 (a significance level). */
  | 'fraction'
  | 'boolean'
  /** One of `choices` (or, with `orNumber`, a number from min to max). */
  | 'choice'
  /** A SAM flag mask: a number (0xF04, 3844) or samtools flag names (UNMAP,DUP). */
  | 'flags'
  /** Repeatable: one or more values (`--sites a b` or `--sites a --sites b`). */
  | 'list';

/** An older spelling still accepted, hidden from --help, with a deprecation line on stderr. */
export interface DeprecatedSpelling {
  readonly name: string;
  /** A boolean whose meaning is the opposite (`--keep-singletons` for `--drop-singletons`). */
  readonly invert?: boolean;
}

export interface OptionSpec {
  /** kebab-case, without the dashes. */
  readonly name: string;
  readonly kind: OptionKind;
  readonly describe: string;
  readonly default?: string | number | boolean;
  /** What --help says when the default is not a fixed value ("from --out", "all"). */
  readonly defaultText?: string;
  readonly required?: boolean;
  readonly choices?: readonly string[];
  /** choice: a number from min to max is also accepted. */
  readonly orNumber?: boolean;
  /** Inclusive bounds of integer, number and (with orNumber) choice values. */
  readonly min?: number;
  readonly max?: number;
  /** list: one value per `--name` (`--summary a --summary b`), so that positional files after it stay positional. */
  readonly onePerFlag?: boolean;
  /** Given by position (`store init [store]`) rather than as --name. */
  readonly positional?: boolean;
  readonly deprecated?: readonly DeprecatedSpelling[];
}

export interface CommandSpec {
  /** The words that name it: `count`, `store list`. */
  readonly name: string;
  /** yargs' command string: `count`, `ingest <counts..>`, `init [store]`. */
  readonly command: string;
  readonly describe: string;
  readonly options: readonly OptionSpec[];
  readonly examples?: readonly (readonly [command: string, meaning: string])[];
}

/** A group of subcommands (`store`, `panel`). */
export interface CommandGroupSpec {
  readonly name: string;
  readonly describe: string;
  readonly subcommands: readonly CommandSpec[];
}

// The values a command's handler receives, typed from its spec (declared `as const`).
type KindValue<O> = O extends { kind: 'boolean' }
  ? boolean
  : O extends { kind: 'integer' | 'number' | 'fraction' | 'flags' }
    ? number
    : O extends { kind: 'list' }
      ? string[]
      : O extends { kind: 'choice'; choices: readonly (infer C)[]; orNumber: true }
        ? C | number
        : O extends { kind: 'choice'; choices: readonly (infer C)[] }
          ? C
          : string;
type Present<O> = O extends { required: true } | { default: unknown } | { kind: 'boolean' | 'list' }
  ? KindValue<O>
  : KindValue<O> | undefined;

/** `{ 'min-mapq': number, sample: string | undefined, … }` for a spec's options. */
export type OptionValues<T extends readonly OptionSpec[]> = { [O in T[number] as O['name']]: Present<O> };

/** Worker threads: one name and bounds wherever a command takes them (demo changes the default). */
export const THREADS_OPTION = {
  name: 'threads',
  kind: 'integer',
  min: 1,
  max: 256,
  default: 1,
  describe: 'Worker threads per file (the output is identical for any value)',
} as const satisfies OptionSpec;

/** The FASTA a CRAM is decoded with (count, pon, track, run); panel's own --reference checks REF alleles with the same file kind. */
export const REFERENCE_OPTION = {
  name: 'reference',
  kind: 'path',
  describe: 'Indexed FASTA (.fai beside it) a CRAM was written with',
} as const satisfies OptionSpec;

/** The counting options every command that counts takes (count, pon, track, run): as samtools' sam_opts.h. */
export const COUNTING_OPTIONS = [
  {
    name: 'min-mapq',
    kind: 'integer',
    min: 0,
    max: 255,
    default: DEFAULT_COUNT_SETTINGS.minMapq,
    describe: 'Reads with a mapping quality below this are skipped',
  },
  {
    name: 'min-baseq',
    kind: 'integer',
    min: 0,
    max: 255,
    default: DEFAULT_COUNT_SETTINGS.minBaseq,
    describe: 'Observations with a base quality below this at the site are skipped',
  },
  {
    name: 'mates',
    kind: 'choice',
    choices: ['fragment', 'reads'],
    default: 'fragment',
    describe: 'fragment: overlapping mates of a pair count once; reads: every read counts',
  },
  {
    name: 'exclude-flags',
    kind: 'flags',
    default: `0x${DEFAULT_EXCLUDE_FLAGS.toString(16).toUpperCase()}`,
    describe: 'Reads with any of these SAM flags are skipped (a number, or samtools names: UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY)',
  },
  {
    name: 'umi',
    kind: 'boolean',
    default: false,
    describe: 'Count UMI families (one consensus per family) instead of fragments; raw_* keep the read counts',
  },
  {
    name: 'umi-source',
    kind: 'choice',
    choices: ['RX', 'MI', 'name'],
    default: 'RX',
    describe: 'With --umi: the UMI is read from the RX tag, the MI tag or the read name',
  },
  {
    name: 'drop-singletons',
    kind: 'boolean',
    default: false,
    describe: 'With --umi: drop UMI families of one read',
    deprecated: [{ name: 'keep-singletons', invert: true }],
  },
  THREADS_OPTION,
  REFERENCE_OPTION,
] as const satisfies readonly OptionSpec[];

/** The per-site calling options of count and track. */
export const CALLING_OPTIONS = [
  { name: 'pon', kind: 'path', describe: 'Panel of normals (oligotrack pon): per-site and per-class background error rates' },
  { name: 'site-alpha', kind: 'fraction', default: DEFAULT_SITE_ALPHA, describe: 'One-sided significance level of each per-site call' },
  { name: 'min-depth', kind: 'integer', min: 0, default: DEFAULT_MIN_DEPTH, describe: 'Below this depth a site is called low_depth' },
] as const satisfies readonly OptionSpec[];

/** The clinical inputs of classify and run. */
export const CLINICAL_OPTIONS = [
  {
    name: 'clinical',
    kind: 'path',
    required: true,
    describe: 'Clinical CSV: patient,subtype,therapy,therapy_class,therapy_start (one row per line of therapy)',
  },
  {
    name: 'imaging',
    kind: 'path',
    required: true,
    describe: 'Imaging CSV: patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns',
  },
  { name: 'policy', kind: 'path', describe: 'Classification policy, YAML or JSON', defaultText: 'reference/policy/default.yaml' },
  {
    name: 'between-draw-prior',
    kind: 'choice',
    choices: ['auto', 'default', 'cohort'],
    orNumber: true,
    min: 0,
    max: 3,
    default: 'auto',
    describe:
      "Between-draw variation of the tumour level: auto (estimated from every timeline classified and the phases recorded in --store; the policy default when they carry too little information), default (the policy's, conservative), cohort (same as auto), or a lab's measured CV such as 0.15",
  },
] as const satisfies readonly OptionSpec[];

export const SAMPLESHEET_OPTION = {
  name: 'samplesheet',
  kind: 'path',
  required: true,
  describe: 'CSV: patient,sample,collection_date,bam[,vcf,timepoint,therapy,normal] (paths relative to it)',
} as const satisfies OptionSpec;

export const STORE_OPTION_DESCRIPTION = 'Cohort store (SQLite, created if absent)';

/**
 * The sites to count, as every counting command (count, pon, track, run) reads them: one
 * description, one kind; a command adds `required` or its default.
 */
export const SITES_OPTION = {
  name: 'sites',
  kind: 'list',
  describe:
    'Sites: VCF(.gz), panel TSV (chrom pos ref alt [gene protein id build]), panel:breast or panel:identity; repeatable, merged without double counting',
} as const satisfies OptionSpec;

/** The store as a source of counts (track, run): one name and meaning. */
export const STORE_OPTION = {
  name: 'store',
  kind: 'path',
  describe: `${STORE_OPTION_DESCRIPTION}: a draw already stored for the same BAM bytes, sites and settings is not recounted; new ones are ingested`,
} as const satisfies OptionSpec;

/**
 * Output naming, the same for every command: `--out` names a file (`-` for stdout), `--out-dir` a
 * directory. Commands whose directory option was once spelled `--out` keep that as a hidden alias.
 */
export function outDirOption<const D extends string>(describe: D) {
  return { name: 'out-dir', kind: 'path', required: true, describe, deprecated: [{ name: 'out' }] } as const satisfies OptionSpec;
}
