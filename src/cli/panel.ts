import type { Argv, CommandModule } from 'yargs';
import { IndexedFasta } from '@gmod/indexedfasta';
import { existsSync } from 'node:fs';
import { writeOutput, writeStdout } from '../io/output.js';
import { actionableFor } from '../reference/actionability.js';
import { panelToBed, panelToTsv, panelToVcf } from '../reference/export.js';
import { checkRefAlleles, type FetchRef } from '../reference/fasta-check.js';
import { checkGenes, loadPanel, panelGenes, siteId } from '../reference/panel.js';
import { BUILDS, type Build } from '../reference/panel-schema.js';
import { UsageError, UserError } from '../util/errors.js';
import { VERSION } from '../version.js';
import { handler } from './command.js';

interface CommonArgs {
  'include-unverified'?: boolean;
  panel?: string;
}
interface ShowArgs extends CommonArgs {
  gene: string;
}
interface ExportArgs extends CommonArgs {
  build?: string;
  format: string;
  out: string;
  genes?: string;
  reference?: string;
}

function parseGenes(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const genes = list.split(',').map((g) => g.trim()).filter((g) => g !== '');
  if (genes.length === 0) throw new UsageError('--genes is empty');
  return genes;
}

/** Reference check through an indexed FASTA (`.fai` beside it, as samtools faidx writes). */
function fastaFetcher(path: string): FetchRef {
  if (!existsSync(path)) throw new UserError(`${path}: reference FASTA not found`);
  if (!existsSync(`${path}.fai`)) throw new UserError(`${path}: no index ${path}.fai (run samtools faidx ${path})`);
  const fasta = new IndexedFasta({ path, faiPath: `${path}.fai` });
  return async (chrom, start0, end0) => {
    const size = await fasta.getSequenceSize(chrom);
    if (size === undefined) return undefined;
    return (await fasta.getSequence(chrom, start0, end0)) ?? '';
  };
}

function listPanel(args: CommonArgs): void {
  const rows = loadPanel({ includeUnverified: args['include-unverified'], panelFile: args.panel });
  const lines = ['gene\tsites_grch38\tsites_grch37\troles'];
  for (const gene of panelGenes(rows)) {
    const own = rows.filter((r) => r.gene === gene);
    const roles = [...new Set(own.map((r) => r.role))].join(',');
    lines.push([gene, own.filter((r) => r.build === 'GRCh38').length, own.filter((r) => r.build === 'GRCh37').length, roles].join('\t'));
  }
  writeStdout(`${lines.join('\n')}\n`);
}

function showGene(args: ShowArgs): void {
  const all = loadPanel({ includeUnverified: true, panelFile: args.panel });
  checkGenes([args.gene], all);
  // GRCh38 rows first, then GRCh37, each by position: one build reads as one block.
  const rows = all
    .filter((r) => r.gene === args.gene && (args['include-unverified'] || r.status === 'verified'))
    .sort((a, b) => (a.build === b.build ? 0 : a.build === 'GRCh38' ? -1 : 1));
  const lines = ['id\tprotein\tcdna\tbuild\tchrom\tpos\tref\talt\trole\tstatus\tdrugs\tverification'];
  for (const r of rows) {
    const drugs = [...new Set(actionableFor(r.gene, r.protein).map((a) => a.drugs))].join('; ') || '-';
    lines.push([siteId(r), r.protein, r.cdna, r.build, r.chrom, r.pos, r.ref, r.alt, r.role, r.status, drugs, r.verification].join('\t'));
  }
  writeStdout(`${lines.join('\n')}\n`);
}

async function exportPanel(args: ExportArgs): Promise<void> {
  if (args.build !== undefined && !BUILDS.includes(args.build as Build)) {
    throw new UsageError(`unknown build ${args.build}; use GRCh38 or GRCh37`);
  }
  const build = args.build as Build | undefined;
  if (build === undefined && !args.panel) throw new UsageError('--build GRCh38|GRCh37 is required');
  const rows = loadPanel({ build, genes: parseGenes(args.genes), includeUnverified: args['include-unverified'], panelFile: args.panel });
  if (rows.length === 0) throw new UserError(`no panel rows for build ${build ?? '(any)'} with these options`);
  const builds = new Set(rows.map((r) => r.build));
  if (builds.size > 1) throw new UsageError('the panel holds both builds: choose one with --build');
  if (args.reference) await checkRefAlleles(rows, fastaFetcher(args.reference), args.reference);
  const outBuild = build ?? rows[0].build;
  let data: string;
  switch (args.format) {
    case 'tsv':
      data = panelToTsv(rows);
      break;
    case 'vcf':
      data = panelToVcf(rows, outBuild, `oligotrack ${VERSION} panel export`);
      break;
    case 'bed':
      data = panelToBed(rows);
      break;
    default:
      throw new UsageError(`unknown format ${args.format}; use tsv, vcf or bed`);
  }
  writeOutput(args.out, data);
}

function common<T>(y: Argv<T>) {
  return y
    .option('include-unverified', { type: 'boolean', default: false, describe: 'include rows whose coordinates were not confirmed by two sources' })
    .option('panel', { type: 'string', describe: 'use this panel TSV instead of the bundled breast panel' });
}

export const panelCommand: CommandModule = {
  command: 'panel',
  describe: 'The bundled breast ctDNA hotspot panel: list, show GENE, export',
  builder: (yargs) =>
    yargs
      .command({
        command: 'list',
        describe: 'genes in the panel with site counts per build',
        builder: (y) => common(y),
        handler: handler('panel', (a) => listPanel(a as unknown as CommonArgs)),
      })
      .command({
        command: 'show <gene>',
        describe: 'every site of one gene, both builds, with drugs and verification',
        builder: (y) => common(y).positional('gene', { type: 'string', demandOption: true }),
        handler: handler('panel', (a) => showGene(a as unknown as ShowArgs)),
      })
      .command({
        command: 'export',
        describe: 'write the panel as TSV, VCF or BED (0-based half-open) for one build',
        builder: (y) =>
          common(y)
            .option('build', { type: 'string', describe: 'GRCh38 or GRCh37' })
            .option('format', { type: 'string', default: 'tsv', describe: 'tsv | vcf | bed' })
            .option('out', { type: 'string', default: '-', describe: 'output file, - for stdout' })
            .option('genes', { type: 'string', describe: 'comma-separated gene list, e.g. ESR1,PIK3CA' })
            .option('reference', { type: 'string', describe: 'indexed FASTA (.fai): check every REF against it' }),
        handler: handler('panel', (a) => exportPanel(a as unknown as ExportArgs)),
      })
      .demandCommand(1, 'choose an action: list, show GENE or export')
      .strict(),
  handler: () => {},
};
