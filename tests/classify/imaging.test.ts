import { describe, expect, it } from 'vitest';
import { imagingModifiers, oligoCount } from '../../src/classify/imaging.js';
import { loadPolicy } from '../../src/classify/policy.js';

const m = loadPolicy().policy.modifiers;

describe('new lesions and organs', () => {
  it('new lesions are progressing lesions: the oligo count is the larger of the two', () => {
    expect(oligoCount({ progressingLesions: 2, newLesions: 0 }, m)).toBe(2);
    expect(oligoCount({ progressingLesions: 2, newLesions: 6 }, m)).toBe(6);
    expect(oligoCount({ progressingLesions: 2, newLesions: 6 }, { new_lesions: { ...m.new_lesions, count_as_progressing: false } })).toBe(
      2,
    );
  });

  it('shown as modifiers with their sources, never as a group', () => {
    const mods = imagingModifiers({ progressingLesions: 2, newLesions: 2, sites: ['bone', 'liver'] }, m);
    expect(mods.map((x) => [x.id, x.text])).toEqual([
      ['new_lesions', '2 new lesions on the current therapy'],
      ['multi_organ', 'progression in 2 organ sites (bone, liver)'],
    ]);
    for (const x of mods) expect(x.source.length).toBeGreaterThan(20);
    expect(imagingModifiers({ progressingLesions: 1, newLesions: 3, sites: ['bone'] }, m)[0].text).toBe(
      '3 new lesions on the current therapy (more than the 1 progressing lesions given: counted as progressing)',
    );
    expect(imagingModifiers({ progressingLesions: 1, newLesions: 0, sites: ['bone'] }, m)).toEqual([]);
  });
});
