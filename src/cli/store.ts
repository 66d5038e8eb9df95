import { formatCountTsv } from '../count/output/tsv.js';
import { writeOutput } from '../io/output.js';
import { formatTsv, type Column } from '../io/table.js';
import { parseCountDocument, parseSummaryDocument } from '../store/count-document.js';
import { exportCountFiles } from '../store/export-files.js';
import { ingestCountDocument, readText } from '../store/ingest-file.js';
import { CLASSIFICATION_LIST_COLUMNS, SAMPLE_LIST_COLUMNS, VERSION_LIST_COLUMNS } from '../store/list-columns.js';
import { openStore } from '../store/store.js';
import { UsageError, UserError } from '../util/errors.js';
import { info } from '../util/log.js';
import { defineCommand, defineGroup } from './command.js';

const DEFAULT_STORE = 'cohort.sqlite';

const STORE = { name: 'store', kind: 'path', default: DEFAULT_STORE, describe: 'Cohort store file (SQLite)' } as const;
const FORMAT = { name: 'format', kind: 'choice', choices: ['tsv', 'json'], default: 'tsv', describe: 'Output format' } as const;

const init = defineCommand(
  {
    name: 'store init',
    command: 'init [store]',
    describe: 'Create an empty cohort store (or upgrade an older one); harmless on an existing store',
    options: [{ ...STORE, positional: true }],
  },
  ({ values: o }) => {
    openStore(o.store, { create: true }).close();
    info(`${o.store}: ready`);
  },
);

const ingest = defineCommand(
  {
    name: 'store ingest',
    command: 'ingest <counts..>',
    describe: 'Add count JSONs (oligotrack count --format json) to the store; one transaction each, idempotent',
    options: [
      STORE,
      { name: 'counts', kind: 'list', required: true, positional: true, describe: 'Count JSON files' },
      // Repeated, not greedy: a list option would swallow the count files that follow it.
      {
        name: 'summary',
        kind: 'list',
        onePerFlag: true,
        describe: 'A per-sample summary JSON, matched to its count by "sample" (repeat for more)',
      },
    ],
  },
  async ({ values: o }) => {
    const summaries = new Map<string, string>();
    for (const file of o.summary) {
      const s = parseSummaryDocument(readText(file), file);
      if (summaries.has(s.sample)) throw new UsageError(`two --summary files for sample "${s.sample}"`);
      summaries.set(s.sample, s.text);
    }
    // Every document is validated before the store is touched: a bad file anywhere in the list
    // stops the command with nothing written.
    const counts = o.counts.map((file) => ({ file, doc: parseCountDocument(readText(file), file) }));
    const orphan = [...summaries.keys()].filter((sample) => !counts.some((c) => c.doc.sample === sample));
    if (orphan.length) throw new UsageError(`--summary for sample(s) with no count JSON given: ${orphan.join(', ')}`);
    const store = openStore(o.store, { create: true });
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
  },
);

function listing<R>(format: 'tsv' | 'json', columns: readonly Column<R>[], rows: readonly R[]): void {
  writeOutput('-', format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : formatTsv(columns, rows));
}

const list = defineCommand(
  {
    name: 'store list',
    command: 'list',
    describe: 'List samples (newest version of each), or every version with --history',
    options: [
      STORE,
      { name: 'history', kind: 'boolean', default: false, describe: 'Every version, with when it was ingested' },
      {
        name: 'classifications',
        kind: 'boolean',
        default: false,
        describe: 'The newest recorded group per patient and assessment (from classify --store)',
      },
      FORMAT,
    ],
  },
  ({ values: o }) => {
    if (o.history && o.classifications) throw new UsageError('--history and --classifications list different things: give one');
    const store = openStore(o.store, { readonly: true });
    try {
      if (o.classifications) listing(o.format, CLASSIFICATION_LIST_COLUMNS, store.listClassifications());
      else if (o.history) listing(o.format, VERSION_LIST_COLUMNS, store.listVersions());
      else listing(o.format, SAMPLE_LIST_COLUMNS, store.listSamples());
    } finally {
      store.close();
    }
  },
);

const exportCounts = defineCommand(
  {
    name: 'store export',
    command: 'export',
    describe: 'Write counts for track: one TSV (--format tsv), or one count JSON per sample (--format json --out-dir)',
    options: [
      STORE,
      FORMAT,
      { name: 'sample', kind: 'list', defaultText: 'all', describe: 'Only these samples' },
      { name: 'count-version', kind: 'integer', min: 1, describe: 'This stored version instead of the newest (one --sample only)' },
      { name: 'out', kind: 'path', defaultText: '-', describe: 'TSV output file, - for stdout' },
      { name: 'out-dir', kind: 'path', describe: 'Directory for <sample>.count.json (and <sample>.summary.json)' },
    ],
  },
  ({ values: o, given }) => {
    if (o.format === 'tsv' && o['out-dir'] !== undefined) throw new UsageError('--out-dir is for --format json; use --out with tsv');
    if (o.format === 'json' && o['out-dir'] === undefined) throw new UsageError('--format json writes one file per sample: give --out-dir');
    if (o.format === 'json' && o.out !== undefined) throw new UsageError('--out is for --format tsv; use --out-dir with json');
    const store = openStore(o.store, { readonly: true });
    let counts;
    try {
      counts = store.exportCounts({ samples: given.has('sample') ? o.sample : undefined, version: o['count-version'] });
    } finally {
      store.close();
    }
    // The same table `count --format tsv` writes, samples one after another (sorted by name).
    if (o.format === 'tsv') return writeOutput(o.out ?? '-', formatCountTsv(counts.flatMap((c) => c.rows)));
    // Everything was read before the first write; each file is written atomically.
    exportCountFiles(o['out-dir']!, counts);
    info(`${counts.length} sample(s) written to ${o['out-dir']}`);
  },
);

const check = defineCommand(
  {
    name: 'store check',
    command: 'check',
    describe: 'PRAGMA integrity_check and a check that every version has all its site rows',
    options: [STORE],
  },
  ({ values: o }) => {
    const store = openStore(o.store, { readonly: true });
    let problems: string[];
    try {
      problems = store.check();
    } finally {
      store.close();
    }
    if (problems.length) throw new UserError(`${o.store}: ${problems.length} problem(s): ${problems.slice(0, 5).join('; ')}`);
    writeOutput('-', 'ok\n');
  },
);

export const storeCommand = defineGroup('store', 'Cohort store (SQLite): init | ingest | list | export | check', [
  init,
  ingest,
  list,
  exportCounts,
  check,
]);
