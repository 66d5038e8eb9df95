import { existsSync, rmSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { classifyAssessment } from '../classify/rules.js';
import { referenceKnowledge } from '../classify/knowledge.js';
import { classificationDocument, classificationJson, classificationTsv } from '../classify/output.js';
import { loadPolicy } from '../classify/policy.js';
import { type ClinicalRow, currentLine, readClinicalLines } from '../io/clinical.js';
import type { Policy } from '../classify/policy.js';
import type { BetweenDrawPrior } from '../timeline/longitudinal/types.js';
import type { PatientTimeline } from '../timeline/types.js';
import { cohortSeriesFromTimelines, priorSettings } from '../classify/rule-molecular.js';
import { recordedPhases } from '../timeline/longitudinal/recorded.js';
import { parsePriorChoice, resolveBetweenDrawPrior } from '../timeline/longitudinal/resolve.js';
import { readImaging } from '../io/imaging.js';
import { writeOutput } from '../io/output.js';
import { readTimelineDir } from '../timeline/read.js';
import { openStore } from '../store/store.js';
import { VERSION } from '../version.js';
import { UsageError, UserError } from '../util/errors.js';
import { info } from '../util/log.js';
import { handler } from './command.js';

interface ClassifyArgs {
  timeline: string;
  clinical: string;
  imaging: string;
  policy?: string;
  out: string;
  json?: string;
  store?: string;
  'between-draw-prior': string;
}

/**
 * The between-draw prior of --between-draw-prior and a line saying which: auto estimates it from the
 * run's timelines and, with --store, the nadir phases recorded there for other patients.
 */
function chosenPrior(choice: string, timelines: PatientTimeline[], clinical: Map<string, ClinicalRow[]>, policy: Policy, storePath?: string): { prior: BetweenDrawPrior; note: string } {
  const parsed = parsePriorChoice(choice);
  if (parsed === null) throw new UsageError(`--between-draw-prior must be auto, default or a CV from 0 to 3, got '${choice}'`);
  let recorded: ReturnType<typeof recordedPhases> = [];
  if (parsed.kind === 'auto' && storePath !== undefined && existsSync(storePath)) {
    const store = openStore(storePath);
    try {
      recorded = recordedPhases(store.listClassifications(), new Set(timelines.map((t) => t.patient)));
    } finally {
      store.close();
    }
  }
  const r = resolveBetweenDrawPrior(parsed, cohortSeriesFromTimelines(timelines, clinical), recorded.map((x) => x.phase), priorSettings(policy));
  return { prior: r.prior, note: r.note };
}

export const classifyCommand: CommandModule<object, ClassifyArgs> = {
  command: 'classify',
  describe: 'Classify each imaging assessment: true_oligoprogression, widespread_progression, oligoprogression_targetable, no_progression or indeterminate',
  builder: (y) =>
    y
      .option('timeline', { type: 'string', demandOption: true, describe: "output directory of 'oligotrack track' (timeline.tsv, patients/)" })
      .option('clinical', { type: 'string', demandOption: true, describe: 'clinical CSV: patient,subtype,therapy,therapy_class,therapy_start (one row per line of therapy)' })
      .option('imaging', { type: 'string', demandOption: true, describe: 'imaging CSV: patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns' })
      .option('policy', { type: 'string', describe: 'policy YAML or JSON (default: reference/policy/default.yaml)' })
      .option('out', { type: 'string', default: '-', describe: "classification TSV ('-' = stdout)" })
      .option('json', { type: 'string', describe: 'also write the JSON with every rule evaluated' })
      .option('store', { type: 'string', describe: 'cohort store (SQLite, created if absent): also record each assessment’s classification (a new version when it changes)' })
      .option('between-draw-prior', { type: 'string', default: 'auto', describe: "between-draw variation of the tumour level: auto (estimated from every timeline in --timeline and the phases recorded in --store; the policy default when they carry too little information), default (the policy's, conservative), or a lab's measured CV such as 0.15; docs/methods/statistics.md" }) as never,
  handler: handler('classify', (args: ClassifyArgs) => {
    if (args.json === '-' && args.out === '-') throw new UsageError('--json - and --out - would both write to stdout; give --out a file');
    const { policy } = loadPolicy(args.policy);
    const timelines = readTimelineDir(args.timeline);
    const patients = new Set(timelines.map((t) => t.patient));
    const clinical = readClinicalLines(args.clinical, patients);
    const imaging = readImaging(args.imaging, patients);
    const knowledge = referenceKnowledge();
    const byPatient = new Map(timelines.map((t) => [t.patient, t]));
    const { prior, note: priorNote } = chosenPrior(args['between-draw-prior'], timelines, clinical, policy, args.store);
    const rows = imaging.map((im) => {
      const line = currentLine(clinical.get(im.patient), im.assessmentDay);
      if (clinical.has(im.patient) && line === null) info(`patient ${im.patient}: assessment ${im.assessmentDate} precedes every therapy line in ${args.clinical}`);
      return classifyAssessment({ timeline: byPatient.get(im.patient)!, imaging: im, clinical: line, therapyHistory: clinical.get(im.patient) ?? [], betweenDrawPrior: prior }, policy, knowledge);
    });
    for (const p of patients) if (!clinical.has(p)) info(`patient ${p} has no clinical row: therapy and subtype modifiers not evaluated`);
    for (const p of patients) if (!imaging.some((im) => im.patient === p)) info(`patient ${p} has no imaging assessment: nothing to classify`);
    const tsv = classificationTsv(rows);
    const policyFile = args.policy ?? 'reference/policy/default.yaml';
    const jsonText = args.json ? classificationJson(classificationDocument(rows, policyFile, policy.name)) : null;
    // JSON first: the TSV on stdout is the "done" signal pipelines wait for.
    if (args.json && jsonText !== null) writeOutput(args.json, jsonText);
    try {
      writeOutput(args.out, tsv);
    } catch (e) {
      // The JSON and the TSV are one result: never leave the JSON without its TSV.
      if (args.json) rmSync(args.json, { force: true });
      if (e instanceof UserError) throw e;
      const err = e as NodeJS.ErrnoException;
      throw new UserError(`${args.out}: cannot write output (${err.code ?? err.message})`);
    }
    info(priorNote);
    // After the files: the store records what was written (one transaction for the whole run).
    if (args.store !== undefined) {
      const store = openStore(args.store, { create: true });
      try {
        const outcomes = store.recordClassifications({ toolVersion: VERSION, policyFile, policyName: policy.name, assessments: rows });
        const n = (status: string) => outcomes.filter((o) => o.status === status).length;
        info(`${args.store}: ${outcomes.length} classification(s) recorded (${n('added')} added, ${n('new-version')} new version, ${n('unchanged')} unchanged)`);
      } finally {
        store.close();
      }
    }
  }),
};
