import { describe, expect, it } from 'vitest';
import { ponBackgrounds, runTask, type Task, taskSeed } from '../../src/bench/accuracy-tasks.js';
import { buildPon, formatPon } from '../../src/stats/pon.js';
import { SITE } from '../../src/bench/accuracy-tasks.js';

describe('accuracy tasks (parallel, deterministic)', () => {
  const seed = 20_261_127;
  const tasks: Task[] = [0, 1, 2, 3].map((rep) => ({ kind: 'site', arm: 'umi', depth: 1000, vaf: 0.01, rep }));

  it('gives each task its own seed from (cell, replicate), and the same result in any order', () => {
    const seeds = new Set(tasks.map((t) => taskSeed(seed, t)));
    expect(seeds.size).toBe(tasks.length);
    expect(taskSeed(seed, { ...tasks[0], vaf: 0.02 })).not.toBe(taskSeed(seed, tasks[0]));
    // A PoN from two simulated normals, as the script builds it.
    const normals = [0, 1].map((rep) => [runTask(seed, { kind: 'pon', arm: 'umi', depth: 2000, vaf: 0, rep }, {}).row!]);
    const text = formatPon(
      buildPon({ sampleNames: ['n1', 'n2'], build: 'unknown', sites: [SITE], siteCounts: normals, settingsText: 't' }),
    );
    const bgs = ponBackgrounds({ umi: text });
    const forward = tasks.map((t) => runTask(seed, t, bgs));
    const backward = [...tasks]
      .reverse()
      .map((t) => runTask(seed, t, bgs))
      .reverse();
    expect(backward).toEqual(forward);
    // Different replicates are different simulations (1% VAF at 1,000 molecules: ~10 alt families each).
    expect(new Set(forward.map((r) => `${r.depth}/${r.alt}`)).size).toBeGreaterThan(1);
  });
});
