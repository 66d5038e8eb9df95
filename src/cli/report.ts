import { reportCohort } from '../app/report.js';
import { info } from '../util/log.js';
import { defineCommand } from './command.js';
import { STORE_OPTION_DESCRIPTION, outDirOption } from './spec.js';

export const reportCommand = defineCommand(
  {
    name: 'report',
    command: 'report',
    describe: 'Tumour-board HTML report (one page per patient + cohort index) from track/classify outputs',
    options: [
      { name: 'in', kind: 'path', required: true, describe: 'Output directory of track (patients/*.json) with classification.json' },
      outDirOption('Report directory to write (replaced atomically)'),
      { name: 'classification', kind: 'path', defaultText: 'IN/classification.json', describe: 'Classification JSON' },
      { name: 'clinical', kind: 'path', describe: 'Clinical CSV: adds subtype, therapy and its start to the pages' },
      { name: 'imaging', kind: 'path', describe: 'Imaging CSV: adds progression sites to the chart annotations' },
      { name: 'patient', kind: 'list', defaultText: 'all', describe: 'Report only these patients' },
      {
        name: 'store',
        kind: 'path',
        describe: `${STORE_OPTION_DESCRIPTION.replace(', created if absent', '')}: read the classifications (newest version of each assessment, as classify --store recorded them) instead of classification.json`,
      },
      {
        name: 'report-date',
        kind: 'string',
        defaultText: 'the data cut-off: the latest draw or assessment',
        describe: 'Date printed on every page, YYYY-MM-DD',
      },
      {
        name: 'pdf',
        kind: 'boolean',
        default: false,
        describe: 'Also write <patient>.pdf per patient and index.pdf (needs Chromium: Debian package chromium)',
      },
    ],
    examples: [['$0 report --in track-out --out-dir report', 'writes report/index.html and report/<patient>.html + .json']],
  },
  async ({ values: o, given }) => {
    const { indexHtml, patients, pdfs } = await reportCohort({
      inDir: o.in,
      outDir: o['out-dir'],
      classification: o.classification,
      clinical: o.clinical,
      imaging: o.imaging,
      patients: given.has('patient') ? o.patient : undefined,
      reportDate: o['report-date'],
      pdf: o.pdf,
      storePath: o.store,
    });
    info(`${patients.length} patient page(s)${pdfs ? ` and ${pdfs} PDF(s)` : ''}; open ${indexHtml}`);
  },
);
