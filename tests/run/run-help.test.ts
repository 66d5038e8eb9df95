import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

// `run` counts each patient's samplesheet `vcf` exactly as `track` does (tumour-informed sites),
// so its --help must name that column; it used to list only timepoint,therapy,normal.
describe('oligotrack run --help', () => {
  it('lists the optional vcf column of the samplesheet, as track --help does', () => {
    const run = spawnSync(process.execPath, [CLI, 'run', '--help'], { encoding: 'utf8' });
    const track = spawnSync(process.execPath, [CLI, 'track', '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(track.status).toBe(0);
    const columns = /patient,sample,collection_date,bam\[[^\]]*\]/;
    const runColumns = run.stdout.replace(/\s+/g, ' ').match(columns)?.[0];
    const trackColumns = track.stdout.replace(/\s+/g, ' ').match(columns)?.[0];
    expect(runColumns).toContain(',vcf,');
    expect(runColumns).toBe(trackColumns);
  });
});
