import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { lastMerge } from '../../src/count/merge.js';
import { DEFAULT_COUNT_SETTINGS, type CountSettings, type Site } from '../../src/count/types.js';
import { encodeBam, encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { BGZF_EOF, bgzfBlock } from '../../src/io/bgzf-writer.js';
import type { SamRecord } from '../../src/io/sam-record.js';
import { requireTools } from '../helpers/requires.js';
import { inflateAll } from './bam-mutate.js';
import { randomCase } from './random-bam.js';

/**
 * Threads split the BAM by byte ranges; a range boundary may fall inside an index segment, at a
 * BGZF block in the middle of a record, between the two mates of a pair, or inside a record that
 * spans several blocks. Whatever the cut, the counts must be exactly those of one range. `ranges`
 * forces the cuts on one thread (every path of the merge, deterministic); `threads` runs them on
 * worker threads. lastMerge reports which paths a count took, so the test can demand each.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same BAM content re-compressed in blocks of `chunk` bytes: records straddle blocks. */
function reblock(bam: Buffer, chunk: number): Buffer {
  const raw = inflateAll(bam);
  const parts: Buffer[] = [];
  for (let at = 0; at < raw.length; at += chunk) parts.push(bgzfBlock(raw.subarray(at, Math.min(raw.length, at + chunk)), 1));
  parts.push(BGZF_EOF);
  return Buffer.concat(parts);
}

function comparable(r: Awaited<ReturnType<typeof countBam>>) {
  return {
    rows: r.rows.map((x) => ({ ...x, site: x.site.id })),
    readsSeen: r.readsSeen,
    readsPassing: r.readsPassing,
    observations: r.observations,
  };
}

/** A deep random case: many pairs, every site covered by pairs whose mates straddle cuts. */
function deepCase(seed: number, longReads = 0) {
  const c = randomCase(seed, { reads: 4000, refLength: 3000 });
  const sites: Site[] = [...c.sites];
  for (let p = 20; p < 2900; p += 61)
    sites.push({
      chrom: p % 2 ? 'c1' : 'c2',
      pos1: p,
      ref: c.refSeq[p % 2 ? 'c1' : 'c2'][p - 1],
      alt: 'N',
      gene: '',
      protein: '',
      id: `g${p}`,
    });
  const records: SamRecord[] = [...c.records];
  for (let k = 0; k < longReads; k++) {
    // Records of ~45 KB: with small blocks, several blocks hold no record start at all.
    const len = 30000;
    const pos1 = 100 + k * 700;
    // Random bases and qualities: they stay large once compressed, so that cuts land in them.
    let seq = '';
    let qual = '';
    for (let i = 0; i < len; i++) {
      const h = Math.imul(i + 1, 2654435761) ^ Math.imul(k + 7, 40503);
      seq += 'ACGT'[(h >>> 13) & 3];
      qual += String.fromCharCode(35 + ((h >>> 17) % 40));
    }
    records.push({ qname: `long${k}`, flag: 0, rname: 'c1', pos1, mapq: 60, cigar: `${len}M`, rnext: '*', pnext1: 0, tlen: 0, seq, qual });
  }
  return { refs: c.refs, records, sites };
}

async function expectSameForEveryCut(
  path: string,
  sites: Site[],
  counts: number[],
  what: string,
  settings: CountSettings[],
): Promise<(typeof lastMerge)[]> {
  const seen: (typeof lastMerge)[] = [];
  for (const s of settings) {
    const one = comparable(await countBam(path, sites, s, { observations: true }));
    for (const ranges of counts) {
      const cut = comparable(await countBam(path, sites, s, { observations: true, ranges }));
      seen.push({ ...lastMerge });
      expect(cut, `${what}: ${ranges} ranges, mates ${s.mates}`).toEqual(one);
    }
  }
  return seen;
}

const BOTH: CountSettings[] = [DEFAULT_COUNT_SETTINGS, { ...DEFAULT_COUNT_SETTINGS, mates: 'reads' }];

describe('byte ranges give exactly the counts of one range', () => {
  it('sequential pass, records straddling small blocks: every cut verified against the previous range', async () => {
    const c = deepCase(301);
    const path = join(dir, 'straddle.bam');
    writeFileSync(path, reblock(encodeBam({ refs: c.refs }, c.records, { level: 1 }), 3000));
    const paths = await expectSameForEveryCut(path, c.sites, [2, 3, 5, 8], 'straddling records', BOTH);
    expect(
      paths.reduce((n, m) => n + m.verified, 0),
      'cuts verified',
    ).toBeGreaterThan(10);
  });

  it('records spanning several blocks: a cut with no record start is recounted from the exact offset', async () => {
    const c = deepCase(302, 4);
    const path = join(dir, 'long.bam');
    writeFileSync(path, reblock(encodeBam({ refs: c.refs }, c.records, { level: 1 }), 4000));
    const paths = await expectSameForEveryCut(path, c.sites, [3, 7, 16], 'long records', [DEFAULT_COUNT_SETTINGS]);
    expect(
      paths.reduce((n, m) => n + m.recounted, 0),
      'ranges recounted',
    ).toBeGreaterThan(0);
  });

  it('indexed BAM: ranges at segment ends, and worker threads', async () => {
    const c = deepCase(303);
    const path = join(dir, 'indexed.bam');
    const { bam, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1 });
    writeFileSync(path, bam);
    writeFileSync(`${path}.bai`, index);
    await expectSameForEveryCut(path, c.sites, [2, 4], 'indexed', BOTH);
    const one = comparable(await countBam(path, c.sites, DEFAULT_COUNT_SETTINGS, { observations: true }));
    for (const threads of [2, 3]) {
      expect(
        comparable(await countBam(path, c.sites, DEFAULT_COUNT_SETTINGS, { observations: true, threads })),
        `${threads} threads`,
      ).toEqual(one);
    }
  });

  it.skipIf(!requireTools('samtools'))(
    'indexed, small blocks (samtools index): cuts inside segments, dropped when the previous part stopped',
    async () => {
      const c = deepCase(304);
      const path = join(dir, 'indexed-small.bam');
      writeFileSync(path, reblock(encodeBam({ refs: c.refs }, c.records, { level: 1 }), 2500));
      execFileSync('samtools', ['index', path]);
      const paths = await expectSameForEveryCut(path, c.sites, [2, 3, 6, 10], 'indexed small blocks', BOTH);
      expect(
        paths.reduce((n, m) => n + m.cuts, 0),
        'cuts inside segments',
      ).toBeGreaterThan(5);
      expect(paths.reduce((n, m) => n + m.dropped, 0) + paths.reduce((n, m) => n + m.verified, 0)).toBeGreaterThan(5);
    },
  );

  it('both inflaters give the same counts on cut ranges', async () => {
    const c = deepCase(305);
    const path = join(dir, 'inflaters.bam');
    writeFileSync(path, reblock(encodeBam({ refs: c.refs }, c.records, { level: 6 }), 5000));
    const wasm = comparable(await countBam(path, c.sites, DEFAULT_COUNT_SETTINGS, { observations: true, ranges: 4 }));
    const zlib = comparable(await countBam(path, c.sites, DEFAULT_COUNT_SETTINGS, { observations: true, ranges: 4, inflater: 'zlib' }));
    expect(zlib).toEqual(wasm);
    expect(wasm.rows.some((r) => r.depth > 20)).toBe(true);
  });
});
