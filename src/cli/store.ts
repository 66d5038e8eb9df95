import type { Argv, CommandModule } from 'yargs';
import { writeOutput } from '../io/output.js';
import { formatCountTsv } from '../report/count-tsv.js';
import { ingestCountDocument, readText } from '../store/ingest-file.js';
import { parseCountDocument, parseSummaryDocument } from '../store/count-document.js';
import { exportCountFiles } from '../store/export-files.js';
import { openStore } from '../store/store.js';
import { UsageError, UserError } from '../util/errors.js';
import { info } from '../util/log.js';
import { handler } from './command.js';

const DEFAULT_STORE = 'cohort.sqlite';

interface StoreArgs {
  store: string;
}

const storeOption = (y: Argv) =>
  y.option('store', { type: 'string', default: DEFAULT_STORE, describe: 'cohort store file (SQLite)' });

const initCommand: CommandModule<object, StoreArgs> = {
  command: 'init [store]',
  describe: 'create an empty cohort store (or upgrade an older one); harmless on an existing store',
  builder: (y) => y.positional('store', { type: 'string', default: DEFAULT_STORE, describe: 'store file' }) as Argv<StoreArgs>,
  handler: handler('store init', (args: StoreArgs) => {
    const store = openStore(args.store, { create: true });
    store.close();
    info(`${args.store}: ready`);
  }),
};

interface IngestArgs extends StoreArgs {
  counts: string[];
  summary?: string | string[];
}

const ingestCommand: CommandModule<object, IngestArgs> = {
  command: 'ingest <counts..>',
  describe: 'add count JSONs (oligotrack count --format json) to the store; one transaction each, idempotent',
  builder: (y) =>
    storeOption(y)
      .positional('counts', { type: 'string', array: true, demandOption: true, describe: 'count JSON files' })
      .option('summary', { type: 'string', describe: 'a per-sample summary JSON, matched to its count by "sample" (repeat for more)' }) as unknown as Argv<IngestArgs>,
  handler: handler('store ingest', async (args: IngestArgs) => {
    const summaries = new Map<string, string>();
    // Repeated, not greedy: an array option would swallow the count files that follow it.
    const summaryFiles = args.summary === undefined ? [] : ([] as string[]).concat(args.summary);
    for (const file of summaryFiles) {
      const s = parseSummaryDocument(readText(file), file);
      if (summaries.has(s.sample)) throw new UsageError(`two --summary files for sample "${s.sample}"`);
      summaries.set(s.sample, s.text);
    }
    // Every document is validated before the store is touched: a bad file anywhere in the list
    // stops the command with nothing written.
    const counts = args.counts.map((file) => ({ file, doc: parseCountDocument(readText(file), file) }));
    const orphan = [...summaries.keys()].filter((sample) => !counts.some((c) => c.doc.sample === sample));
    if (orphan.length) throw new UsageError(`--summary for sample(s) with no count JSON given: ${orphan.join(', ')}`);
    const store = openStore(args.store, { create: true });
    const lines = ['sample\tversion\tstatus'];
    try {
      for (const { file, doc } of counts) {
        const outcome = await ingestCountDocument(store, doc, file, summaries.get(doc.sample));
        lines.push(`${outcome.sample}\t${outcome.version}\t${outcome.status}`);
      }
    } finally {
      store.close();
      // What was ingested is reported even when a later draw fails (its BAM unreadable): those commits stand.
      writeOutput('-', `${lines.join('\n')}\n`);
    }
  }),
};

interface ListArgs extends StoreArgs {
  history: boolean;
  classifications: boolean;
  format: 'tsv' | 'json';
}

const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'list samples (newest version of each), or every version with --history',
  builder: (y) =>
    storeOption(y)
      .option('history', { type: 'boolean', default: false, describe: 'every version, with when it was ingested' })
      .option('classifications', { type: 'boolean', default: false, describe: 'the newest recorded group per patient and assessment (from classify --store)' })
      .option('format', { choices: ['tsv', 'json'] as const, default: 'tsv' as const }) as unknown as Argv<ListArgs>,
  handler: handler('store list', (args: ListArgs) => {
    if (args.history && args.classifications) throw new UsageError('--history and --classifications list different things: give one');
    const store = openStore(args.store, { readonly: true });
    try {
      if (args.classifications) {
        const rows = store.listClassifications();
        if (args.format === 'json') return writeOutput('-', `${JSON.stringify(rows, null, 2)}\n`);
        const head = 'patient\tassessment_date\tgroup\tversion\tpolicy\ttool_version';
        const body = rows.map((r) => [r.patient, r.assessmentDate, r.group, r.version, r.policyName, r.toolVersion].join('\t'));
        return writeOutput('-', `${[head, ...body].join('\n')}\n`);
      }
      if (args.history) {
        const rows = store.listVersions();
        if (args.format === 'json') return writeOutput('-', `${JSON.stringify(rows, null, 2)}\n`);
        const head = 'sample\tversion\tbuild\tn_sites\thas_summary\ttool_version\tbam_sha256\tsettings_sha256\tingested_at\tbam_path';
        const body = rows.map((r) =>
          [r.sample, r.version, r.build, r.nSites, r.hasSummary ? 'yes' : 'no', r.toolVersion, r.bamSha256, r.settingsSha256, r.ingestedAt, r.bamPath].join('\t'),
        );
        return writeOutput('-', `${[head, ...body].join('\n')}\n`);
      }
      const rows = store.listSamples();
      if (args.format === 'json') return writeOutput('-', `${JSON.stringify(rows, null, 2)}\n`);
      const head = 'sample\tcurrent_version\tversions\tbuild\tn_sites\thas_summary\tbam_sha256';
      const body = rows.map((r) => [r.sample, r.currentVersion, r.versions, r.build, r.nSites, r.hasSummary ? 'yes' : 'no', r.bamSha256].join('\t'));
      writeOutput('-', `${[head, ...body].join('\n')}\n`);
    } finally {
      store.close();
    }
  }),
};

interface ExportArgs extends StoreArgs {
  format: 'tsv' | 'json';
  sample?: string[];
  'count-version'?: number;
  out?: string;
  'out-dir'?: string;
}

const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'write counts for track: one TSV (--format tsv), or one count JSON per sample (--format json --out-dir)',
  builder: (y) =>
    storeOption(y)
      .option('format', { choices: ['tsv', 'json'] as const, default: 'tsv' as const })
      .option('sample', { type: 'string', array: true, describe: 'only these samples (default: all)' })
      .option('count-version', { type: 'number', describe: 'this stored version instead of the newest (one --sample only)' })
      .option('out', { type: 'string', describe: 'TSV output file, - for stdout (default -)' })
      .option('out-dir', { type: 'string', describe: 'directory for <sample>.count.json (and <sample>.summary.json)' }) as unknown as Argv<ExportArgs>,
  handler: handler('store export', (args: ExportArgs) => {
    if (args.format === 'tsv' && args['out-dir']) throw new UsageError('--out-dir is for --format json; use --out with tsv');
    if (args.format === 'json' && !args['out-dir']) throw new UsageError('--format json writes one file per sample: give --out-dir');
    if (args.format === 'json' && args.out) throw new UsageError('--out is for --format tsv; use --out-dir with json');
    const store = openStore(args.store, { readonly: true });
    let counts;
    try {
      counts = store.exportCounts({ samples: args.sample, version: args['count-version'] });
    } finally {
      store.close();
    }
    // The same table `count --format tsv` writes, samples one after another (sorted by name).
    if (args.format === 'tsv') return writeOutput(args.out ?? '-', formatCountTsv(counts.flatMap((c) => c.rows)));
    // Everything was read before the first write; each file is written atomically.
    exportCountFiles(args['out-dir']!, counts);
    info(`${counts.length} sample(s) written to ${args['out-dir']}`);
  }),
};

const checkCommand: CommandModule<object, StoreArgs> = {
  command: 'check',
  describe: 'PRAGMA integrity_check and a check that every version has all its site rows',
  builder: (y) => storeOption(y) as Argv<StoreArgs>,
  handler: handler('store check', (args: StoreArgs) => {
    const store = openStore(args.store, { readonly: true });
    let problems: string[];
    try {
      problems = store.check();
    } finally {
      store.close();
    }
    if (problems.length) throw new UserError(`${args.store}: ${problems.length} problem(s): ${problems.slice(0, 5).join('; ')}`);
    writeOutput('-', 'ok\n');
  }),
};

export const storeCommand: CommandModule = {
  command: 'store',
  describe: 'Cohort store (SQLite): init | ingest | list | export | check',
  builder: (y) =>
    y
      .command(initCommand as unknown as CommandModule)
      .command(ingestCommand as unknown as CommandModule)
      .command(listCommand as unknown as CommandModule)
      .command(exportCommand as unknown as CommandModule)
      .command(checkCommand as unknown as CommandModule)
      .demandCommand(1, 'name a store subcommand: init, ingest, list, export, check'),
  handler: () => {},
};
