import { existsSync, rmSync } from 'node:fs';
import { referenceKnowledge } from '../classify/knowledge.js';
import { classificationDocument, classificationJson, classificationTsv } from '../classify/output.js';
import { loadPolicy, type Policy } from '../classify/policy.js';
import { cohortSeriesFromTimelines } from '../classify/cohort-series.js';
import { priorSettings } from '../classify/rule-molecular.js';
import { classifyAssessment } from '../classify/rules.js';
import type { AssessmentClassification, ClassificationDocument, ClassifyKnowledge } from '../classify/types.js';
import { type ClinicalRow, currentLine, readClinicalLines } from '../io/clinical.js';
import { readImaging } from '../io/imaging.js';
import { writeOutput } from '../io/output.js';
import { openStore, type ClassificationOutcome } from '../store/store.js';
import { recordedPhases } from '../timeline/longitudinal/recorded.js';
import { resolveBetweenDrawPrior, type BetweenDrawPriorChoice as ResolvedChoice } from '../timeline/longitudinal/resolve.js';
import type { BetweenDrawPrior } from '../timeline/longitudinal/types.js';
import type { PatientTimeline } from '../timeline/types.js';
import { UserError } from '../util/errors.js';
import { info } from '../util/log.js';
import { VERSION } from '../version.js';

/**
 * classifyCohort: each imaging assessment of the timelines' patients, classified under the policy
 * (true_oligoprogression, widespread_progression, oligoprogression_targetable, no_progression or
 * indeterminate); writeClassification writes the TSV and JSON and records them in the store.
 */

/**
 * The between-draw variation of the tumour level: auto (estimated from the cohort — the timelines
 * and the nadir phases recorded in the store — when it carries enough information, else the
 * policy's; `cohort` is its old name), the policy's default, or a lab's measured CV.
 */
export type BetweenDrawPriorChoice = 'auto' | 'cohort' | 'default' | number;

export interface ClassifyRequest {
  timelines: readonly PatientTimeline[];
  clinicalPath: string;
  imagingPath: string;
  /** Policy YAML or JSON; absent: reference/policy/default.yaml. */
  policyPath?: string;
  betweenDrawPrior: BetweenDrawPriorChoice;
  /** Cohort store whose recorded nadir phases (other patients) join an auto estimate; read only. */
  storePath?: string;
}

export interface ClassifyResult {
  rows: AssessmentClassification[];
  document: ClassificationDocument;
  policyFile: string;
  policyName: string;
  /** One line saying which between-draw prior was used. */
  priorNote: string;
}

export function classifyCohort(req: ClassifyRequest): ClassifyResult {
  const { policy } = loadPolicy(req.policyPath);
  const patients = new Set(req.timelines.map((t) => t.patient));
  const clinical = readClinicalLines(req.clinicalPath, patients);
  const imaging = readImaging(req.imagingPath, patients);
  const knowledge = referenceKnowledge();
  const byPatient = new Map(req.timelines.map((t) => [t.patient, t]));
  const { prior, note: priorNote } = chosenPrior(req.betweenDrawPrior, req.timelines, clinical, policy, knowledge, req.storePath);
  const rows = imaging.map((im) => {
    const line = currentLine(clinical.get(im.patient), im.assessmentDay);
    if (clinical.has(im.patient) && line === null)
      info(`patient ${im.patient}: assessment ${im.assessmentDate} precedes every therapy line in ${req.clinicalPath}`);
    return classifyAssessment(
      {
        timeline: byPatient.get(im.patient)!,
        imaging: im,
        clinical: line,
        therapyHistory: clinical.get(im.patient) ?? [],
        betweenDrawPrior: prior,
      },
      policy,
      knowledge,
    );
  });
  for (const p of patients) if (!clinical.has(p)) info(`patient ${p} has no clinical row: therapy and subtype modifiers not evaluated`);
  for (const p of patients)
    if (!imaging.some((im) => im.patient === p)) info(`patient ${p} has no imaging assessment: nothing to classify`);
  const policyFile = req.policyPath ?? 'reference/policy/default.yaml';
  return { rows, document: classificationDocument(rows, policyFile, policy.name), policyFile, policyName: policy.name, priorNote };
}

/** The between-draw prior of the choice, and a line saying which and why. */
function chosenPrior(
  choice: BetweenDrawPriorChoice,
  timelines: readonly PatientTimeline[],
  clinical: Map<string, ClinicalRow[]>,
  policy: Policy,
  knowledge: ClassifyKnowledge,
  storePath: string | undefined,
): { prior: BetweenDrawPrior; note: string } {
  const resolved: ResolvedChoice =
    typeof choice === 'number' ? { kind: 'measured', cv: choice } : choice === 'default' ? { kind: 'default' } : { kind: 'auto' };
  let recorded: ReturnType<typeof recordedPhases> = [];
  if (resolved.kind === 'auto' && storePath !== undefined && existsSync(storePath)) {
    const store = openStore(storePath);
    try {
      recorded = recordedPhases(store.listClassifications(), new Set(timelines.map((t) => t.patient)));
    } finally {
      store.close();
    }
  }
  const r = resolveBetweenDrawPrior(
    resolved,
    cohortSeriesFromTimelines(timelines, clinical, policy, knowledge),
    recorded.map((x) => x.phase),
    priorSettings(policy),
  );
  return { prior: r.prior, note: r.note };
}

export interface ClassificationOutputs {
  /** classification.tsv, `-` for stdout. */
  tsvPath: string;
  /** classification.json with every rule evaluated. */
  jsonPath?: string;
  /** Cohort store (created if absent): each assessment's classification, a new version when it changes. */
  storePath?: string;
}

/** Writes the JSON, then the TSV (the "done" signal pipelines wait for), then records the run in the store. */
export function writeClassification(result: ClassifyResult, out: ClassificationOutputs): ClassificationOutcome[] | undefined {
  if (out.jsonPath !== undefined) writeOutput(out.jsonPath, classificationJson(result.document));
  try {
    writeOutput(out.tsvPath, classificationTsv(result.rows));
  } catch (e) {
    // The JSON and the TSV are one result: never leave the JSON without its TSV.
    if (out.jsonPath !== undefined) rmSync(out.jsonPath, { force: true });
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${out.tsvPath}: cannot write output (${err.code ?? err.message})`);
  }
  if (out.storePath === undefined) return undefined;
  // After the files: the store records what was written (one transaction for the whole run).
  const store = openStore(out.storePath, { create: true });
  try {
    return store.recordClassifications({
      toolVersion: VERSION,
      policyFile: result.policyFile,
      policyName: result.policyName,
      assessments: result.rows,
    });
  } finally {
    store.close();
  }
}
