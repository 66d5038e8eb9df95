import { IndexedFastaFile } from '../io/fasta.js';
import { writeOutput, writeStdout } from '../io/output.js';
import { actionableFor } from '../reference/actionability.js';
import { panelToBed, panelToTsv, panelToVcf } from '../reference/export.js';
import { checkRefAlleles, type FetchRef } from '../reference/fasta-check.js';
import { checkGenes, loadPanel, panelGenes, siteId } from '../reference/panel.js';
import { BUILDS, type Build } from '../reference/panel-schema.js';
import { UsageError, UserError } from '../util/errors.js';
import { VERSION } from '../version.js';
import { defineCommand, defineGroup } from './command.js';
import { REFERENCE_OPTION } from './spec.js';

interface CommonArgs {
  'include-unverified': boolean;
  panel?: string;
}
interface ShowArgs extends CommonArgs {
  gene: string;
}
interface ExportArgs extends CommonArgs {
  build?: Build;
  format: 'tsv' | 'vcf' | 'bed';
  out: string;
  genes?: string;
  reference?: string;
}

function parseGenes(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const genes = list
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  if (genes.length === 0) throw new UsageError('--genes is empty');
  return genes;
}

/** Reference bases through an indexed FASTA (`.fai` beside it, as samtools faidx writes; plain or bgzipped). */
function fastaFetcher(fasta: IndexedFastaFile): FetchRef {
  // A contig the FASTA lacks is undefined (the check then tries the other naming); a span past its
  // end comes back short, which the check reports.
  return (chrom, start0, end0) => Promise.resolve(fasta.length(chrom) === undefined ? undefined : fasta.fetch(chrom, start0, end0));
}

/** Checks every row's REF against the FASTA (one clear error at the first mismatch). */
async function checkAgainstFasta(rows: Parameters<typeof checkRefAlleles>[0], path: string): Promise<void> {
  const fasta = new IndexedFastaFile(path);
  try {
    await checkRefAlleles(rows, fastaFetcher(fasta), path);
  } finally {
    fasta.close();
  }
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
  const build = args.build;
  if (build === undefined && !args.panel) throw new UsageError('--build GRCh38|GRCh37 is required');
  const rows = loadPanel({ build, genes: parseGenes(args.genes), includeUnverified: args['include-unverified'], panelFile: args.panel });
  if (rows.length === 0) throw new UserError(`no panel rows for build ${build ?? '(any)'} with these options`);
  const builds = new Set(rows.map((r) => r.build));
  if (builds.size > 1) throw new UsageError('the panel holds both builds: choose one with --build');
  if (args.reference) await checkAgainstFasta(rows, args.reference);
  const outBuild = build ?? rows[0].build;
  const data =
    args.format === 'vcf'
      ? panelToVcf(rows, outBuild, `oligotrack ${VERSION} panel export`)
      : args.format === 'bed'
        ? panelToBed(rows)
        : panelToTsv(rows);
  writeOutput(args.out, data);
}

const COMMON = [
  {
    name: 'include-unverified',
    kind: 'boolean',
    default: false,
    describe: 'Include rows whose coordinates were not confirmed by two sources',
  },
  { name: 'panel', kind: 'path', defaultText: 'the bundled breast panel', describe: 'Use this panel TSV instead' },
] as const;

const list = defineCommand(
  { name: 'panel list', command: 'list', describe: 'Genes in the panel with site counts per build', options: COMMON },
  ({ values }) => listPanel(values),
);

const show = defineCommand(
  {
    name: 'panel show',
    command: 'show <gene>',
    describe: 'Every site of one gene, both builds, with drugs and verification',
    options: [{ name: 'gene', kind: 'string', required: true, positional: true, describe: 'Gene symbol, e.g. ESR1' }, ...COMMON],
  },
  ({ values }) => showGene(values),
);

const EXPORT_OPTIONS = [
  ...COMMON,
  { name: 'build', kind: 'choice', choices: BUILDS, describe: 'Genome build (required with the bundled panel)' },
  { name: 'format', kind: 'choice', choices: ['tsv', 'vcf', 'bed'], default: 'tsv', describe: 'Output format' },
  { name: 'out', kind: 'path', default: '-', describe: 'Output file, - for stdout' },
  { name: 'genes', kind: 'string', defaultText: 'all', describe: 'Comma-separated gene list, e.g. ESR1,PIK3CA' },
  { ...REFERENCE_OPTION, describe: 'Indexed FASTA (.fai): check every REF against it' },
] as const;

const exportRows = defineCommand(
  {
    name: 'panel export',
    command: 'export',
    describe: 'Write the panel as TSV, VCF or BED (0-based half-open) for one build',
    options: EXPORT_OPTIONS,
  },
  ({ values }) => exportPanel(values),
);

export const panelCommand = defineGroup('panel', 'The bundled breast ctDNA hotspot panel: list, show GENE, export', [
  list,
  show,
  exportRows,
]);
