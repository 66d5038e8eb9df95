import type { CohortReport, CohortRow } from '../types.js';
import { esc, escDates } from './escape.js';
import { int, pct } from './format.js';
import { groupClass, groupLabel } from './groups.js';
import { INDEX_SCRIPT } from './index-script.js';
import { page } from './page.js';
import { footer, header } from './patient-page.js';
import { printMarginCss } from './print-header.js';

/**
 * A later draw than the row's last draw, left out because its identity check is discordant: the
 * reader must see that the last tumour fraction is not that of the latest tube.
 */
function laterLeftOut(p: CohortRow): string {
  if (!p.last_draw_left_out) return '';
  return `<br><span class="flag" data-identity="discordant">${esc(p.last_draw_left_out)} left out: identity discordant</span>`;
}

/**
 * The cohort index: a summary (patients per group, draws per patient, median depth, draws with
 * every site below its limit of detection) and one row per patient with the group at the latest
 * assessment and what decided it. Sorting and the group filter are a small inline script allowed
 * by its hash; without script the table is complete in patient order and the controls stay hidden.
 */
export function renderIndexPage(c: CohortReport): string {
  const s = c.summary;
  const badges = s.groups
    .map((g) => `<span class="badge small ${groupClass(g.group)}">${esc(groupLabel(g.group))}: ${g.patients}</span>`)
    .join('');
  const dpp = s.draws_per_patient;
  const facts: [string, string][] = [
    ['Patients', String(s.patients)],
    ['Plasma draws', String(s.draws)],
    ['Draws per patient', dpp ? `median ${dpp.median} (${dpp.min}–${dpp.max})` : '–'],
    ['Median depth', s.median_depth === null ? '–' : `${int(s.median_depth)}×`],
    // Of the patients' own draws: a discordant tube's levels say nothing of the patient.
    ['Draws with every site below LoD', `${s.draws_below_lod} of ${s.draws - (s.draws_left_out ?? 0)}`],
    ...(s.draws_left_out ? ([['Draws left out (identity discordant)', String(s.draws_left_out)]] as [string, string][]) : []),
  ];
  const rows = c.patients
    .map(
      (p) =>
        `<tr data-patient="${esc(p.patient)}" data-group="${esc(p.group)}"><td class="nw"><a href="${esc(p.href)}">${esc(p.patient)}</a></td>` +
        `<td data-sort="${esc(p.group)}"><span class="badge small ${groupClass(p.group)}" data-group="${esc(p.group)}">${esc(groupLabel(p.group))}</span></td>` +
        `<td>${escDates(p.decided_by || '–')}</td><td class="nw">${esc(p.last_assessment || '–')}</td>` +
        `<td class="num" data-sort="${p.last_tumour_fraction ?? ''}">${esc(pct(p.last_tumour_fraction))}</td><td class="nw">${esc(p.last_draw || '–')}${laterLeftOut(p)}</td>` +
        `<td class="num" data-sort="${p.draws}">${p.draws}${p.draws_left_out ? `<br><span class="muted">${p.draws_left_out} left out</span>` : ''}</td><td class="num" data-sort="${p.median_depth ?? ''}">${p.median_depth === null ? '–' : int(p.median_depth)}</td>` +
        `<td class="num" data-sort="${p.draws_below_lod}">${p.draws_below_lod}</td></tr>`,
    )
    .join('');
  const options = s.groups.map((g) => `<option value="${esc(g.group)}">${esc(groupLabel(g.group))} (${g.patients})</option>`).join('');
  const body =
    header(`Cohort: ${c.patients.length} patient(s)`, c.meta) +
    `<p class="banner" role="note">${esc(c.disclaimer)}</p>` +
    `<section id="summary"><h2>Cohort summary</h2><div class="counts">${badges || '<span class="muted">no patient</span>'}</div>` +
    `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl></section>` +
    '<section id="patients"><h2>Patients</h2>' +
    `<div class="controls" id="controls" hidden><label>Group <select id="group-filter"><option value="">all groups</option>${options}</select></label>` +
    '<span class="muted" id="shown-count"></span><span class="muted">Click a column heading to sort.</span></div>' +
    '<table id="patients-table"><thead><tr><th data-type="text">patient</th><th data-type="text">group</th><th data-type="text">what decided the group</th>' +
    '<th data-type="text">last scan</th><th class="num" data-type="number">last tumour fraction</th><th data-type="text">last draw</th>' +
    '<th class="num" data-type="number">draws</th><th class="num" data-type="number">median depth</th><th class="num" data-type="number">draws below LoD</th></tr></thead>' +
    `<tbody>${rows}</tbody></table></section>` +
    footer(c.meta, 'index.json', false);
  return page('Cohort · oligotrack ctDNA report', body, {
    printCss: printMarginCss('Cohort · ctDNA tumour-board report', c.meta),
    script: INDEX_SCRIPT,
  });
}
