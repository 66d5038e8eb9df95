import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS, type CountSettings } from '../../src/count/types.js';
import { encodeBam, encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { UserError } from '../../src/util/errors.js';
import { joinBam, mutateStream, splitBam } from './bam-mutate.js';
import { randomCase, rng } from './random-bam.js';

/**
 * WASM kernel == plain-TS oracle on many small random BAMs, for both mate modes, with and without
 * an index (indexed chunk reading vs one sequential pass must not change a count).
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = Number(process.env.OLIGOTRACK_PROPERTY_CASES ?? 600);

function comparable(result: Awaited<ReturnType<typeof countBam>>) {
  return {
    rows: result.rows.map((r) => ({ ...r, site: r.site.id })),
    readsSeen: result.readsSeen,
    readsPassing: result.readsPassing,
    observations: result.observations,
  };
}

describe('WASM scan equals the oracle on random BAMs', () => {
  it(`${CASES} random BAMs, fragment and reads modes, indexed and sequential`, async () => {
    let sitesWithReads = 0;
    let altSeen = 0;
    let discordantSeen = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const c = randomCase(seed);
      const header = { refs: c.refs };
      const indexed = join(dir, `i${seed % 50}.bam`);
      const plain = join(dir, `p${seed % 50}.bam`);
      // Odd seeds use a CSI index (own parser, loffset pruning), even seeds a BAI.
      const kind = seed % 2 ? 'csi' : 'bai';
      const { bam, index } = encodeBamWithIndex(header, c.records, { level: 1, index: kind });
      writeFileSync(indexed, bam);
      writeFileSync(`${indexed}.${kind}`, index);
      writeFileSync(plain, bam); // same bytes, no index: one sequential pass
      for (const mates of ['fragment', 'reads'] as const) {
        const settings: CountSettings = { ...DEFAULT_COUNT_SETTINGS, mates, minBaseq: seed % 3 === 0 ? 0 : 20 };
        const wasm = await countBam(indexed, c.sites, settings, { engine: 'wasm', observations: true });
        const oracle = await countBam(indexed, c.sites, settings, { engine: 'oracle', observations: true });
        const w = comparable(wasm);
        expect(w, `seed ${seed} mates ${mates} wasm vs oracle`).toEqual(comparable(oracle));
        if (mates === 'reads') {
          const sequential = await countBam(plain, c.sites, settings, { engine: 'wasm', observations: true });
          expect(sequential.warnings.join(' '), 'no index → sequential pass').toMatch(/sequential/);
          expect(w, `seed ${seed} indexed vs sequential`).toEqual(comparable(sequential));
        }
        if (mates === 'fragment') {
          sitesWithReads += wasm.rows.filter((r) => r.depth > 0).length;
          altSeen += wasm.rows.filter((r) => r.altCount > 0).length;
          discordantSeen += wasm.rows.filter((r) => r.discordantMates > 0).length;
        }
      }
    }
    // The generator must exercise what it claims to: covered sites, alt reads, discordant mates.
    expect(sitesWithReads).toBeGreaterThan(CASES);
    expect(altSeen).toBeGreaterThan(CASES / 10);
    expect(discordantSeen).toBeGreaterThan(10);
  }, 400_000);
});

describe('WASM scan equals the oracle on random BAMs with a malformed record', () => {
  it(`${Math.ceil(CASES / 3)} random BAMs, one record made hostile: same counts or the same one-line error`, async () => {
    let errors = 0;
    for (let seed = 1; seed <= Math.ceil(CASES / 3); seed++) {
      const c = randomCase(5000 + seed);
      const mutated = mutateStream(rng(seed), splitBam(encodeBam({ refs: c.refs }, c.records, { level: 1 })), c.refs.length);
      const path = join(dir, `bad${seed % 50}.bam`);
      writeFileSync(path, joinBam(mutated.parts));
      const settings: CountSettings = { ...DEFAULT_COUNT_SETTINGS, mates: seed % 2 ? 'fragment' : 'reads' };
      const outcome = async (engine: 'wasm' | 'oracle') => {
        try {
          return comparable(await countBam(path, c.sites, settings, { engine, observations: true }));
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          return { error: e.message };
        }
      };
      const w = await outcome('wasm');
      if ('error' in w) errors++;
      expect(w, `seed ${seed} (${mutated.what})`).toEqual(await outcome('oracle'));
    }
    expect(errors).toBeGreaterThan(CASES / 12);
  }, 400_000);
});
