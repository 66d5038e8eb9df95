import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { simulateToBam } from '../simulate/simulate.js';
import { formatTruthTsv, type SimulationSpec } from '../simulate/spec.js';

export interface DemoBamJob {
  spec: SimulationSpec;
  bamPath: string;
  /** sha256 of the spec: stored beside the BAM so a later demo can reuse it. */
  hash: string;
}

export function stampPath(bamPath: string): string {
  return `${bamPath}.spec-sha256`;
}

/** True when BAM, index and stamp exist and the stamp matches the spec: nothing to simulate. */
export function demoBamIsCurrent(job: DemoBamJob): boolean {
  const stamp = stampPath(job.bamPath);
  return existsSync(job.bamPath) && existsSync(`${job.bamPath}.bai`) && existsSync(stamp) && readFileSync(stamp, 'utf8') === job.hash;
}

/**
 * Simulates one BAM under a temporary name, then renames index and BAM into place and writes the
 * stamp last: a kill at any point leaves either no stamp (redone next time) or a complete BAM.
 */
export function simulateDemoBam(job: DemoBamJob): void {
  const { bamPath } = job;
  const tmp = `${bamPath}.tmp-${process.pid}-${Math.random().toString(16).slice(2, 10)}.bam`;
  try {
    rmSync(stampPath(bamPath), { force: true });
    const { truth } = simulateToBam(job.spec, tmp);
    writeFileSync(bamPath.replace(/\.bam$/, '.truth.tsv'), formatTruthTsv(truth));
    renameSync(`${tmp}.bai`, `${bamPath}.bai`);
    renameSync(tmp, bamPath);
    writeFileSync(stampPath(bamPath), job.hash);
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.bai`, { force: true });
  }
}
