import { statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { detectBuild } from '../count/genome-build.js';
import { loadSiteSpec } from '../app/sites.js';
import { readBamHeader } from '../io/bam-header.js';
import { checkIndexFits, chunksForRange, readBamIndex } from '../io/bam-index.js';
import { readClinical } from '../io/clinical.js';
import { readImaging } from '../io/imaging.js';
import { readSamplesheet } from '../io/samplesheet.js';
import { UserError } from '../util/errors.js';
import { pathIdProblem } from '../util/safe-path.js';
import { FUZZ_PATIENTS, FUZZ_REFS, FUZZ_TODAY, type TargetName } from './fuzz-targets.js';

/**
 * Runs one fuzz case in a worker thread, so that a hang can be cut off (the thread is terminated)
 * and a crash (heap exhaustion, an abort) is seen as the worker dying rather than taking the
 * runner down. The reader is called directly; its outcome is classified here:
 * success, clean error (a UserError of one line naming the file), or a failure — messy (a
 * UserError on several lines or without the file's name), internal (any other exception, which the
 * CLI would print as "internal error"), wrong (success, but the result breaks an invariant the
 * reader promises).
 */

export interface CaseRequest {
  id: number;
  target: TargetName;
  path: string;
  /** The intact BAM the index cases are checked against. */
  bamPath: string;
}

export interface CaseResult {
  id: number;
  outcome: 'success' | 'clean' | 'messy' | 'internal' | 'wrong';
  message?: string;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function invariantOfText(value: unknown, where: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? `${where} holds a NUL byte` : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = invariantOfText(value[i], `${where}[${i}]`);
      if (bad) return bad;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = invariantOfText(v, `${where}.${k}`);
      if (bad) return bad;
    }
  }
  return null;
}

async function runTarget(req: CaseRequest): Promise<string | null> {
  switch (req.target) {
    case 'bai':
    case 'csi': {
      const index = readBamIndex(req.path);
      checkIndexFits(index, FUZZ_REFS.length, req.bamPath, statSync(req.bamPath).size);
      for (let r = 0; r < FUZZ_REFS.length; r++) {
        for (const pos0 of [0, 16_383, 16_384, 99_999, FUZZ_REFS[r].length - 1]) {
          for (const c of chunksForRange(index, r, pos0, pos0 + 1)) {
            if (!Number.isSafeInteger(c.beg) || !Number.isSafeInteger(c.end)) return `chunk ${c.beg}-${c.end} is not a virtual offset`;
          }
        }
      }
      return null;
    }
    case 'bam-header': {
      const header = await readBamHeader(req.path);
      for (const ref of header.refs) {
        if (ref.name === '' || !Number.isSafeInteger(ref.length) || ref.length < 0)
          return `contig ${JSON.stringify(ref.name)} length ${ref.length}`;
      }
      if (new Set(header.refs.map((r) => r.name)).size !== header.refs.length) return 'two contigs share a name';
      return null;
    }
    case 'vcf':
    case 'vcf-gz':
    case 'panel-tsv': {
      const file = await loadSiteSpec(req.path, { bamBuild: detectBuild([{ name: 'chr1', length: 248_956_422 }]) });
      for (const { site } of file.sites) {
        if (!Number.isSafeInteger(site.pos1) || site.pos1 < 1) return `site position ${site.pos1}`;
        if (!/^[ACGTN]+$/.test(site.ref) || !/^[ACGTN]+$/.test(site.alt) || site.ref === site.alt)
          return `site alleles ${site.ref}>${site.alt}`;
        if (site.chrom === '' || CONTROL.test(site.chrom)) return `site contig ${JSON.stringify(site.chrom)}`;
      }
      return null;
    }
    case 'samplesheet': {
      const rows = readSamplesheet(req.path, { today: FUZZ_TODAY, checkFiles: false });
      for (const r of rows) {
        const bad = pathIdProblem(r.patient) ?? pathIdProblem(r.sample);
        if (bad) return `ID ${JSON.stringify(r.patient)}/${JSON.stringify(r.sample)} ${bad}`;
        if (!Number.isFinite(r.collectionDay) || r.collectionDay > FUZZ_TODAY) return `collection day ${r.collectionDay}`;
      }
      return invariantOfText(rows, 'rows');
    }
    case 'clinical': {
      const rows = readClinical(req.path, new Set(FUZZ_PATIENTS), FUZZ_TODAY);
      for (const r of rows.values())
        if (!FUZZ_PATIENTS.includes(r.patient) || !Number.isFinite(r.therapyStartDay)) return `row ${r.patient} ${r.therapyStart}`;
      return invariantOfText([...rows.values()], 'rows');
    }
    case 'imaging': {
      const rows = readImaging(req.path, new Set(FUZZ_PATIENTS), FUZZ_TODAY);
      for (const r of rows) {
        if (
          !FUZZ_PATIENTS.includes(r.patient) ||
          !Number.isSafeInteger(r.progressingLesions) ||
          r.progressingLesions < 0 ||
          !Number.isSafeInteger(r.newLesions) ||
          r.newLesions < 0
        ) {
          return `row ${r.patient} lesions ${r.progressingLesions}/${r.newLesions}`;
        }
      }
      return invariantOfText(rows, 'rows');
    }
  }
}

export async function runCase(req: CaseRequest): Promise<CaseResult> {
  try {
    const broken = await runTarget(req);
    return broken === null ? { id: req.id, outcome: 'success' } : { id: req.id, outcome: 'wrong', message: broken };
  } catch (e) {
    if (e instanceof UserError) {
      const oneLine = !/[\n\r]/.test(e.message) && e.message.length > 0;
      const namesFile = e.message.includes(req.path);
      return { id: req.id, outcome: oneLine && namesFile ? 'clean' : 'messy', message: e.message };
    }
    const err = e as Error;
    return { id: req.id, outcome: 'internal', message: `${err?.name}: ${err?.message}`.slice(0, 500) };
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: CaseRequest) => {
    void runCase(req).then((result) => port.postMessage(result));
  });
}
