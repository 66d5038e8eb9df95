import type { ClinicalRow } from '../io/clinical.js';
import type { ImagingRow } from '../io/imaging.js';
import type { Policy } from './policy.js';
import type { ClassifyKnowledge, Modifier } from './types.js';

/** Average Gregorian month in days (365.2425 / 12), for "< 6 months on therapy". */
const DAYS_PER_MONTH = 30.436875;

/**
 * Modifiers shown beside the group but never changing it: short response on the current
 * therapy, triple-negative subtype, visceral or CNS involvement, bone-only progression, the
 * therapy class's concurrent-radiotherapy toxicity note, and the expected time to next therapy.
 */
export function modifiersFor(imaging: ImagingRow, clinical: ClinicalRow | null, policy: Policy, knowledge: ClassifyKnowledge): Modifier[] {
  const M = policy.modifiers;
  const out: Modifier[] = [];
  if (clinical) {
    const onTherapyDays = imaging.assessmentDay - clinical.therapyStartDay;
    if (onTherapyDays >= 0) {
      const months = onTherapyDays / DAYS_PER_MONTH;
      if (months < M.short_response.months) {
        out.push({
          id: 'short_response',
          text: `progression after ${months.toFixed(1)} months on ${clinical.therapy} (< ${M.short_response.months} months)`,
          source: M.short_response.source,
        });
      }
    }
    if (clinical.subtype === 'TNBC') out.push({ id: 'triple_negative', text: 'triple-negative subtype', source: M.triple_negative.source });
  }
  if (imaging.visceral) out.push({ id: 'visceral', text: 'visceral involvement', source: M.visceral_or_cns.source });
  if (imaging.cns) out.push({ id: 'cns', text: 'CNS involvement', source: M.visceral_or_cns.source });
  if (imaging.sites.length === 1 && imaging.sites[0] === 'bone') {
    out.push({ id: 'bone_only', text: 'bone-only progression', source: M.bone_only.source });
  }
  if (clinical) {
    const note = knowledge.toxicityNote(clinical.therapyClass);
    if (note)
      out.push({
        id: 'toxicity_note',
        text: `${clinical.therapyClass}: ${note.text}`,
        source: `${M.toxicity_notes.source}; ${note.source}`,
      });
  }
  const nest = knowledge.timeToNextTherapy(imaging.progressingLesions);
  if (nest) out.push({ id: 'time_to_next_therapy', text: nest.text, source: `${M.time_to_next_therapy.source}; ${nest.source}` });
  return out;
}

/** Compact TSV form: `id` or `id(detail)` joined by ';'. */
export function modifierTag(m: Modifier): string {
  switch (m.id) {
    case 'short_response': {
      const months = /after ([\d.]+) months/.exec(m.text)?.[1];
      return months ? `short_response(${months}mo)` : m.id;
    }
    case 'time_to_next_therapy': {
      const months = /([\d.]+) months/.exec(m.text)?.[1];
      return months ? `time_to_next_therapy(${months}mo)` : m.id;
    }
    case 'toxicity_note':
      return `toxicity_note(${m.text.split(':')[0]})`;
    default:
      return m.id;
  }
}
