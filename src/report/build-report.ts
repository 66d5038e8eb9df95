import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readClinical } from '../io/clinical.js';
import { readImaging } from '../io/imaging.js';
import { loadBundledPanel } from '../reference/panel.js';
import { UsageError, UserError } from '../util/errors.js';
import { warn } from '../util/log.js';
import { VERSION } from '../version.js';
import { assemblePatientReports } from './assemble.js';
import { checkReportDate } from './meta.js';
import { findChromium, printPdfs } from './pdf.js';
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
  /** Date printed on every page (YYYY-MM-DD); default: the data cut-off (latest draw or assessment). */
  reportDate?: string;
  /** Also write `<patient>.pdf` per patient and `index.pdf` through the system Chromium. */
  pdf?: boolean;
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
export async function buildReport(o: BuildReportOptions): Promise<{ indexHtml: string; patients: PatientReport[]; pdfs: number }> {
  const reportDate = o.reportDate === undefined ? undefined : checkReportDate(o.reportDate);
  // Before any work: a missing Chromium is one clear line, and no report directory is touched.
  const chromium = o.pdf ? findChromium() : null;
  const { timelines, classification } = readTrackOutputs(o.inDir, o.classification);
  let selected = timelines;
  if (o.patients && o.patients.length) {
    const known = new Set(timelines.map((t) => t.patient));
    for (const p of o.patients)
      if (!known.has(p))
        throw new UserError(`unknown patient '${p}' (not in ${o.inDir}/patients; known: ${[...known].slice(0, 10).join(', ')})`);
    const want = new Set(o.patients);
    selected = timelines.filter((t) => want.has(t.patient));
  }
  const known = new Set(timelines.map((t) => t.patient));
  const clinical = o.clinical ? readClinical(o.clinical, known) : undefined;
  const imaging = o.imaging ? readImaging(o.imaging, known) : undefined;
  const patients = assemblePatientReports(selected, classification, {
    clinical,
    imaging,
    roles: panelRoles(),
    reportDate,
    toolVersion: VERSION,
  });
  const cutoff =
    patients
      .map((p) => p.meta.data_cutoff)
      .sort()
      .at(-1) ?? '';
  if (reportDate !== undefined && cutoff && reportDate < cutoff) {
    throw new UsageError(`--report-date ${reportDate} is before the data cut-off ${cutoff} (the latest draw or assessment in the report)`);
  }
  const { files, cohort } = reportFiles(patients);
  let pdfs = 0;
  await writeReportDir(
    o.outDir,
    files,
    chromium === null
      ? undefined
      : async (dir) => {
          const jobs = readdirSync(dir)
            .filter((f) => f.endsWith('.html'))
            .sort()
            .map((f) => ({ html: join(dir, f), pdf: join(dir, f.replace(/\.html$/, '.pdf')) }));
          await printPdfs(jobs, { chromium, reportDate: cohort.meta.report_date });
          pdfs = jobs.length;
        },
  );
  return { indexHtml: `${o.outDir.replace(/\/+$/, '')}/index.html`, patients, pdfs };
}
