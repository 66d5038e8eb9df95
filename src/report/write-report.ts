import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { checkPathId, pathInside } from '../util/safe-path.js';
import { buildCohort } from './cohort.js';
import { safeFileStem } from './html/escape.js';
import { renderIndexPage } from './html/index-page.js';
import { renderPatientPage } from './html/patient-page.js';
import { REPORT_SCHEMA, type CohortReport, type PatientReport, type ReportMeta } from './types.js';

/** JSON with sorted-insertion-order keys as built, 2-space indent and a final newline: stable bytes. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The files of a report directory, as name → content (pure: no I/O). The cohort page carries the
 * report date, version and policy of the pages (all built in one run share them).
 */
export function reportFiles(
  patients: PatientReport[],
  meta?: Omit<ReportMeta, 'data_cutoff'>,
): { files: Map<string, string>; cohort: CohortReport } {
  const m = meta ?? patients[0]?.meta;
  if (!m) throw new UserError('no patient to report');
  const cohort = buildCohort(patients, m);
  const files = new Map<string, string>();
  const stems = new Map<string, string>();
  for (const p of patients) {
    // The pages link to safeFileStem's name; that name must itself follow the file-name ID rule.
    const stem = checkPathId(safeFileStem(p.patient), `patient '${p.patient}': its report file name`);
    // index.* is the cohort page; names equal but for case would overwrite each other on macOS/Windows.
    if (stem.toLowerCase() === 'index')
      throw new UserError(`patient '${p.patient}': its report page would overwrite the cohort index (${stem}.html)`);
    const other = stems.get(stem.toLowerCase());
    if (other !== undefined)
      throw new UserError(
        `patients '${other}' and '${p.patient}' map to the same report file name '${stem}' (file names ignore case on some systems)`,
      );
    stems.set(stem.toLowerCase(), p.patient);
    files.set(`${stem}.json`, stableJson(p));
    files.set(`${stem}.html`, renderPatientPage(p));
  }
  files.set('index.json', stableJson(cohort));
  files.set('index.html', renderIndexPage(cohort));
  return { files, cohort };
}

/**
 * Writes the report directory atomically: everything goes to a sibling `OUT.tmp-<pid>-<rand>`,
 * which is renamed over OUT only when complete, so a crash or kill never leaves a half-written
 * report under the final name. An existing OUT is replaced only if it is an oligotrack report
 * (has our index.json) or empty — never an unrelated directory.
 */
export async function writeReportDir(
  outDir: string,
  files: Map<string, string>,
  finish?: (tmpDir: string) => Promise<void>,
): Promise<void> {
  const out = resolve(outDir);
  const parent = dirname(out);
  try {
    mkdirSync(parent, { recursive: true });
    accessSync(parent, constants.W_OK);
  } catch (e) {
    throw new UserError(`${outDir}: cannot write the report directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new UserError(`${outDir}: exists and is not a directory`);
    if (readdirSync(out).length > 0 && !isReportDir(out)) {
      throw new UserError(`${outDir}: exists and is not an oligotrack report directory; refusing to replace it`);
    }
  }
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(out)}.tmp-${suffix}`);
  const old = join(parent, `.${basename(out)}.old-${suffix}`);
  try {
    mkdirSync(tmp);
    for (const name of [...files.keys()].sort()) writeFileSync(pathInside(tmp, name), files.get(name)!, { flag: 'wx' });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new UserError(`${outDir}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    // Extra outputs made from the written pages (the PDFs) go into the same hidden directory, so a
    // failure leaves no half-made report under the final name.
    if (finish) await finish(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  try {
    if (existsSync(out)) renameSync(out, old);
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(out)) renameSync(old, out);
    if (e instanceof UserError) throw e;
    throw new UserError(`${outDir}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  rmSync(old, { recursive: true, force: true });
}

function isReportDir(dir: string): boolean {
  try {
    const idx = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { schema?: string };
    return idx.schema === REPORT_SCHEMA;
  } catch {
    return false;
  }
}
