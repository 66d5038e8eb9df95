import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS } from '../../src/count/types.js';
import { UserError } from '../../src/util/errors.js';
import { CORPUS_SITES, makeCorpus, type CorpusEntry } from './fuzz-corpus-make.js';

/**
 * Regression corpus: BAM records that once crashed, hung, or gave a silent wrong count, stored
 * as bytes in test-data/fuzz-corpus/bam-records/ (how each was made: fuzz-corpus-make.ts). Each
 * file is counted by both engines, in both mate modes and with UMI collapsing on: the listed
 * error as one clean line, or equal counts.
 */

const DIR = resolve('test-data/fuzz-corpus/bam-records');
if (process.env.OLIGOTRACK_MAKE_CORPUS === '1') makeCorpus(DIR);
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as CorpusEntry[];

describe('BAM record regression corpus', () => {
  it('lists every file of the directory in manifest.json', () => {
    const files = readdirSync(DIR)
      .filter((f) => f !== 'manifest.json')
      .sort();
    expect(files).toEqual(manifest.map((e) => e.file).sort());
  });

  for (const entry of manifest) {
    it(`${entry.file}: ${entry.what}`, async () => {
      const path = join(DIR, entry.file);
      for (const settings of [
        DEFAULT_COUNT_SETTINGS,
        { ...DEFAULT_COUNT_SETTINGS, mates: 'reads' as const },
        { ...DEFAULT_COUNT_SETTINGS, umi: true },
      ]) {
        const outcomes = [];
        for (const engine of ['wasm', 'oracle'] as const) {
          try {
            const r = await countBam(path, CORPUS_SITES, settings, { engine, observations: true });
            outcomes.push({ rows: r.rows, seen: r.readsSeen, observations: r.observations });
          } catch (e) {
            if (!(e instanceof UserError)) throw e;
            outcomes.push({ error: e.message });
          }
        }
        expect(outcomes[0], `${entry.file}: WASM and oracle`).toEqual(outcomes[1]);
        const o = outcomes[0];
        if (entry.error) {
          expect('error' in o ? o.error : 'counted', entry.file).toMatch(
            new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*${entry.error}`),
          );
          expect((o as { error: string }).error).not.toContain('\n');
        } else {
          expect('rows' in o, `${entry.file} counts`).toBe(true);
          const rows = (o as { rows: { depth: number; meanFragLenRef: number; meanFragLenAlt: number }[] }).rows;
          // Every site has reads in the intact file; no mean is negative or above 2^31 - 1.
          expect(
            rows.every((r) => r.depth > 0),
            entry.file,
          ).toBe(true);
          for (const r of rows)
            for (const m of [r.meanFragLenRef, r.meanFragLenAlt])
              if (!Number.isNaN(m)) {
                expect(m).toBeGreaterThanOrEqual(0);
                expect(m).toBeLessThanOrEqual(2 ** 31 - 1);
              }
        }
      }
    });
  }
});
