import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS, type Site } from '../../src/count/types.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { randomCase } from './random-bam.js';
import { blockFinder, indexedPieces, splitRanges } from '../../src/count/pieces.js';
import { siteSpec, sortSpecs } from '../../src/count/site-model.js';
import { readBamIndex } from '../../src/io/bam-index.js';

/**
 * `threads` splits the BAM into byte ranges counted by worker_threads (the compiled worker in
 * dist/, so `npm run build:ts` must have run — `npm ci` does); every thread count gives the same
 * rows, observations and read totals (cuts inside segments and records: ranges.test.ts).
 * Standard input gives what the file gives.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const WORKER = resolve('dist/count/count-worker.js');

function bigCase() {
  // Three random cases side by side on three contigs' worth of reads: several groups' worth.
  const c = randomCase(77, { reads: 6000, refLength: 3000 });
  const more = randomCase(78, { reads: 60, refLength: 3000 });
  const sites: Site[] = [...c.sites, ...more.sites.filter((s) => s.chrom === 'c1')];
  for (let p = 10; p < 2900; p += 97)
    sites.push({
      chrom: p % 2 ? 'c1' : 'c2',
      pos1: p,
      ref: c.refSeq[p % 2 ? 'c1' : 'c2'][p - 1],
      alt: 'N',
      gene: '',
      protein: '',
      id: `g${p}`,
    });
  return { ...c, sites };
}

describe('threads and stdin', () => {
  const c = bigCase();
  const bam = join(dir, 'big.bam');
  const { bam: bytes, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1 });
  writeFileSync(bam, bytes);
  writeFileSync(`${bam}.bai`, index);

  it('the compiled worker exists (run npm run build:ts)', () => {
    expect(existsSync(WORKER)).toBe(true);
  });

  it('1, 2 and 3 threads give identical results, in both mate modes', async () => {
    for (const mates of ['fragment', 'reads'] as const) {
      const settings = { ...DEFAULT_COUNT_SETTINGS, mates };
      const one = await countBam(bam, c.sites, settings, { threads: 1, observations: true });
      expect(Math.max(...one.rows.map((r) => r.depth))).toBeGreaterThan(50);
      for (const threads of [2, 3]) {
        const specs = sortSpecs(c.sites.map((s, i) => siteSpec(s, i, s.chrom === 'c1' ? 0 : 1)));
        const pieces = indexedPieces(specs, readBamIndex(`${bam}.bai`));
        expect(splitRanges(pieces, threads, statSync(bam).size, blockFinder(bam, statSync(bam).size)).length, 'ranges').toBe(threads);
        const many = await countBam(bam, c.sites, settings, { threads, observations: true });
        expect(many.rows, `${threads} threads, ${mates}`).toEqual(one.rows);
        expect(many.observations, `${threads} threads observations`).toEqual(one.observations);
        expect([many.readsSeen, many.readsPassing]).toEqual([one.readsSeen, one.readsPassing]);
      }
    }
  });

  it('stdin (one sequential pass) gives what the indexed file gives', async () => {
    const file = await countBam(bam, c.sites, DEFAULT_COUNT_SETTINGS);
    const script = `
      import { readBamHeader } from ${JSON.stringify(resolve('dist/io/bam-header.js'))};
      import { countBam } from ${JSON.stringify(resolve('dist/count/count-bam.js'))};
      import { DEFAULT_COUNT_SETTINGS } from ${JSON.stringify(resolve('dist/count/types.js'))};
      const sites = JSON.parse(process.argv[1]);
      const header = await readBamHeader('-');
      const r = await countBam('-', sites, DEFAULT_COUNT_SETTINGS, { header });
      process.stdout.write(JSON.stringify({ rows: r.rows, warnings: r.warnings }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(c.sites)], {
      input: readFileSync(bam),
      maxBuffer: 1 << 26,
    });
    const piped = JSON.parse(out.toString()) as { rows: typeof file.rows; warnings: string[] };
    // NaN means travel as null in JSON.
    expect(piped.rows).toEqual(JSON.parse(JSON.stringify(file.rows)));
    expect(piped.warnings.join(' ')).toMatch(/standard input in one sequential pass/);
  });
});
