import { foldText, headlineReason } from '../decision.js';
import type { Assessment, PatientReport } from '../types.js';
import { esc, escDates } from './escape.js';
import { pct, pValue } from './format.js';
import { GROUP_MEANING, groupClass, groupLabel } from './groups.js';

/**
 * The headline: the group at the latest assessment, one sentence why (dates, not sample IDs), the
 * progressing sites with the visceral and CNS flags, the draw-to-scan interval, and the tumour
 * fraction's change naming its nadir and the draw compared (the peak of the window when that is
 * not the latest draw).
 */

function daysText(days: number): string {
  const n = Math.abs(days);
  const unit = n === 1 ? 'day' : 'days';
  if (days === 0) return 'same day as the scan';
  return days > 0 ? `${n} ${unit} before the scan` : `${n} ${unit} after the scan`;
}

function tumourFractionFact(r: PatientReport, a: Assessment): string {
  const tf = a.tumour_fraction_change;
  if (!tf || tf.fold === null) return '';
  const tfAt = (date: string | null) => {
    const d = date ? r.draws.find((x) => x.collection_date === date) : undefined;
    return d?.tumour_fraction ? ` (${pct(d.tumour_fraction.estimate)})` : '';
  };
  const parts: string[] = [`${foldText(tf.fold)}-fold`];
  if (tf.low != null && tf.high != null) parts[0] += ` (95 % interval ${foldText(tf.low)}–${foldText(tf.high)})`;
  if (tf.nadir_date) parts.push(`from its nadir ${tf.nadir_date}${tfAt(tf.nadir_date)}`);
  if (tf.compared_date)
    parts.push(`${tf.compared_is_peak ? 'to the peak draw of the window' : 'to'} ${tf.compared_date}${tfAt(tf.compared_date)}`);
  let text = `Tumour fraction: ${parts.join(' ')}`;
  if (tf.p_value != null) text += `, p = ${pValue(tf.p_value)}`;
  if (tf.power != null) text += `, power ${Math.round(tf.power * 100)} %`;
  if (tf.compared_is_peak && tf.latest_date) text += `; latest draw ${tf.latest_date}${tfAt(tf.latest_date)}`;
  return text;
}

function keyFacts(r: PatientReport, a: Assessment): string[] {
  const img = r.imaging.find((i) => i.assessment_date === a.assessment_date);
  const facts: string[] = [];
  if (img && img.progressing_lesions > 0) {
    const sites = img.sites.length ? img.sites.map((s) => s.replace(/_/g, ' ')).join(', ') : 'sites not given';
    const flags = [img.visceral ? '<span class="flag">visceral</span>' : '', img.cns ? '<span class="flag">CNS</span>' : '']
      .filter(Boolean)
      .join(' ');
    facts.push(
      `<li>Progressing: <strong>${esc(sites)}</strong> ${flags || '<span class="muted">(not visceral, no CNS)</span>'}${img.new_lesions ? ` · ${img.new_lesions} new` : ''}</li>`,
    );
  }
  if (a.draw_to_scan) {
    facts.push(
      `<li>Draw to scan: <strong>${esc(daysText(a.draw_to_scan.days))}</strong> <span class="muted">(draw ${escDates(a.draw_to_scan.date)}, scan ${escDates(a.assessment_date)})</span></li>`,
    );
  } else if (a.last_draw_before) {
    facts.push(
      `<li>Draw to scan: <strong>no draw in the window</strong> <span class="muted">(last draw ${escDates(a.last_draw_before)}, scan ${escDates(a.assessment_date)})</span></li>`,
    );
  }
  const tf = tumourFractionFact(r, a);
  if (tf) facts.push(`<li>${escDates(tf)}</li>`);
  if (a.ctdna_label) facts.push(`<li>ctDNA: <strong>${esc(a.ctdna_label)}</strong></li>`);
  return facts;
}

export function headlineSection(r: PatientReport): string {
  const a = r.assessments[r.assessments.length - 1];
  if (!a) {
    return (
      '<section id="headline" aria-label="group"><h2>Group</h2><div class="groupline"><span class="badge g-indeterminate" data-group="none">No imaging assessment classified</span></div>' +
      '<p class="reason">No imaging assessment was classified for this patient: the page shows the ctDNA series only.</p></section>'
    );
  }
  const img = r.imaging.find((i) => i.assessment_date === a.assessment_date);
  const facts = keyFacts(r, a);
  const also = a.modifiers.length
    ? `<p class="also"><strong>Also weigh:</strong> ${a.modifiers.map((m) => escDates(m.text)).join('; ')}</p>`
    : '';
  return (
    `<section id="headline" aria-label="group"><h2>Group at the latest assessment (scan ${esc(a.assessment_date)})</h2>` +
    `<div class="groupline"><span class="badge ${groupClass(a.group)}" data-group="${esc(a.group)}">${esc(groupLabel(a.group))}</span></div>` +
    `<p class="reason" id="reason">${escDates(headlineReason(a, img))}</p>` +
    (facts.length ? `<ul class="keyfacts">${facts.join('')}</ul>` : '') +
    `<p class="meaning">${esc(GROUP_MEANING[a.group] ?? '')}</p>${also}</section>`
  );
}
