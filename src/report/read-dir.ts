import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSIFICATION_SCHEMA, CLASSIFICATION_SCHEMA_VERSION, type ClassificationDocument } from '../classify/types.js';
import { parsePatientTimeline } from '../timeline/read.js';
import type { PatientTimeline } from '../timeline/types.js';
import { UserError, fileError } from '../util/errors.js';

/** What `report` reads from a track/classify output directory. */
export interface TrackOutputs {
  timelines: PatientTimeline[];
  classification: ClassificationDocument;
  classificationFile: string;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fileError(file, `not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Reads DIR/patients/*.json (written by `track`) and the classification JSON (written by
 * `classify --json`, default DIR/classification.json). Every problem is one error naming the file.
 */
export function readTrackOutputs(dir: string, classificationPath?: string): TrackOutputs {
  if (!existsSync(dir)) throw new UserError(`${dir}: no such directory (expected the output directory of 'oligotrack track')`);
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: not a directory (expected the output directory of 'oligotrack track')`);
  const patientsDir = join(dir, 'patients');
  const files = existsSync(patientsDir)
    ? readdirSync(patientsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (files.length === 0)
    throw new UserError(`${dir}: no timeline found (${join(dir, 'patients')}/*.json is missing or empty); run 'oligotrack track' first`);
  const timelines: PatientTimeline[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const file = join(patientsDir, f);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    // track's own validator (schema, series aligned with draws, date order).
    const t = parsePatientTimeline(text, file);
    if (seen.has(t.patient)) throw fileError(file, `patient ${t.patient} appears in two timeline files`);
    seen.add(t.patient);
    timelines.push(t);
  }
  const classificationFile = classificationPath ?? join(dir, 'classification.json');
  if (!existsSync(classificationFile)) {
    throw new UserError(
      `${classificationFile}: timeline without classification (file not found); run 'oligotrack classify --timeline ${dir} ... --json ${classificationFile}' first`,
    );
  }
  const c = readJson(classificationFile) as Partial<ClassificationDocument>;
  // Version 1 documents (policy version 1) still render: every field version 2 added is optional on the page.
  const version = (c as { schema_version?: unknown } | null)?.schema_version;
  if (
    c?.schema !== CLASSIFICATION_SCHEMA ||
    (version !== 1 && version !== CLASSIFICATION_SCHEMA_VERSION) ||
    !Array.isArray(c.assessments)
  ) {
    throw fileError(
      classificationFile,
      `not an oligotrack classification (expected schema ${CLASSIFICATION_SCHEMA} version 1 or ${CLASSIFICATION_SCHEMA_VERSION})`,
    );
  }
  const known = new Set(timelines.map((t) => t.patient));
  for (const a of c.assessments) {
    if (!known.has(a.patient)) throw fileError(classificationFile, `unknown patient '${a.patient}' (no timeline in ${patientsDir})`);
  }
  return { timelines, classification: c as ClassificationDocument, classificationFile };
}
