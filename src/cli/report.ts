import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { classificationDocumentFromStore } from '../store/classification-document.js';
import { openStore } from '../store/store.js';
import { readTimelineDir } from '../timeline/read.js';
import { buildReport } from '../report/build-report.js';
import { writeOutput } from '../io/output.js';
import { UsageError } from '../util/errors.js';
import { info } from '../util/log.js';
import { handler } from './command.js';

interface ReportArgs {
  in: string;
  out: string;
  classification?: string;
  clinical?: string;
  imaging?: string;
  patient?: string[];
  store?: string;
  pdf: boolean;
  'report-date'?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'Tumour-board HTML report (one page per patient + cohort index) from track/classify outputs',
  builder: (y) =>
    y
      .option('in', { type: 'string', demandOption: true, describe: 'output directory of `track` (patients/*.json) with classification.json' })
      .option('out', { type: 'string', demandOption: true, describe: 'report directory to write (replaced atomically)' })
      .option('classification', { type: 'string', describe: 'classification JSON (default: IN/classification.json)' })
      .option('clinical', { type: 'string', describe: 'clinical CSV: adds subtype, therapy and its start to the pages' })
      .option('imaging', { type: 'string', describe: 'imaging CSV: adds progression sites to the chart annotations' })
      .option('patient', { type: 'string', array: true, describe: 'report only these patients' })
      .option('store', { type: 'string', describe: 'read the classifications from this cohort store (newest version of each assessment, as classify --store recorded them) instead of classification.json' })
      .option('report-date', { type: 'string', describe: 'date printed on every page, YYYY-MM-DD (default: the data cut-off, the latest draw or assessment)' })
      .option('pdf', { type: 'boolean', default: false, describe: 'also write <patient>.pdf per patient and index.pdf (needs Chromium: Debian package chromium)' })
      .example('$0 report --in track-out --out report', 'writes report/index.html and report/<patient>.html + .json'),
  handler: handler('report', async (a: ReportArgs) => {
    if (a.store !== undefined && a.classification !== undefined) throw new UsageError('--store and --classification are exclusive: the classifications come from one of them');
    // The report builder reads a classification.json; from the store it gets one rebuilt in a
    // private temporary directory, removed afterwards.
    const tmp = a.store !== undefined ? mkdtempSync(join(tmpdir(), 'oligotrack-report-')) : null;
    try {
      let classification = a.classification;
      if (tmp !== null && a.store !== undefined) {
        classification = join(tmp, 'classification.json');
        const patientsInDir = [...new Set(readTimelineDir(a.in).map((t) => t.patient))];
        const store = openStore(a.store, { readonly: true });
        try {
          writeOutput(classification, classificationDocumentFromStore(store, patientsInDir));
        } finally {
          store.close();
        }
      }
      const { indexHtml, patients, pdfs } = await buildReport({
        inDir: a.in,
        outDir: a.out,
        classification,
        clinical: a.clinical,
        imaging: a.imaging,
        patients: a.patient,
        reportDate: a['report-date'],
        pdf: a.pdf,
      });
      info(`${patients.length} patient page(s)${pdfs ? ` and ${pdfs} PDF(s)` : ''}; open ${indexHtml}`);
    } finally {
      if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
    }
  }),
};
