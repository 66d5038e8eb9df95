import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeOutput } from '../io/output.js';
import { UserError } from '../util/errors.js';
import { idFileInside, pathInside } from '../util/safe-path.js';
import { patientJson, timelineTsv } from './tsv.js';
import type { PatientTimeline } from './types.js';

/**
 * Fails early, before hours of counting, when DIR cannot become an output directory: DIR (or its
 * nearest existing ancestor) must be a writable directory. Creates nothing.
 */
export function checkOutputDir(dir: string): void {
  let probe = resolve(dir);
  for (;;) {
    if (existsSync(probe)) break;
    const up = dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  const what = probe === resolve(dir) ? 'is' : `is below ${probe}, which is`;
  if (!statSync(probe).isDirectory()) throw new UserError(`${dir}: cannot be the output directory: it ${what} not a directory`);
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw new UserError(`${dir}: cannot be the output directory: it ${what} not writable`);
  }
}

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
    for (const p of patients) writeFileSync(idFileInside(fresh, p.patient, '.json', 'patient'), patientJson(p), { flag: 'wx' });
    if (existsSync(target)) renameSync(target, old);
    renameSync(fresh, target);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    try {
      rmSync(fresh, { recursive: true, force: true });
    } catch {
      // DIR itself is unusable (ENOTDIR, EACCES): nothing was created to clean up.
    }
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${dir}: cannot write the timeline (${err.code ?? err.message})`);
  }
  writeOutput(pathInside(dir, 'timeline.tsv'), timelineTsv(patients));
}
