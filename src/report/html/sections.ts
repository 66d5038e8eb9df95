import type { PatientReport } from '../types.js';
import { esc } from './escape.js';
import { int, pct, pctInterval } from './format.js';
import { groupClass, groupLabel } from './groups.js';
import { identityCell } from './identity.js';

/** The secondary sections of a patient page: modifiers and radiotherapy notes, assessments, QC, methods. */

const yesNo = (v: boolean | null) => (v === null ? '–' : v ? 'yes' : 'no');

export function modifiersSection(r: PatientReport): string {
  const a = r.assessments[r.assessments.length - 1];
  const mods = a?.modifiers ?? [];
  const tox = r.toxicity_notes
    .map((n) => `<li><strong>${esc(n.title)}</strong>: ${esc(n.text)} <span class="src">(${esc(n.source)})</span></li>`)
    .join('');
  return (
    '<section id="modifiers"><h2>Modifiers and radiotherapy notes</h2>' +
    (mods.length
      ? `<ul class="notes">${mods.map((m) => `<li>${esc(m.text)} <span class="src">(${esc(m.source)})</span></li>`).join('')}</ul>`
      : '<p class="muted">No modifier applies at the latest assessment.</p>') +
    `<h3>Concurrent radiotherapy with ${esc(r.clinical?.therapy_class ?? 'the current therapy')}</h3>` +
    (tox ? `<ul class="notes">${tox}</ul>` : '<p class="muted">No toxicity note for this therapy class in the reference tables.</p>') +
    '</section>'
  );
}

export function historySection(r: PatientReport): string {
  if (r.assessments.length === 0) return '';
  const img = new Map(r.imaging.map((i) => [i.assessment_date, i]));
  const rows = r.assessments
    .map((a) => {
      const i = img.get(a.assessment_date);
      return (
        `<tr><td class="nw">${esc(a.assessment_date)}</td><td><span class="badge small ${groupClass(a.group)}">${esc(groupLabel(a.group))}</span></td>` +
        `<td class="num">${a.progressing_lesions ?? '–'}</td><td>${esc(i ? i.sites.join(', ').replace(/_/g, ' ') || '–' : '–')}${i?.visceral ? ' · visceral' : ''}${i?.cns ? ' · CNS' : ''}</td>` +
        `<td>${a.draw_to_scan ? `${a.draw_to_scan.days} d` : '–'}</td><td>${yesNo(a.molecular_progression)}</td><td>${esc(a.targetable_mutations.join(', ') || '–')}</td></tr>`
      );
    })
    .join('');
  return (
    '<section id="history"><h2>All assessments</h2><table><thead><tr><th>scan</th><th>group</th><th class="num">progressing lesions</th><th>sites</th>' +
    `<th>draw to scan</th><th>diffuse ctDNA progression</th><th>targetable</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

export function qcSection(r: PatientReport): string {
  const rows = r.draws
    .map(
      (d) =>
        `<tr><td class="nw">${esc(d.collection_date)}<br><span class="id">${esc(d.sample)}</span></td><td>${esc(d.timepoint || '–')}</td><td class="num">${int(d.median_depth)}</td><td class="num">${int(d.min_depth)}</td>` +
        `<td class="num">${d.families ? int(d.families) : '–'}</td><td class="num">${d.sites_below_lod} / ${d.sites_total}</td>` +
        `<td>${d.detected === null ? '–' : d.detected ? 'detected' : 'not detected'}</td>` +
        `<td class="num">${d.tumour_fraction ? `${esc(pct(d.tumour_fraction.estimate))}${d.tumour_fraction.low !== null ? `<br><span class="muted">${esc(pctInterval(d.tumour_fraction.low, d.tumour_fraction.high))}</span>` : ''}` : '–'}</td>` +
        `<td>${identityCell(d)}</td><td><code>${esc(d.bam)}</code></td></tr>`,
    )
    .join('');
  return (
    '<section id="qc"><h2>Quality control</h2><table><thead><tr><th>draw</th><th>timepoint</th><th class="num">median depth</th><th class="num">min depth</th>' +
    `<th class="num">UMI families (median)</th><th class="num">sites not detected</th><th>ctDNA (clonal sites)</th><th class="num">tumour fraction</th><th>identity</th><th>BAM</th></tr></thead><tbody>${rows}</tbody></table>` +
    '<p class="src">“Sites not detected” counts tracked sites whose call at that draw was not <code>detected</code> (below the limit of detection or low depth). ' +
    '“ctDNA (clonal sites)”: whether the pooled clonal sites were detected at that draw. ' +
    '“Identity”: whether the draw’s genotypes at common germline SNPs match the patient’s other samples; a discordant draw may be another person’s tube: ' +
    'its counts are shown but it is left out of the classification, and the next draw’s events are measured against the patient’s previous draw.</p></section>'
  );
}

export function methodsSection(r: PatientReport): string {
  const m = r.methods;
  const meta = r.meta;
  const kv = (o: Record<string, string | number | boolean>) =>
    Object.keys(o)
      .sort()
      .map((k) => `<code>${esc(k)}</code>=${esc(String(o[k]))}`)
      .join(' · ');
  return (
    '<section id="methods"><h2>Methods</h2><dl class="facts">' +
    `<div><dt>Tool version</dt><dd>oligotrack ${esc(meta.tool_version)}</dd></div>` +
    `<div><dt>Report date</dt><dd>${esc(meta.report_date || '–')} <span class="muted">(${meta.report_date_source === 'option' ? 'given with --report-date' : 'the data cut-off: no --report-date given'})</span></dd></div>` +
    `<div><dt>Data cut-off</dt><dd>${esc(meta.data_cutoff || '–')} <span class="muted">(latest draw or assessment)</span></dd></div>` +
    `<div><dt>Policy</dt><dd>${esc(meta.policy_name)} <span class="id">sha256 ${esc(meta.policy_sha256)} (${esc(meta.policy_sha256_of)})</span></dd></div>` +
    `<div><dt>Reference versions</dt><dd>${esc(m.reference_versions.map((v) => `${v.name} ${v.version}`).join('; ') || '–')}</dd></div></dl>` +
    `<p class="src">Timelines written by oligotrack ${esc(m.tool_version)}.</p>` +
    `<h3>Counting settings</h3><p>${kv(m.count_settings) || '–'}</p>` +
    `<h3>Counting semantics</h3><p>${esc(m.counting_semantics)}</p>` +
    `<h3>Statistics</h3><p>${esc(m.statistics)}</p>` +
    `<h3>Classification policy</h3><p>${kv(m.policy) || '–'}</p></section>`
  );
}
