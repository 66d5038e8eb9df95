import { readClinical } from '../io/clinical.js';
import { readImaging } from '../io/imaging.js';
import { loadBundledPanel } from '../reference/panel.js';
import { UserError } from '../util/errors.js';
import { warn } from '../util/log.js';
import { VERSION } from '../version.js';
import { assemblePatientReports } from './assemble.js';
import { readTrackOutputs } from './read-dir.js';
import type { PatientReport } from './types.js';
import { reportFiles, writeReportDir } from './write-report.js';

export interface BuildReportOptions {
  /** Output directory of `track` (patients/*.json) holding classification.json. */
  inDir: string;
  outDir: string;
  classification?: string;
  clinical?: string;
  imaging?: string;
  /** Report only these patients (an unknown ID is an error). */
  patients?: string[];
}

/** Panel roles (resistance / actionable / clonal_marker) by `chrom:pos:ref>alt`, both builds. */
function panelRoles(): Map<string, string> {
  try {
    return new Map(loadBundledPanel().map((r) => [`${r.chrom}:${r.pos}:${r.ref}>${r.alt}`, r.role]));
  } catch (e) {
    warn(`site roles not shown: cannot read the bundled panel (${(e as Error).message})`);
    return new Map();
  }
}

/** The library function behind `oligotrack report` (also called by `run`). Returns the index path. */
export function buildReport(o: BuildReportOptions): { indexHtml: string; patients: PatientReport[] } {
  const { timelines, classification } = readTrackOutputs(o.inDir, o.classification);
  let selected = timelines;
  if (o.patients && o.patients.length) {
    const known = new Set(timelines.map((t) => t.patient));
    for (const p of o.patients) if (!known.has(p)) throw new UserError(`unknown patient '${p}' (not in ${o.inDir}/patients; known: ${[...known].slice(0, 10).join(', ')})`);
    const want = new Set(o.patients);
    selected = timelines.filter((t) => want.has(t.patient));
  }
  const known = new Set(timelines.map((t) => t.patient));
  const clinical = o.clinical ? readClinical(o.clinical, known) : undefined;
  const imaging = o.imaging ? readImaging(o.imaging, known) : undefined;
  const patients = assemblePatientReports(selected, classification, { clinical, imaging, roles: panelRoles() });
  const { files } = reportFiles(patients, VERSION);
  writeReportDir(o.outDir, files);
  return { indexHtml: `${o.outDir.replace(/\/+$/, '')}/index.html`, patients };
}
