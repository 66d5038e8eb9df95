import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutput } from '../io/output.js';
import { buildReport, type BuildReportOptions } from '../report/build-report.js';
import type { PatientReport } from '../report/types.js';
import { openStore } from '../store/store.js';
import { readTimelineDir } from '../timeline/read.js';
import { UsageError } from '../util/errors.js';
import { classificationDocumentFromStore } from './classifications-from-store.js';

/**
 * reportCohort: the tumour-board pages (one per patient and the cohort index) from track's and
 * classify's outputs, with the classifications read from classification.json or from the store.
 */
export interface ReportRequest extends BuildReportOptions {
  /** Read the classifications from this cohort store (newest version of each assessment) instead of a file. */
  storePath?: string;
}

export async function reportCohort(req: ReportRequest): Promise<{ indexHtml: string; patients: PatientReport[]; pdfs: number }> {
  if (req.storePath === undefined) return buildReport(req);
  if (req.classification !== undefined)
    throw new UsageError('--store and --classification are exclusive: the classifications come from one of them');
  // The report builder reads a classification.json; from the store it gets one rebuilt in a
  // private temporary directory, removed afterwards.
  const tmp = mkdtempSync(join(tmpdir(), 'oligotrack-report-'));
  try {
    const classification = join(tmp, 'classification.json');
    const patientsInDir = [...new Set(readTimelineDir(req.inDir).map((t) => t.patient))];
    const store = openStore(req.storePath, { readonly: true });
    try {
      writeOutput(classification, classificationDocumentFromStore(store, patientsInDir));
    } finally {
      store.close();
    }
    return await buildReport({ ...req, classification });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
