import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOutput } from '../io/output.js';
import { UserError } from '../util/errors.js';
import { patientJson, timelineTsv } from './tsv.js';
import type { PatientTimeline } from './types.js';

/**
 * Writes DIR/patients/<patient>.json and DIR/timeline.tsv so that a reader never sees a mix of old
 * and new or a half-written set: timeline.tsv (the completion marker `classify` checks) is removed
 * first, the patients directory is built beside the old one and swapped in by rename, and the new
 * timeline.tsv is written last, atomically. DIR/counts (the cache) is left as it is.
 */
export function writeTimelineDir(dir: string, patients: readonly PatientTimeline[]): void {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = join(dir, `.patients.tmp-${tag}`);
  const old = join(dir, `.patients.old-${tag}`);
  const target = join(dir, 'patients');
  try {
    mkdirSync(dir, { recursive: true });
    rmSync(join(dir, 'timeline.tsv'), { force: true });
    mkdirSync(fresh);
    for (const p of patients) writeFileSync(join(fresh, `${p.patient}.json`), patientJson(p));
    if (existsSync(target)) renameSync(target, old);
    renameSync(fresh, target);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(fresh, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${dir}: cannot write the timeline (${err.code ?? err.message})`);
  }
  writeOutput(join(dir, 'timeline.tsv'), timelineTsv(patients));
}
