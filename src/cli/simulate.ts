import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { parseBuildName, type GenomeBuildName } from '../count/genome-build.js';
import { loadSiteSpec } from '../count/sites-load.js';
import { writeOutput } from '../io/output.js';
import { simulationRefs } from '../simulate/genome.js';
import { SimulationInputError, simulateToBam } from '../simulate/simulate.js';
import { DEFAULT_SIMULATION, formatTruthTsv, type SimSite, type SimulationSpec, type StrandArtefact } from '../simulate/spec.js';
import { readTruthVafs, truthKey } from '../simulate/truth-vafs.js';
import { UsageError, UserError } from '../util/errors.js';
import { info } from '../util/log.js';
import { handler } from './command.js';

interface SimulateArgs {
  sites: string;
  out: string;
  seed: number;
  truth?: string;
  sample?: string;
  depth: number;
  vaf: number;
  'truth-vafs'?: string;
  umi: boolean;
  'umi-length': number;
  'umi-duplex': boolean;
  'umi-in': 'tag' | 'name' | 'both';
  'family-size-mean'?: number;
  'seq-error': number;
  'pcr-error': number;
  'strand-artefact'?: string;
  'mark-duplicates': boolean;
  'frag-mode': number;
  'tumour-frag-mode': number;
  'frag-sd': number;
  'read-len': number;
  build?: string;
  'contig-length': string[];
  'low-mapq-fraction': number;
  'soft-clip-fraction': number;
  'quality-model': 'constant' | 'binned' | 'full';
  index: 'bai' | 'csi' | 'none';
  level: number;
}

function finite(name: string, v: number, min: number, max: number, integer = false): number {
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${String(v)}`);
  }
  return v;
}

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
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 2 ** 31 - 1) throw new UsageError(`--contig-length ${item}: expected NAME=LENGTH (1 to 2147483647)`);
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

async function runSimulate(args: SimulateArgs): Promise<void> {
  if (args.out === '-') throw new UsageError('--out must be a file: the BAM is indexed beside it');
  const seed = finite('seed', args.seed, 0, 2 ** 32 - 1, true);
  const depth = finite('depth', args.depth, 1, 10_000_000, true);
  const defaultVaf = finite('vaf', args.vaf, 0, 1);
  const readLength = finite('read-len', args['read-len'], 30, 1000, true);
  const fragMode = finite('frag-mode', args['frag-mode'], 60, 700, true);
  const tumourFragMode = finite('tumour-frag-mode', args['tumour-frag-mode'], 60, 700, true);
  const familySizeMean = finite('family-size-mean', args['family-size-mean'] ?? (args.umi ? 3 : 1), 1, 1000);
  const level = finite('level', args.level, 0, 9, true);
  if (args['umi-duplex'] && !args.umi) throw new UsageError('--umi-duplex needs --umi');
  let build: GenomeBuildName | undefined;
  if (args.build !== undefined) {
    build = parseBuildName(args.build);
    if (!build) throw new UsageError(`--build ${args.build}: expected GRCh38 or GRCh37`);
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
      if (v === undefined) throw new UserError(`${args['truth-vafs']}: no VAF for site ${site.chrom}:${site.pos1} ${site.ref}>${site.alt} of ${args.sites}`);
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
  const { refs, missing } = simulationRefs(sites.map((s) => s.chrom), genomeBuild, explicitLengths, siteFile.contigLengths);
  if (missing.length) {
    throw new UserError(`${args.sites}: contig ${missing[0]} is not a ${genomeBuild} primary contig; give its length with --contig-length ${missing[0]}=LENGTH`);
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
    fragSd: finite('frag-sd', args['frag-sd'], 1, 200),
    umi: args.umi ? { length: finite('umi-length', args['umi-length'], 4, 32, true), duplex: args['umi-duplex'], where: args['umi-in'] } : null,
    familySizeMean,
    seqError: finite('seq-error', args['seq-error'], 0, 0.5),
    pcrError: finite('pcr-error', args['pcr-error'], 0, 0.5),
    strandArtefact,
    markDuplicates: args['mark-duplicates'],
    lowMapqFraction: finite('low-mapq-fraction', args['low-mapq-fraction'], 0, 0.5),
    softClipFraction: finite('soft-clip-fraction', args['soft-clip-fraction'], 0, 0.5),
    qualityModel: args['quality-model'],
  };
  const truthPath = args.truth ?? defaultTruth(args.out);
  const started = Date.now();
  let result: { truth: ReturnType<typeof simulateToBam>['truth']; records: number };
  try {
    result = simulateToBam(spec, args.out, { index: args.index === 'none' ? false : args.index, level });
  } catch (e) {
    if (e instanceof SimulationInputError) throw new UserError(`${args.sites}: ${e.message}`);
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
  info(`wrote ${result.records} reads at ${sites.length} sites to ${args.out}${args.index === 'none' ? '' : ` (+.${args.index})`} and ${truthPath} in ${seconds} s`);
}

export const simulateCommand: CommandModule<object, SimulateArgs> = {
  command: 'simulate',
  describe: 'Write a simulated cfDNA BAM (+ index) and a truth TSV for given sites and VAFs',
  builder: (y: Argv) =>
    y
      .option('sites', { type: 'string', demandOption: true, describe: 'sites: panel TSV, VCF(.gz) or panel:NAME' })
      .option('out', { type: 'string', demandOption: true, describe: 'output BAM (indexed beside it)' })
      .option('seed', { type: 'number', demandOption: true, describe: 'random seed (same seed → byte-identical output)' })
      .option('truth', { type: 'string', describe: 'truth TSV (default: OUT without .bam + .truth.tsv)' })
      .option('sample', { type: 'string', describe: 'sample name (@RG SM, truth column; default from --out)' })
      .option('depth', { type: 'number', default: DEFAULT_SIMULATION.depth, describe: 'molecules generated per site' })
      .option('vaf', { type: 'number', default: 0.01, describe: 'fraction of molecules carrying ALT at every site' })
      .option('truth-vafs', { type: 'string', describe: 'TSV chrom pos ref alt vaf: per-site VAFs (overrides --vaf)' })
      .option('umi', { type: 'boolean', default: false, describe: 'add UMIs (RX tag) and PCR families' })
      .option('umi-length', { type: 'number', default: 8, describe: 'UMI length (per half with --umi-duplex)' })
      .option('umi-duplex', { type: 'boolean', default: false, describe: "duplex UMIs 'AAAA-CCCC', halves swapped on the other strand" })
      .option('umi-in', { choices: ['tag', 'name', 'both'] as const, default: 'tag' as const, describe: "where reads carry the UMI: RX tag, read name ('NAME:UMI'), or both" })
      .option('family-size-mean', { type: 'number', describe: 'mean read pairs per molecule, 1 + Poisson(mean-1) (default 3 with --umi, else 1)' })
      .option('seq-error', { type: 'number', default: DEFAULT_SIMULATION.seqError, describe: 'per-base substitution rate, independent per read' })
      .option('pcr-error', { type: 'number', default: DEFAULT_SIMULATION.pcrError, describe: 'per-base PCR error rate per molecule, shared by part of its family' })
      .option('strand-artefact', { type: 'string', describe: 'RATE or X>Y:RATE (default G>T): substitution on read 1 of forward pairs only' })
      .option('mark-duplicates', { type: 'boolean', default: false, describe: 'flag all but one read pair per family as duplicates (0x400)' })
      .option('frag-mode', { type: 'number', default: DEFAULT_SIMULATION.fragMode, describe: 'mode of normal fragment lengths (bp)' })
      .option('tumour-frag-mode', { type: 'number', default: DEFAULT_SIMULATION.tumourFragMode, describe: 'mode of ALT-carrying fragment lengths (bp)' })
      .option('frag-sd', { type: 'number', default: DEFAULT_SIMULATION.fragSd, describe: 'standard deviation of each fragment-length peak' })
      .option('read-len', { type: 'number', default: DEFAULT_SIMULATION.readLength, describe: 'read length (pairs overlap when fragments are shorter than 2×)' })
      .option('build', { type: 'string', describe: 'GRCh38 or GRCh37: header contigs and lengths (default: the sites file\'s build, else GRCh38)' })
      .option('contig-length', { type: 'string', array: true, default: [] as string[], describe: 'NAME=LENGTH for contigs outside the build (repeatable)' })
      .option('low-mapq-fraction', { type: 'number', default: 0, describe: 'fraction of fragments with MAPQ 0-19' })
      .option('soft-clip-fraction', { type: 'number', default: 0, describe: "fraction of reads with 5-29 adapter bases soft-clipped at the 3' end" })
      .option('quality-model', { choices: ['constant', 'binned', 'full'] as const, default: 'constant' as const, describe: 'base qualities: all Q37, NovaSeq-like bins, or HiSeq-like full range' })
      .option('index', { choices: ['bai', 'csi', 'none'] as const, default: 'bai' as const, describe: 'index written beside the BAM' })
      .option('level', { type: 'number', default: 6, describe: 'BGZF compression level 0-9' }) as unknown as Argv<SimulateArgs>,
  handler: handler('simulate', runSimulate),
};
