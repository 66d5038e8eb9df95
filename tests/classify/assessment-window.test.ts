import { describe, expect, it } from 'vitest';
import { assessmentWindow, intervalWords, linesFromDraws } from '../../src/classify/assessment-window.js';
import type { TherapyLine } from '../../src/classify/context.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { isoDateToDay } from '../../src/io/csv-schema.js';

const rules = loadPolicy().policy.rules;
const SCAN = isoDateToDay('2026-03-01');
const dayIso = (offset: number) => new Date((SCAN + offset) * 86_400_000).toISOString().slice(0, 10);
const draws = (...offsets: number[]) => offsets.map((o, i) => ({ sample: `d${i}`, collection_date: dayIso(o) }));
const line = (therapy: string, offset: number): TherapyLine => ({
  therapy,
  therapyClass: 'endocrine+CDK4/6i',
  start: dayIso(offset),
  startDay: SCAN + offset,
});

describe('assessment window', () => {
  it('is asymmetric: 60 days before to 28 days after the scan, both ends included', () => {
    const w = assessmentWindow(draws(-200, -61, -60, -3, 0, 28, 29), SCAN, [], rules);
    expect(w.draws.map((d) => [d.sample, d.daysFromScan])).toEqual([
      ['d2', -60],
      ['d3', -3],
      ['d4', 0],
      ['d5', 28],
    ]);
    expect(w.baselineIdx).toEqual([0, 1]);
    expect(w.usedIdx).toEqual([0, 1, 2, 3, 4, 5]);
    expect(w.nearest!.sample).toBe('d4');
    expect(w.problem).toBeNull();
    expect(w.linesFrom).toBe('none');
  });

  it('the work-up draw days after the scan counts and shows its interval', () => {
    const w = assessmentWindow(draws(-200, -100, 5), SCAN, [line('letrozole+palbociclib', -400)], rules);
    expect(w.draws.map((d) => d.sample)).toEqual(['d2']);
    expect(w.intervalText).toBe('d2 5 days after the scan');
  });

  it('never crosses a change of therapy: before, the window starts at the current line; after, it stops the day before the next line', () => {
    const history = [line('letrozole+palbociclib', -500), line('fulvestrant+abemaciclib', -20), line('capecitabine', 10)];
    const w = assessmentWindow(draws(-300, -40, -20, -5, 9, 10, 20), SCAN, history, rules);
    expect(w.currentLine!.therapy).toBe('fulvestrant+abemaciclib');
    expect(w.nextLine!.therapy).toBe('capecitabine');
    // A draw on the day a line starts belongs to that line (drawn before the first dose).
    expect(w.draws.map((d) => d.sample)).toEqual(['d2', 'd3', 'd4']);
    expect(w.earlierLineIdx).toEqual([0, 1]);
    expect(w.baselineIdx).toEqual([]);
    expect(w.usedIdx).toEqual([0, 1, 2, 3, 4]);
    expect(w.fromDay).toBe(SCAN - 20);
    expect(w.toDay).toBe(SCAN + 9);
  });

  it('no draw in the window: the reason names the last draw before it and a draw after the change of therapy', () => {
    const history = [line('letrozole+palbociclib', -500), line('fulvestrant+abemaciclib', 5)];
    const w = assessmentWindow(draws(-200, -111, 12), SCAN, history, rules);
    expect(w.draws).toEqual([]);
    expect(w.problem).toBe(
      `no ctDNA draw in the window (60 days before to 28 days after the scan, up to the change of therapy on ${dayIso(5)}: ${dayIso(-60)} to ${dayIso(4)}); ` +
        `last draw ${dayIso(-111)}, 111 days before the scan; d2 (12 days after the scan) is after the change of therapy to fulvestrant+abemaciclib on ${dayIso(5)}`,
    );
  });

  it('without a clinical history, lines come from the samplesheet therapy column', () => {
    const d = [
      { sample: 'a', collection_date: dayIso(-300), therapy: 'letrozole+palbociclib' },
      { sample: 'b', collection_date: dayIso(-100), therapy: 'letrozole+palbociclib' },
      { sample: 'c', collection_date: dayIso(-50), therapy: 'fulvestrant' },
      { sample: 'e', collection_date: dayIso(-10), therapy: 'fulvestrant' },
    ];
    expect(linesFromDraws(d).map((l) => [l.therapy, l.start])).toEqual([
      ['letrozole+palbociclib', dayIso(-300)],
      ['fulvestrant', dayIso(-50)],
    ]);
    const w = assessmentWindow(d, SCAN, [], rules);
    expect(w.linesFrom).toBe('samplesheet');
    expect(w.currentLine!.therapy).toBe('fulvestrant');
    expect(w.earlierLineIdx).toEqual([0, 1]);
    expect(w.draws.map((x) => x.sample)).toEqual(['c', 'e']);
  });

  it('interval words', () => {
    expect([intervalWords(-3), intervalWords(1), intervalWords(0), intervalWords(-1)]).toEqual([
      '3 days before the scan',
      '1 day after the scan',
      'on the day of the scan',
      '1 day before the scan',
    ]);
  });
});
