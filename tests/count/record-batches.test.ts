import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble, countBam } from '../../src/count/count-bam.js';
import { recordBatchCounter } from '../../src/count/record-batches.js';
import { siteSpec, sortSpecs } from '../../src/count/site-model.js';
import { DEFAULT_COUNT_SETTINGS, type CountSettings } from '../../src/count/types.js';
import { encodeBam } from '../../src/io/bam-writer.js';
import { UserError } from '../../src/util/errors.js';
import { splitBam } from './bam-mutate.js';
import { randomCase, rng } from './random-bam.js';

/**
 * The entry CRAM counting uses (record-batches.ts): BAM records already in memory, handed over in
 * batches that may end anywhere — inside a record's block_size, inside its name, between records.
 * Both engines must give exactly what countBam gives on the same records as a BAM file, and a
 * malformed or unsorted record one line naming the source.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function comparable(r: Awaited<ReturnType<typeof countBam>>) {
  return {
    rows: r.rows.map((x) => ({ ...x, site: x.site.id })),
    readsSeen: r.readsSeen,
    readsPassing: r.readsPassing,
    observations: r.observations,
  };
}

function countBatches(bytes: Buffer, cuts: number[], c: ReturnType<typeof randomCase>, settings: CountSettings, engine: 'wasm' | 'oracle') {
  const refNames = c.refs.map((r) => r.name);
  const sorted = sortSpecs(c.sites.map((s, i) => siteSpec(s, i, refNames.indexOf(s.chrom))));
  const counter = recordBatchCounter({ sorted, settings, engine, observations: true, source: 'x.cram', refNames });
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (counter.finished) break;
    counter.add(bytes.subarray(at, cut), cut - at);
    at = cut;
  }
  return assemble('x.cram', c.sites, settings, { observations: true }, [], counter.result(), 'unknown');
}

describe('record batches (the CRAM entry into the kernel)', () => {
  it('120 random BAMs cut into batches anywhere: both engines equal countBam', async () => {
    for (let seed = 1; seed <= 120; seed++) {
      const c = randomCase(seed);
      const bam = encodeBam({ refs: c.refs }, c.records, { level: 1 });
      const path = join(dir, `b${seed % 10}.bam`);
      writeFileSync(path, bam);
      const records = Buffer.concat(splitBam(bam).records);
      const r = rng(seed * 7919);
      const cuts = Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * records.length)).sort((a, b) => a - b);
      const settings: CountSettings = { ...DEFAULT_COUNT_SETTINGS, mates: seed % 2 ? 'fragment' : 'reads' };
      let expected: ReturnType<typeof comparable> | string;
      try {
        expected = comparable(await countBam(path, c.sites, settings, { observations: true }));
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        expected = 'error';
      }
      for (const engine of ['wasm', 'oracle'] as const) {
        const got = comparable(countBatches(records, cuts, c, settings, engine));
        expect(got, `seed ${seed} ${engine} cuts ${cuts.join(',')}`).toEqual(expected);
      }
    }
  });

  it('a malformed record and an unsorted pair: one line naming the source, both engines alike', () => {
    const c = randomCase(3);
    const { records } = splitBam(encodeBam({ refs: c.refs }, c.records, { level: 1 }));
    const broken = records.map((b) => Buffer.from(b));
    broken[1].writeInt32LE(99, 4); // refID outside the two references
    const unsorted = [records[1], records[0], ...records.slice(2)].map((b) => Buffer.from(b));
    // The random case's first two records are at different positions (else swapping proves nothing).
    expect(records[0].readInt32LE(8)).not.toBe(records[1].readInt32LE(8));
    const settings = { ...DEFAULT_COUNT_SETTINGS, mates: 'reads' as const };
    for (const engine of ['wasm', 'oracle'] as const) {
      const fail = (bytes: Buffer): string => {
        try {
          countBatches(bytes, [5], c, settings, engine);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          return e.message;
        }
        return 'counted';
      };
      const m1 = fail(Buffer.concat(broken));
      expect(m1, engine).toMatch(/^x\.cram: corrupt CRAM: the decoded record at byte \d+ of the decoded records is malformed: .*refID 99/);
      const m2 = fail(Buffer.concat(unsorted));
      expect(m2, engine).toMatch(/^x\.cram: CRAM is not sorted by coordinate: read \S+ at c\d:\d+ comes after a later position/);
      const m3 = fail(Buffer.concat(records).subarray(0, records[0].length + 10));
      expect(m3, engine).toBe('x.cram: corrupt CRAM: the decoded records end inside a record');
      for (const m of [m1, m2, m3]) expect(m).not.toContain('\n');
    }
  });
});
