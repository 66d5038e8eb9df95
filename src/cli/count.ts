import { countSampleTable } from '../app/count-table.js';
import { formatCountJson } from '../count/output/json.js';
import { settingsRecord } from '../count/output/row.js';
import { formatCountTsv } from '../count/output/tsv.js';
import { formatCountVcf } from '../count/output/vcf.js';
import { writeOutput } from '../io/output.js';
import { UsageError } from '../util/errors.js';
import { info } from '../util/log.js';
import { checkPathId } from '../util/safe-path.js';
import { defineCommand } from './command.js';
import { countSettingsFrom } from './options.js';
import { commandLine } from './command-line.js';
import { countProgress } from './progress.js';
import { CALLING_OPTIONS, COUNTING_OPTIONS, SITES_OPTION } from './spec.js';

export const countCommand = defineCommand(
  {
    name: 'count',
    command: 'count',
    describe: 'Count ref/alt fragments at known sites in a BAM or CRAM (TSV, VCF or JSON)',
    options: [
      {
        name: 'bam',
        kind: 'path',
        required: true,
        describe: 'Coordinate-sorted BAM or CRAM, - for a BAM on stdin (.bai/.csi/.crai beside it is used when present)',
      },
      { ...SITES_OPTION, required: true },
      {
        name: 'format',
        kind: 'choice',
        choices: ['tsv', 'vcf', 'json'],
        defaultText: 'from the --out extension, else tsv',
        describe: 'Output format',
      },
      { name: 'out', kind: 'path', default: '-', describe: 'Output file, - for stdout (written atomically)' },
      { name: 'sample', kind: 'string', defaultText: '@RG SM, else the file name', describe: 'Sample name' },
      {
        name: 'region',
        kind: 'string',
        defaultText: 'all sites',
        describe: 'Only sites in this htslib region (chr6:152,098,000-152,099,000; {name:with:colons}:1-2)',
      },
      ...COUNTING_OPTIONS,
      ...CALLING_OPTIONS.map((o) =>
        o.name === 'site-alpha' ? { ...o, describe: `${o.describe}; turns calls on`, deprecated: [{ name: 'alpha' }] } : o,
      ),
      {
        name: 'targets',
        kind: 'path',
        describe: 'Targets BED: in-sample background from its non-variant positions (without --pon); turns calls on',
      },
      { name: 'summary', kind: 'path', describe: 'Write the per-sample test over the tumour-informed sites (JSON) here; turns calls on' },
      {
        name: 'sample-alpha',
        kind: 'fraction',
        default: 0.01,
        describe: 'Significance level of the per-sample test (0.01: the level the accuracy run validates)',
      },
    ],
    examples: [
      ['$0 count --bam plasma.bam --sites panel:breast > counts.tsv', 'counts at the bundled breast panel'],
      [
        '$0 count --bam plasma.bam --sites tumour.vcf --pon pon.tsv --summary s.json --out counts.vcf',
        'with calls and the per-sample test',
      ],
    ],
  },
  async ({ values: o, given }) => {
    const format = o.format ?? formatFromName(o.out);
    if (/\.(gz|bgz|bcf)$/i.test(o.out))
      throw new UsageError(`--out: '${o.out}': compressed output is not written; write plain text and pipe to bgzip`);
    if (o.sample !== undefined) checkPathId(o.sample, '--sample', 'usage');
    if (o.summary === '-') throw new UsageError("--summary: '-': must name a file (stdout carries the count output)");
    // Any calling option turns the calling step on.
    const calls = o.pon !== undefined || o.targets !== undefined || given.has('site-alpha') || o.summary !== undefined;
    const settings = countSettingsFrom(o);
    const table = await countSampleTable({
      path: o.bam,
      sites: o.sites,
      settings,
      sample: o.sample,
      region: o.region,
      threads: o.threads,
      referencePath: o.reference,
      commandLine: commandLine(),
      onProgress: countProgress('oligotrack count'),
      ...(calls
        ? {
            calls: {
              ponPath: o.pon,
              targetsPath: o.targets,
              siteAlpha: o['site-alpha'],
              minDepth: o['min-depth'],
              ...(o.summary !== undefined ? { summaryAlpha: o['sample-alpha'] } : {}),
            },
          }
        : {}),
    });
    if (format === 'tsv') {
      const s = settingsRecord(settings);
      info(
        `${table.runInfo.sample}: ${table.rows.length} sites; settings ${Object.entries(s)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
    }
    const text =
      format === 'vcf'
        ? formatCountVcf(table.runInfo, table.rows)
        : format === 'json'
          ? formatCountJson(table.runInfo, table.rows)
          : formatCountTsv(table.rows);
    writeOutput(o.out, text);
    if (table.summary && o.summary !== undefined) writeOutput(o.summary, `${JSON.stringify(table.summary, null, 2)}\n`);
  },
);

/** The format an output file's extension names (.vcf, .json), else TSV. */
function formatFromName(out: string): 'tsv' | 'vcf' | 'json' {
  if (/\.vcf$/i.test(out)) return 'vcf';
  if (/\.json$/i.test(out)) return 'json';
  return 'tsv';
}
