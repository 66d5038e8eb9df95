import { classifyCohort, writeClassification } from '../app/classify.js';
import { readTimelineDir } from '../timeline/read.js';
import { UsageError } from '../util/errors.js';
import { info } from '../util/log.js';
import { defineCommand } from './command.js';
import { CLINICAL_OPTIONS, STORE_OPTION_DESCRIPTION } from './spec.js';

export const classifyCommand = defineCommand(
  {
    name: 'classify',
    command: 'classify',
    describe:
      'Classify each imaging assessment: true_oligoprogression, widespread_progression, oligoprogression_targetable, no_progression or indeterminate',
    options: [
      { name: 'timeline', kind: 'path', required: true, describe: "Output directory of 'oligotrack track' (timeline.tsv, patients/)" },
      ...CLINICAL_OPTIONS,
      { name: 'out', kind: 'path', default: '-', describe: 'Classification TSV, - for stdout' },
      { name: 'json', kind: 'path', describe: 'Also write the JSON with every rule evaluated' },
      {
        name: 'store',
        kind: 'path',
        describe: `${STORE_OPTION_DESCRIPTION}: also record each assessment's classification (a new version when it changes)`,
      },
    ],
  },
  ({ values: o }) => {
    if (o.json === '-' && o.out === '-') throw new UsageError('--json - and --out - would both write to stdout; give --out a file');
    const result = classifyCohort({
      timelines: readTimelineDir(o.timeline),
      clinicalPath: o.clinical,
      imagingPath: o.imaging,
      policyPath: o.policy,
      betweenDrawPrior: o['between-draw-prior'],
      storePath: o.store,
    });
    const outcomes = writeClassification(result, { tsvPath: o.out, jsonPath: o.json, storePath: o.store });
    info(result.priorNote);
    if (outcomes) {
      const n = (status: string) => outcomes.filter((x) => x.status === status).length;
      info(
        `${o.store}: ${outcomes.length} classification(s) recorded (${n('added')} added, ${n('new-version')} new version, ${n('unchanged')} unchanged)`,
      );
    }
  },
);
