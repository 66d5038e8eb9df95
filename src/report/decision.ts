import { pValue } from './html/format.js';
import type { Assessment, ImagingAssessment, TargetableFinding } from './types.js';

/**
 * What decided the group, in words: one sentence for the patient page's headline and a short
 * phrase for the cohort index. Built from the assessment's data (dates, never sample IDs); a group
 * this module does not know falls back to classify's own rationale.
 */

export function foldText(fold: number): string {
  return Number(fold.toPrecision(fold >= 10 ? 2 : 3)).toString();
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function lesionsPhrase(a: Assessment, img: ImagingAssessment | undefined): string {
  const n = a.progressing_lesions ?? img?.progressing_lesions ?? null;
  if (n === null) return 'Progression on imaging';
  const sites = img && img.sites.length ? ` (${img.sites.join(', ').replace(/_/g, ' ')})` : '';
  return `${plural(n, 'progressing lesion', 'progressing lesions')}${sites}`;
}

export function targetableText(t: TargetableFinding): string {
  const label = `${t.gene} ${t.protein}`.trim();
  if (t.from_nadir_date) return `${label} rising from its nadir of ${t.from_nadir_date} (at ${t.date})`;
  const ev = t.event === 'emerged' ? 'newly emerged' : t.event;
  return `${label} ${ev}${t.date ? ` on ${t.date}` : ''}`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function diffuseClause(a: Assessment): string {
  const tf = a.tumour_fraction_change;
  const fold = tf?.fold !== null && tf?.fold !== undefined ? ` (tumour fraction ${foldText(tf.fold)}-fold from its nadir)` : '';
  if (a.molecular_progression === false) return `no diffuse progression in ctDNA${fold}`;
  if (a.molecular_progression === true) return `diffuse progression in ctDNA${fold}`;
  return 'diffuse progression in ctDNA neither shown nor ruled out';
}

/** The headline's one sentence: group-specific, with dates. */
export function headlineReason(a: Assessment, img: ImagingAssessment | undefined): string {
  const lesions = lesionsPhrase(a, img);
  const n = a.progressing_lesions ?? 0;
  const max = a.max_oligo_lesions;
  const tf = a.tumour_fraction_change;
  switch (a.group) {
    case 'no_progression':
      return `No progressing lesion on the scan of ${a.assessment_date}.`;
    case 'oligoprogression_targetable':
      return `${lesions} with ${list(a.targetable.map(targetableText)) || 'a targetable alteration'} in plasma, and ${diffuseClause(a)}.`;
    case 'true_oligoprogression':
      return `${lesions}, ${diffuseClause(a)} and no targetable alteration emerging in plasma.`;
    case 'widespread_progression':
      if (max !== null && n > max) return `${lesions}: more than the ${max} that define oligoprogression.`;
      if (tf && tf.fold !== null && a.molecular_progression === true) {
        const when =
          tf.nadir_date && tf.compared_date
            ? ` (${tf.nadir_date} → ${tf.compared_date}${tf.p_value != null ? `, p = ${pValue(tf.p_value)}` : ''})`
            : '';
        return `Only ${lesions.charAt(0).toLowerCase()}${lesions.slice(1)}, but ctDNA shows diffuse progression: the tumour fraction rose ${foldText(tf.fold)}-fold from its nadir${when}.`;
      }
      {
        // Diffuse progression by another route (e.g. several non-targetable sites emerging at one draw).
        const r3 = a.rules.find((r) => r.id === 'rule3_molecular_progression' && r.pass === true);
        if (r3) return `Only ${lesions.charAt(0).toLowerCase()}${lesions.slice(1)}, but ctDNA shows diffuse progression: ${r3.value}.`;
        return a.rationale;
      }
    case 'indeterminate':
      return `${n > 0 ? `${lesions}, but ctDNA` : 'ctDNA'} cannot decide: ${a.indeterminate_reason ?? a.rationale}${/[.!?]$/.test(a.indeterminate_reason ?? a.rationale) ? '' : '.'}`;
    default:
      return a.rationale;
  }
}

/** A short phrase for the cohort index: the finding (or fact) that decided the group. */
export function decidedBy(a: Assessment | undefined): string {
  if (!a) return 'no imaging assessment';
  const n = a.progressing_lesions ?? 0;
  const max = a.max_oligo_lesions;
  const tf = a.tumour_fraction_change;
  switch (a.group) {
    case 'no_progression':
      return 'no progressing lesion';
    case 'oligoprogression_targetable':
      return a.targetable.map(targetableText).join('; ') || 'targetable alteration';
    case 'true_oligoprogression':
      return `${plural(n, 'progressing lesion', 'progressing lesions')}; no diffuse ctDNA progression`;
    case 'widespread_progression':
      if (max !== null && n > max) return `${plural(n, 'progressing lesion', 'progressing lesions')} (> ${max})`;
      if (tf && tf.fold !== null && a.molecular_progression === true)
        return `ctDNA: tumour fraction ${foldText(tf.fold)}-fold from its nadir`;
      return 'ctDNA: diffuse progression';
    case 'indeterminate':
      return a.indeterminate_reason ?? 'ctDNA cannot decide';
    default:
      return a.group;
  }
}
