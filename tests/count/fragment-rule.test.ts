import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { AlleleCode, DEFAULT_COUNT_SETTINGS, type ObservationTable } from '../../src/count/types.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { randomCase } from './random-bam.js';

/**
 * The mate rule, recomputed the plain way from the per-read observation table (group the rows of
 * a site by read name hash; two rows = a fragment), must give the fragment-mode counts of
 * countBam (whose tally streams rows through a hash table and uses mate positions to decide
 * early which reads will never meet their mate).
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-fragrule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIN_Q = 20;
const passes = (q: number): boolean => q === 255 || q >= MIN_Q;

function expectedFragments(t: ObservationTable, nSites: number) {
  const e = Array.from({ length: nSites }, () => ({ depth: 0, ref: 0, alt: 0, other: 0, discordant: 0, altFwd: 0, altRev: 0 }));
  const groups = new Map<string, number[]>();
  for (let i = 0; i < t.length; i++) {
    const paired = (t.flag[i] & 1) !== 0;
    const key = paired ? `${t.site[i]}/${t.nameHashHi[i]}/${t.nameHashLo[i]}` : `single/${i}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const one = (i: number, qual = t.qual[i]): void => {
    if (!passes(qual)) return;
    const s = e[t.site[i]];
    s.depth++;
    if (t.allele[i] === AlleleCode.REF) s.ref++;
    else if (t.allele[i] === AlleleCode.ALT) {
      s.alt++;
      if (t.flag[i] & 0x10) s.altRev++;
      else s.altFwd++;
    } else s.other++;
  };
  for (const rows of groups.values()) {
    if (rows.length === 1) one(rows[0]);
    else {
      expect(rows.length).toBe(2);
      let [a, b] = rows;
      if (t.flag[b] & 0x40 && !(t.flag[a] & 0x40)) [a, b] = [b, a];
      if (t.allele[a] === t.allele[b]) {
        one(a, t.qual[a] === 255 || t.qual[b] === 255 ? 255 : Math.min(200, t.qual[a] + t.qual[b]));
      } else if (passes(t.qual[a]) && passes(t.qual[b])) e[t.site[a]].discordant++;
      else if (passes(t.qual[a])) one(a);
      else if (passes(t.qual[b])) one(b);
    }
  }
  return e;
}

describe('fragment mode equals the mate rule applied to the observation table', () => {
  it('on 150 random BAMs', async () => {
    let merged = 0;
    for (let seed = 5000; seed < 5150; seed++) {
      const c = randomCase(seed, { reads: 120, refLength: 300 });
      const bam = join(dir, `f${seed % 10}.bam`);
      const { bam: bytes, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1 });
      writeFileSync(bam, bytes);
      writeFileSync(`${bam}.bai`, index);
      const r = await countBam(bam, c.sites, DEFAULT_COUNT_SETTINGS, { observations: true });
      const want = expectedFragments(r.observations!, c.sites.length);
      r.rows.forEach((row, i) => {
        const got = {
          depth: row.depth,
          ref: row.refCount,
          alt: row.altCount,
          other: row.otherCount,
          discordant: row.discordantMates,
          altFwd: row.altFwd,
          altRev: row.altRev,
        };
        expect(got, `seed ${seed} site ${i}`).toEqual(want[i]);
      });
      const reads = await countBam(bam, c.sites, { ...DEFAULT_COUNT_SETTINGS, mates: 'reads' });
      merged += reads.rows.reduce((n, x) => n + x.depth, 0) - r.rows.reduce((n, x) => n + x.depth, 0);
    }
    expect(merged).toBeGreaterThan(150); // fragments really were merged
  }, 300_000);
});
