import { describe, expect, it } from 'vitest';
import { MateTable } from '../../src/count/mate-table.js';
import { rng } from './random-bam.js';

describe('MateTable', () => {
  it('behaves as a Map keyed by (site, hash) under random put/take, with growth and deletion', () => {
    const r = rng(5);
    const table = new MateTable(8);
    const model = new Map<string, [number, number, number]>();
    for (let i = 0; i < 20_000; i++) {
      // Few distinct keys so that takes hit often and probe runs wrap and shift.
      const site = Math.floor(r() * 3);
      const hi = Math.floor(r() * 50) - 25;
      const lo = Math.floor(r() * 40) | 0;
      const key = `${site}/${hi}/${lo}`;
      const took = table.takeOrPut(site, hi, lo, i, i * 2, i * 3);
      const got = took ? [table.foundCode, table.foundFlag, table.foundFrag] : null;
      const want = model.get(key) ?? null;
      if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, `step ${i}`).toEqual(want);
      if (want) model.delete(key);
      else model.set(key, [i, i * 2, i * 3]);
      if (table.size !== model.size) expect(table.size, `step ${i}`).toBe(model.size);
    }
    const left: number[] = [];
    table.forEach((_site, code) => left.push(code));
    expect(left.sort((a, b) => a - b)).toEqual([...model.values()].map((v) => v[0]).sort((a, b) => a - b));
  });
});
