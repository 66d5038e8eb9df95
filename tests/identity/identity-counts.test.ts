import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countSites } from '../../src/app/count-sample.js';
import { GENOME_BUILDS } from '../../src/count/genome-build.js';
import { checkPatientIdentity } from '../../src/identity/concordance.js';
import { identitySampleFromCounts } from '../../src/identity/from-counts.js';
import { loadIdentitySnps } from '../../src/reference/identity-snps.js';
import { identityGenotypeSites } from '../../src/simulate/identity-genotypes.js';
import { simulateToBam } from '../../src/simulate/simulate.js';
import { DEFAULT_SIMULATION } from '../../src/simulate/spec.js';

/**
 * From BAMs to the identity check: draws simulated with a patient's germline genotypes at the
 * bundled identity SNPs, counted with `--sites panel:identity`, one tube simulated from another
 * patient. The counting, the site loading and the check are the real ones.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refs = GENOME_BUILDS.GRCh38.contigs.filter((c) => c.name !== 'MT').map((c) => ({ name: `chr${c.name}`, length: c.length }));

function draw(name: string, person: string): string {
  const bam = join(dir, `${name}.bam`);
  const sites = identityGenotypeSites(person, 'GRCh38').map((s) => ({ ...s, chrom: `chr${s.chrom.replace(/^chr/, '')}` }));
  simulateToBam({ ...DEFAULT_SIMULATION, sample: name, seed: name.length * 7919 + name.charCodeAt(0), refs, sites, depth: 120 }, bam);
  return bam;
}

describe('identity from counted BAMs', () => {
  it('panel:identity counts every bundled SNP; a tube from another patient is flagged', async () => {
    const ids = new Set(loadIdentitySnps().map((s) => s.rsid));
    const verifiedCount = loadIdentitySnps(undefined, { includeUnverified: true }).filter((s) => s.verified).length;
    expect(ids.size).toBe(verifiedCount);
    const tubes = [
      ['PT01_C1D1', 'PT01'],
      ['PT01_C3D1', 'PT01'],
      ['PT01_C5D1', 'PT02'],
      ['PT01_PROG', 'PT01'],
    ] as const;
    const samples = [];
    for (const [name, person] of tubes) {
      const counts = await countSites(draw(name, person), ['panel:identity']);
      expect(counts.rows).toHaveLength(ids.size);
      expect(counts.rows.every((r) => r.depth > 60)).toBe(true);
      samples.push(identitySampleFromCounts(name, 'draw', counts.rows, ids));
    }
    const result = checkPatientIdentity('PT01', samples);
    expect(result.status).toBe('discordant');
    expect(result.samples.map((s) => [s.sample, s.status])).toEqual([
      ['PT01_C1D1', 'concordant'],
      ['PT01_C3D1', 'concordant'],
      ['PT01_C5D1', 'discordant'],
      ['PT01_PROG', 'concordant'],
    ]);
    // Genotypes called from the counts are the ones the simulator placed.
    const rsids = loadIdentitySnps().map((s) => s.rsid);
    const placed = new Map(identityGenotypeSites('PT01', 'GRCh38').map((s, i) => [rsids[i], s.vaf * 2]));
    const called = new Map(result.samples[0].genotypes.map((g) => [g.key, g.genotype]));
    expect(called).toEqual(placed);
  });
});
