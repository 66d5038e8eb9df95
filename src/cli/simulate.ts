import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { parseBuildName, type GenomeBuildName } from '../count/genome-build.js';
import { loadSiteSpec } from '../app/sites.js';
import { writeOutput } from '../io/output.js';
import { simulationRefs } from '../simulate/genome.js';
import { SimulationInputError, simulateToBam } from '../simulate/simulate.js';
import { DEFAULT_SIMULATION, formatTruthTsv, type SimSite, type SimulationSpec, type StrandArtefact } from '../simulate/spec.js';
import { readTruthVafs, truthKey } from '../simulate/truth-vafs.js';
import { UsageError, UserError } from '../util/errors.js';
import { info } from '../util/log.js';
import { defineCommand } from './command.js';
import type { OptionValues } from './spec.js';

/** `--strand-artefact 1e-3` (G>T) or `G>T:1e-3`. */
export function parseStrandArtefact(text: string): StrandArtefact {
  const m = /^(?:([ACGT])>([ACGT]):)?([0-9.eE+-]+)$/i.exec(text.trim());
  const rate = m ? Number(m[3]) : NaN;
  if (!m || !(rate >= 0 && rate <= 0.5) || (m[1] && m[1].toUpperCase() === m[2].toUpperCase())) {
    throw new UsageError(`--strand-artefact ${text}: expected a rate from 0 to 0.5, optionally after a substitution (G>T:0.001)`);
  }
  return { from: (m[1] ?? 'G').toUpperCase(), to: (m[2] ?? 'T').toUpperCase(), rate };
}

/** `NAME=LENGTH` pairs. */
function parseContigLengths(items: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    const m = /^([^=\s]+)=(\d+)$/.exec(item.trim());
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 2 ** 31 - 1)
      throw new UsageError(`--contig-length ${item}: expected NAME=LENGTH (1 to 2147483647)`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

function defaultSample(out: string): string {
  return basename(out).replace(/\.bam$/i, '') || 'sample';
}

function defaultTruth(out: string): string {
  return `${out.replace(/\.bam$/i, '')}.truth.tsv`;
}

type SimulateArgs = OptionValues<typeof SIMULATE_OPTIONS>;

async function runSimulate(args: SimulateArgs): Promise<void> {
  if (args.out === '-') throw new UsageError('--out must be a file: the BAM is indexed beside it');
  const { seed, depth, level } = args;
  const defaultVaf = args.vaf;
  const readLength = args['read-len'];
  const fragMode = args['frag-mode'];
  const tumourFragMode = args['tumour-frag-mode'];
  const familySizeMean = args['family-size-mean'] ?? (args.umi ? 3 : 1);
  if (args['umi-duplex'] && !args.umi) throw new UsageError('--umi-duplex needs --umi');
  let build: GenomeBuildName | undefined;
  if (args.build !== undefined) {
    build = parseBuildName(args.build);
    if (!build) throw new UsageError(`--build: '${args.build}' is not GRCh38 or GRCh37`);
  }
  const explicitLengths = parseContigLengths(args['contig-length']);
  const strandArtefact = args['strand-artefact'] === undefined ? null : parseStrandArtefact(args['strand-artefact']);

  const siteFile = await loadSiteSpec(args.sites, { bamBuild: build ?? 'GRCh38' });
  if (siteFile.sites.length === 0) throw new UserError(`${args.sites}: no sites to simulate`);
  const vafs = args['truth-vafs'] ? readTruthVafs(args['truth-vafs']) : null;
  const used = new Set<string>();
  const sites: SimSite[] = siteFile.sites.map(({ site }) => {
    let vaf = defaultVaf;
    if (vafs) {
      const key = truthKey(site.chrom, site.pos1, site.ref, site.alt);
      const v = vafs.get(key);
      if (v === undefined)
        throw new UserError(`${args['truth-vafs']}: no VAF for site ${site.chrom}:${site.pos1} ${site.ref}>${site.alt} of ${args.sites}`);
      used.add(key);
      vaf = v;
    }
    return { chrom: site.chrom, pos1: site.pos1, ref: site.ref, alt: site.alt, vaf };
  });
  if (vafs && used.size < vafs.size) {
    const extra = [...vafs.keys()].find((k) => !used.has(k));
    throw new UserError(`${args['truth-vafs']}: site ${extra} is not among the sites of ${args.sites}`);
  }
  const genomeBuild = build ?? siteFile.declaredBuild ?? 'GRCh38';
  const { refs, missing } = simulationRefs(
    sites.map((s) => s.chrom),
    genomeBuild,
    explicitLengths,
    siteFile.contigLengths,
  );
  if (missing.length) {
    throw new UserError(
      `${args.sites}: contig ${missing[0]} is not a ${genomeBuild} primary contig; give its length with --contig-length ${missing[0]}=LENGTH`,
    );
  }

  const spec: SimulationSpec = {
    ...DEFAULT_SIMULATION,
    sample: args.sample ?? defaultSample(args.out),
    seed,
    sites,
    refs,
    depth,
    readLength,
    fragMode,
    tumourFragMode,
    fragSd: args['frag-sd'],
    umi: args.umi ? { length: args['umi-length'], duplex: args['umi-duplex'], where: args['umi-in'] } : null,
    familySizeMean,
    seqError: args['seq-error'],
    pcrError: args['pcr-error'],
    strandArtefact,
    markDuplicates: args['mark-duplicates'],
    lowMapqFraction: args['low-mapq-fraction'],
    softClipFraction: args['soft-clip-fraction'],
    qualityModel: args['quality-model'],
  };
  const truthPath = args.truth ?? defaultTruth(args.out);
  const started = Date.now();
  let result: { truth: ReturnType<typeof simulateToBam>['truth']; records: number };
  try {
    result = simulateToBam(spec, args.out, { index: args.index === 'none' ? false : args.index, level });
  } catch (e) {
    // The message names the site; the sites file is what the user can change.
    if (e instanceof SimulationInputError) throw new SimulationInputError(`${args.sites}: ${e.message}`);
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw new UserError(`${args.out}: cannot write (${err.code})`);
    throw e;
  }
  try {
    writeOutput(truthPath, formatTruthTsv(result.truth));
  } catch (e) {
    // The BAM and its truth are one output: without the truth the BAM is a partial result.
    for (const f of [args.out, `${args.out}.bai`, `${args.out}.csi`]) rmSync(f, { force: true });
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${truthPath}: cannot write the truth TSV (${err.code ?? err.message})`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  info(
    `wrote ${result.records} reads at ${sites.length} sites to ${args.out}${args.index === 'none' ? '' : ` (+.${args.index})`} and ${truthPath} in ${seconds} s`,
  );
}

const SIMULATE_OPTIONS = [
  { name: 'sites', kind: 'path', required: true, describe: 'Sites: panel TSV, VCF(.gz) or panel:NAME' },
  { name: 'out', kind: 'path', required: true, describe: 'Output BAM (indexed beside it)' },
  { name: 'seed', kind: 'integer', min: 0, max: 2 ** 32 - 1, required: true, describe: 'Random seed (same seed → byte-identical output)' },
  { name: 'truth', kind: 'path', defaultText: 'OUT without .bam + .truth.tsv', describe: 'Truth TSV' },
  { name: 'sample', kind: 'string', defaultText: 'from --out', describe: 'Sample name (@RG SM, truth column)' },
  { name: 'depth', kind: 'integer', min: 1, max: 10_000_000, default: DEFAULT_SIMULATION.depth, describe: 'Molecules generated per site' },
  { name: 'vaf', kind: 'number', min: 0, max: 1, default: 0.01, describe: 'Fraction of molecules carrying ALT at every site' },
  { name: 'truth-vafs', kind: 'path', describe: 'TSV chrom pos ref alt vaf: per-site VAFs (overrides --vaf)' },
  { name: 'umi', kind: 'boolean', default: false, describe: 'Add UMIs (RX tag) and PCR families' },
  { name: 'umi-length', kind: 'integer', min: 4, max: 32, default: 8, describe: 'UMI length (per half with --umi-duplex)' },
  { name: 'umi-duplex', kind: 'boolean', default: false, describe: "Duplex UMIs 'AAAA-CCCC', halves swapped on the other strand" },
  {
    name: 'umi-in',
    kind: 'choice',
    choices: ['tag', 'name', 'both'],
    default: 'tag',
    describe: "Where reads carry the UMI: RX tag, read name ('NAME:UMI'), or both",
  },
  {
    name: 'family-size-mean',
    kind: 'number',
    min: 1,
    max: 1000,
    defaultText: '3 with --umi, else 1',
    describe: 'Mean read pairs per molecule, 1 + Poisson(mean-1)',
  },
  {
    name: 'seq-error',
    kind: 'number',
    min: 0,
    max: 0.5,
    default: DEFAULT_SIMULATION.seqError,
    describe: 'Per-base substitution rate, independent per read',
  },
  {
    name: 'pcr-error',
    kind: 'number',
    min: 0,
    max: 0.5,
    default: DEFAULT_SIMULATION.pcrError,
    describe: 'Per-base PCR error rate per molecule, shared by part of its family',
  },
  { name: 'strand-artefact', kind: 'string', describe: 'RATE or X>Y:RATE (default G>T): substitution on read 1 of forward pairs only' },
  { name: 'mark-duplicates', kind: 'boolean', default: false, describe: 'Flag all but one read pair per family as duplicates (0x400)' },
  {
    name: 'frag-mode',
    kind: 'integer',
    min: 60,
    max: 700,
    default: DEFAULT_SIMULATION.fragMode,
    describe: 'Mode of normal fragment lengths (bp)',
  },
  {
    name: 'tumour-frag-mode',
    kind: 'integer',
    min: 60,
    max: 700,
    default: DEFAULT_SIMULATION.tumourFragMode,
    describe: 'Mode of ALT-carrying fragment lengths (bp)',
  },
  {
    name: 'frag-sd',
    kind: 'number',
    min: 1,
    max: 200,
    default: DEFAULT_SIMULATION.fragSd,
    describe: 'Standard deviation of each fragment-length peak',
  },
  {
    name: 'read-len',
    kind: 'integer',
    min: 30,
    max: 1000,
    default: DEFAULT_SIMULATION.readLength,
    describe: 'Read length (pairs overlap when fragments are shorter than 2×)',
  },
  {
    name: 'build',
    kind: 'string',
    defaultText: "the sites file's build, else GRCh38",
    describe: 'GRCh38 or GRCh37: header contigs and lengths',
  },
  { name: 'contig-length', kind: 'list', describe: 'NAME=LENGTH for contigs outside the build (repeatable)' },
  { name: 'low-mapq-fraction', kind: 'number', min: 0, max: 0.5, default: 0, describe: 'Fraction of fragments with MAPQ 0-19' },
  {
    name: 'soft-clip-fraction',
    kind: 'number',
    min: 0,
    max: 0.5,
    default: 0,
    describe: "Fraction of reads with 5-29 adapter bases soft-clipped at the 3' end",
  },
  {
    name: 'quality-model',
    kind: 'choice',
    choices: ['constant', 'binned', 'full'],
    default: 'constant',
    describe: 'Base qualities: all Q37, NovaSeq-like bins, or HiSeq-like full range',
  },
  { name: 'index', kind: 'choice', choices: ['bai', 'csi', 'none'], default: 'bai', describe: 'Index written beside the BAM' },
  { name: 'level', kind: 'integer', min: 0, max: 9, default: 6, describe: 'BGZF compression level 0-9' },
] as const;

export const simulateCommand = defineCommand(
  {
    name: 'simulate',
    command: 'simulate',
    describe: 'Write a simulated cfDNA BAM (+ index) and a truth TSV for given sites and VAFs',
    options: SIMULATE_OPTIONS,
  },
  ({ values }) => runSimulate(values),
);
