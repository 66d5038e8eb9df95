/**
 * How the imaging row's new lesions and organ sites are used. New lesions are progressing lesions
 * (a new lesion is progression under RECIST 1.1), so the oligo count is the larger of
 * progressing_lesions and new_lesions; they are also shown as a modifier, because in CURB's breast
 * cohort progression came mostly as new lesions rather than in treated ones — the pattern of
 * seeding, where few visible lesions may hide diffuse disease (review, Discussion). Progression in
 * several organs is shown as a modifier too (COSMO admitted 1–2 lesions in a single organ). Neither
 * modifier changes the group: ctDNA decides diffuse against oligo. Pure.
 */
import type { ImagingRow } from '../io/imaging.js';
import type { Policy } from './policy.js';
import type { Modifier } from './types.js';

/** The lesion count the oligoprogression threshold is applied to. */
export function oligoCount(
  imaging: Pick<ImagingRow, 'progressingLesions' | 'newLesions'>,
  modifiers: Pick<Policy['modifiers'], 'new_lesions'>,
): number {
  return modifiers.new_lesions.count_as_progressing ? Math.max(imaging.progressingLesions, imaging.newLesions) : imaging.progressingLesions;
}

export function imagingModifiers(
  imaging: Pick<ImagingRow, 'progressingLesions' | 'newLesions' | 'sites'>,
  modifiers: Policy['modifiers'],
): Modifier[] {
  const out: Modifier[] = [];
  const n = imaging.newLesions;
  if (n > 0) {
    const counted = n > imaging.progressingLesions && modifiers.new_lesions.count_as_progressing;
    out.push({
      id: 'new_lesions',
      text: `${n} new lesion${n === 1 ? '' : 's'} on the current therapy${counted ? ` (more than the ${imaging.progressingLesions} progressing lesions given: counted as progressing)` : ''}`,
      source: modifiers.new_lesions.source,
    });
  }
  const organs = [...new Set(imaging.sites)];
  if (organs.length >= modifiers.multi_organ.min_organs) {
    out.push({
      id: 'multi_organ',
      text: `progression in ${organs.length} organ sites (${organs.join(', ')})`,
      source: modifiers.multi_organ.source,
    });
  }
  return out;
}
