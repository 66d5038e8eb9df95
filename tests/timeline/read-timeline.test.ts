/** Reading a patient timeline back: the change test's settings, present, absent or wrong. */
import { describe, expect, it } from 'vitest';
import { parsePatientTimeline } from '../../src/timeline/read.js';
import { DEFAULT_EVENT_SETTINGS } from '../../src/timeline/types.js';
import { UserError } from '../../src/util/errors.js';
import { makeTimeline } from './fixtures.js';

const written = makeTimeline('P1', [
  { sample: 'P1_d0', date: '2026-01-05', counts: { TP53_R175H: [30, 3000] } },
  { sample: 'P1_d1', date: '2026-03-05', counts: { TP53_R175H: [31, 3000] } },
]);

describe('parsePatientTimeline: event_settings', () => {
  it('keeps the settings track wrote', () => {
    const t = parsePatientTimeline(
      JSON.stringify({ ...written, event_settings: { alpha: 0.05, min_fold: 3, clonal_min_relative_vaf: 0.4 } }),
      'p.json',
    );
    expect(t.event_settings).toEqual({ alpha: 0.05, min_fold: 3, clonal_min_relative_vaf: 0.4 });
  });

  it("a timeline written without them gets track's defaults (classify recomputes events with them)", () => {
    const { event_settings: _omitted, ...rest } = written;
    const t = parsePatientTimeline(JSON.stringify(rest), 'p.json');
    expect(t.event_settings).toEqual(DEFAULT_EVENT_SETTINGS);
  });

  it('settings out of range: one clear error naming the file and the field', () => {
    const bad = JSON.stringify({ ...written, event_settings: { alpha: 2, min_fold: 2, clonal_min_relative_vaf: 0.5 } });
    expect(() => parsePatientTimeline(bad, 'dir/patients/P1.json')).toThrow(UserError);
    expect(() => parsePatientTimeline(bad, 'dir/patients/P1.json')).toThrow(/dir\/patients\/P1\.json.*event_settings\.alpha/);
  });
});
