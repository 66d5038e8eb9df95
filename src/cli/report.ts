import type { CommandModule } from 'yargs';
import { buildReport } from '../report/build-report.js';
import { info } from '../util/log.js';
import { handler } from './command.js';

interface ReportArgs {
  in: string;
  out: string;
  classification?: string;
  clinical?: string;
  imaging?: string;
  patient?: string[];
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
      .example('$0 report --in track-out --out report', 'writes report/index.html and report/<patient>.html + .json'),
  handler: handler('report', (a: ReportArgs) => {
    const { indexHtml, patients } = buildReport({
      inDir: a.in,
      outDir: a.out,
      classification: a.classification,
      clinical: a.clinical,
      imaging: a.imaging,
      patients: a.patient,
    });
    info(`${patients.length} patient page(s); open ${indexHtml}`);
  }),
};
