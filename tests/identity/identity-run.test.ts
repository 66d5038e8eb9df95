import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENOME_BUILDS } from '../../src/count/genome-build.js';
import { identityGenotypeSites } from '../../src/simulate/identity-genotypes.js';
import { simulateToBam } from '../../src/simulate/simulate.js';
import { DEFAULT_SIMULATION } from '../../src/simulate/spec.js';

/**
 * A swapped tube through the whole pipeline: three draws of one patient counted at the bundled
 * identity SNPs by `oligotrack run`, the draw before the scan taken from another person. The
 * assessment must be indeterminate for that reason, in the classification, the timeline, the
 * patient's report page and the MultiQC table.
 */

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-identity-run-'));
afterAll(() => {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
});

const refs = GENOME_BUILDS.GRCh38.contigs.filter((c) => c.name !== 'MT').map((c) => ({ name: `chr${c.name}`, length: c.length }));

function draw(name: string, person: string): string {
  const bam = join(dir, `${name}.bam`);
  const sites = identityGenotypeSites(person, 'GRCh38').map((s) => ({ ...s, chrom: `chr${s.chrom.replace(/^chr/, '')}` }));
  simulateToBam(
    { ...DEFAULT_SIMULATION, sample: name, seed: name.length * 104729 + name.charCodeAt(name.length - 1), refs, sites, depth: 120 },
    bam,
  );
  return bam;
}

describe('a swapped draw through run', () => {
  it('makes the assessment indeterminate, named in the classification, timeline, report and MultiQC', () => {
    const tubes = [
      ['SW01_D1', 'SW01', '2025-01-10'],
      ['SW01_D2', 'SW01', '2025-03-10'],
      ['SW01_D3', 'SW02', '2025-05-12'],
    ] as const;
    const rows = tubes.map(([name, person, date]) => `SW01,${name},${date},${draw(name, person)}`);
    writeFileSync(join(dir, 'samples.csv'), `patient,sample,collection_date,bam\n${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'clinical.csv'),
      'patient,subtype,therapy,therapy_class,therapy_start\nSW01,HR+/HER2-,letrozole+palbociclib,endocrine+CDK4/6i,2025-01-06\n',
    );
    writeFileSync(
      join(dir, 'imaging.csv'),
      'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns\nSW01,2025-05-19,2,0,bone,no,no\n',
    );
    const out = join(dir, 'out');
    const r = spawnSync(
      process.execPath,
      [
        CLI,
        'run',
        '--samplesheet',
        join(dir, 'samples.csv'),
        '--clinical',
        join(dir, 'clinical.csv'),
        '--imaging',
        join(dir, 'imaging.csv'),
        '--sites',
        'panel:identity',
        '--out-dir',
        out,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);

    const [header, row] = readFileSync(join(out, 'classification.tsv'), 'utf8').trim().split('\n');
    const cells = Object.fromEntries(header.split('\t').map((h, i) => [h, row.split('\t')[i]]));
    expect(cells.group).toBe('indeterminate');
    expect(cells.rationale).toContain("SW01_D3 does not match the patient's other draws (possible sample swap)");

    const timeline = JSON.parse(readFileSync(join(out, 'patients', 'SW01.json'), 'utf8'));
    expect(timeline.identity.status).toBe('discordant');
    // The draw that disagrees with both others is the one named; with three draws the other two each
    // have one agreeing and one disagreeing tube, so they are "insufficient", never "discordant".
    const statusOf = new Map(timeline.identity.samples.map((x: { sample: string; status: string }) => [x.sample, x.status]));
    expect([statusOf.get('SW01_D1'), statusOf.get('SW01_D2'), statusOf.get('SW01_D3')]).toEqual([
      'insufficient',
      'insufficient',
      'discordant',
    ]);
    // Identity SNPs are never tracked as tumour sites.
    expect(timeline.sites).toEqual([]);

    const page = readFileSync(join(out, 'report', 'SW01.html'), 'utf8');
    expect(page).toContain('data-group="indeterminate"');
    expect(page).toContain('possible sample swap');

    const mqc = JSON.parse(readFileSync(join(out, 'multiqc', 'oligotrack_draws_mqc.json'), 'utf8'));
    expect(['SW01_D1', 'SW01_D2', 'SW01_D3'].map((s) => mqc.data[s].identity)).toEqual(['insufficient', 'insufficient', 'discordant']);
  }, 240_000);
});
