import { chartedSites, siteLabel, vafChartSvg } from '../svg/vaf-chart.js';
import type { Assessment, PatientReport } from '../types.js';
import { esc, safeFileStem } from './escape.js';
import { fixed, int, pct, pctInterval, pValue } from './format.js';
import { GROUP_MEANING, groupClass, groupLabel } from './groups.js';
import { REPORT_CSS } from './style.js';

/**
 * One self-contained HTML page for one patient, built from the report JSON alone (a pure function:
 * same JSON → same bytes). No script, no external resource: the page makes no request at all.
 */
export function renderPatientPage(r: PatientReport): string {
  const latest = r.assessments.length ? r.assessments[r.assessments.length - 1] : null;
  const body = [
    header(r),
    `<p class="banner" role="note">${esc(r.disclaimer)}</p>`,
    groupSection(latest),
    chartSection(r),
    rulesSection(latest),
    evidenceSection(r),
    actionableSection(r),
    modifiersSection(r, latest),
    historySection(r),
    qcSection(r),
    methodsSection(r),
    `<footer>oligotrack ${esc(r.methods.tool_version)} · report schema ${esc(r.schema)} v${r.schema_version} · data: <code>${esc(jsonName(r))}</code> · <a href="index.html">cohort index</a></footer>`,
  ];
  return page(`Patient ${r.patient} · oligotrack ctDNA report`, body.join('\n'));
}

export function page(title: string, body: string): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    // The CSP forbids every fetch (default-src 'none'), so even a bug cannot make the page phone out.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">\n` +
    `<title>${esc(title)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}

function jsonName(r: PatientReport): string {
  return `${safeFileStem(r.patient)}.json`;
}

function header(r: PatientReport): string {
  const c = r.clinical;
  const last = r.draws.length ? r.draws[r.draws.length - 1] : null;
  const facts: [string, string][] = [
    ['Subtype', c?.subtype ?? '–'],
    ['Current therapy', c ? `${c.therapy} (${c.therapy_class})` : '–'],
    ['Therapy start', c?.therapy_start ?? '–'],
    ['Plasma draws', `${r.draws.length}${r.draws.length ? ` (${r.draws[0].collection_date} → ${last!.collection_date})` : ''}`],
    ['Tracked sites', String(r.sites.length)],
    ['Imaging assessments', String(r.imaging.length)],
  ];
  return (
    `<header class="top"><div><div class="muted">ctDNA tumour-board report</div><h1>Patient <span class="patient-id">${esc(r.patient)}</span></h1></div>` +
    `<div class="tool">oligotrack ${esc(r.methods.tool_version)}</div></header>` +
    `<section aria-label="patient summary"><dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl></section>`
  );
}

function groupSection(a: Assessment | null): string {
  if (!a) {
    return '<section id="group"><h2>Group</h2><p class="groupline"><span class="badge g-indeterminate" data-group="none">No imaging assessment classified</span></p></section>';
  }
  const targets = a.targetable_mutations.length ? `<p><strong>Targetable mutations:</strong> ${esc(a.targetable_mutations.join(', '))}</p>` : '';
  return (
    `<section id="group" aria-label="classification"><h2>Group at the latest assessment (${esc(a.assessment_date)})</h2>` +
    `<div class="groupline"><span class="badge ${groupClass(a.group)}" data-group="${esc(a.group)}">${esc(groupLabel(a.group))}</span>` +
    `<span class="muted"><code>${esc(a.group)}</code> · progressing lesions: ${a.progressing_lesions ?? '–'} · molecular progression: ${yesNo(a.molecular_progression)}</span></div>` +
    `<p class="meaning muted">${esc(GROUP_MEANING[a.group] ?? '')}</p>` +
    `<p class="rationale"><strong>Rationale:</strong> ${esc(a.rationale)}</p>${targets}</section>`
  );
}

function rulesSection(a: Assessment | null): string {
  if (!a || a.rules.length === 0) return '';
  const rows = a.rules
    .map(
      (rule) =>
        `<tr><td><code>${esc(rule.id)}</code><br>${esc(rule.description)}${rule.inputs ? `<br><span class="src">${esc(rule.inputs)}</span>` : ''}</td><td>${esc(rule.value)}</td><td>${esc(rule.threshold)}</td>` +
        `<td class="${rule.pass === null ? 'na' : rule.pass ? 'pass' : 'fail'}">${rule.pass === null ? 'n/a' : rule.pass ? 'pass' : 'fail'}</td><td class="src">${esc(rule.source)}</td></tr>`,
    )
    .join('');
  return `<section id="rules"><h2>Policy rules evaluated</h2><table><thead><tr><th>rule</th><th>value</th><th>threshold</th><th>result</th><th>source</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function chartSection(r: PatientReport): string {
  if (r.sites.length === 0 && r.draws.length === 0) return '<section id="chart"><h2>ctDNA over time</h2><p class="muted">No draws.</p></section>';
  return (
    `<figure id="chart"><h2>ctDNA over time</h2>${vafChartSvg(r)}` +
    '<figcaption>VAF per tracked site (log scale) with 95 % Wilson intervals; filled markers are detected, hollow not detected; ' +
    'dashed grey: median per-site limit of detection; black: tumour fraction; vertical rules: therapy start and imaging assessments (PD ×n = n progressing lesions).</figcaption></figure>'
  );
}

function evidenceSection(r: PatientReport): string {
  const rows: string[] = [];
  const shown = chartedSites(r);
  const never = r.sites.filter((s) => !shown.includes(s));
  for (const s of shown) {
    s.points.forEach((p, i) => {
      rows.push(
        '<tr>' +
          (i === 0
            ? `<td rowspan="${s.points.length}"><strong>${esc(siteLabel(s))}</strong><br><span class="muted">${esc(s.chrom)}:${s.pos} ${esc(s.ref)}&gt;${esc(s.alt)}</span>${s.role ? `<br><span class="src">${esc(s.role)}</span>` : ''}${s.germline_or_ch ? '<br><strong>germline / CH flag</strong>' : ''}</td>`
            : '') +
          `<td class="nw">${esc(p.sample)}<br><span class="muted">${esc(p.collection_date)}</span></td>` +
          `<td class="num">${int(p.alt_count)} / ${int(p.depth)}</td><td class="num">${esc(pct(p.vaf))}</td><td class="num">${esc(pctInterval(p.vaf_low, p.vaf_high))}</td>` +
          `<td class="num">${esc(pValue(p.p_value))}</td><td class="num">${esc(pct(p.lod))}</td><td>${esc(p.call || '–')}</td>` +
          `<td class="ev-${esc(p.event)}">${esc(p.event || '–')}</td><td class="num">${fixed(p.mean_frag_len_alt, 0)} / ${fixed(p.mean_frag_len_ref, 0)}</td></tr>`,
      );
    });
  }
  return (
    '<section id="evidence"><h2>Per-site evidence</h2><table><thead><tr><th>site</th><th>draw</th><th class="num">alt / depth</th><th class="num">VAF</th>' +
    '<th class="num">95 % CI</th><th class="num">p</th><th class="num">LoD</th><th>call</th><th>event</th><th class="num">fragment bp alt / ref</th></tr></thead>' +
    `<tbody>${rows.join('') || '<tr><td colspan="10" class="muted">No tracked site was detected in any draw.</td></tr>'}</tbody></table>` +
    neverDetected(never) +
    '</section>'
  );
}

/** Sites never detected: one line each with depth and LoD range, so "not seen" is itself evidence. */
function neverDetected(sites: PatientReport['sites']): string {
  if (sites.length === 0) return '';
  const rows = sites
    .map((s) => {
      const depths = s.points.map((p) => p.depth);
      const lods = s.points.map((p) => p.lod).filter((x): x is number => x !== null);
      const alts = s.points.map((p) => p.alt_count).join(', ');
      return (
        `<tr><td><strong>${esc(siteLabel(s))}</strong> <span class="muted">${esc(s.chrom)}:${s.pos} ${esc(s.ref)}&gt;${esc(s.alt)}</span></td>` +
        `<td class="num">${int(Math.min(...depths))}–${int(Math.max(...depths))}</td><td class="num">${lods.length ? `${esc(pct(Math.min(...lods)))}–${esc(pct(Math.max(...lods)))}` : '–'}</td>` +
        `<td class="num">${esc(alts)}</td></tr>`
      );
    })
    .join('');
  return (
    `<h3>Not detected in any draw (${sites.length})</h3><table class="never"><thead><tr><th>site</th><th class="num">depth range</th><th class="num">LoD range</th>` +
    `<th class="num">alt reads per draw</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function actionableSection(r: PatientReport): string {
  // One block per mutation (its plasma status once), then one row per matching therapy row.
  const groups = new Map<string, PatientReport['actionable']>();
  for (const a of r.actionable) {
    const key = `${a.gene} ${a.protein}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const rows = [...groups.values()]
    .map((g) =>
      g
        .map(
          (a, i) =>
            '<tr>' +
            (i === 0 ? `<td rowspan="${g.length}"><strong>${esc(a.gene)}</strong> ${esc(a.protein)}<br><span class="muted">${esc(a.status)}</span></td>` : '') +
            `<td>${esc(a.drugs.join(', ') || '–')}</td><td>${esc(a.evidence_level || '–')}</td><td class="nw">${esc(a.as_of || '–')}</td><td class="src">${esc(a.source)}</td></tr>`,
        )
        .join(''),
    )
    .join('');
  return (
    '<section id="actionable"><h2>Actionable findings</h2>' +
    (rows
      ? `<table><thead><tr><th>mutation and status in plasma</th><th>drugs</th><th>evidence level</th><th>as of</th><th>source</th></tr></thead><tbody>${rows}</tbody></table>`
      : '<p class="muted">No site of the actionability table is detected in this patient.</p>') +
    '</section>'
  );
}

function modifiersSection(r: PatientReport, a: Assessment | null): string {
  const mods = a?.modifiers ?? [];
  const tox = r.toxicity_notes
    .map((n) => `<li><strong>${esc(n.title)}</strong>: ${esc(n.text)} <span class="src">(${esc(n.source)})</span></li>`)
    .join('');
  return (
    '<section id="modifiers"><h2>Modifiers and radiotherapy notes</h2>' +
    (mods.length ? `<ul class="notes">${mods.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : '<p class="muted">No modifier applies at the latest assessment.</p>') +
    `<h3>Concurrent radiotherapy with ${esc(r.clinical?.therapy_class ?? 'the current therapy')}</h3>` +
    (tox ? `<ul class="notes">${tox}</ul>` : '<p class="muted">No toxicity note for this therapy class in the reference tables.</p>') +
    '</section>'
  );
}

function historySection(r: PatientReport): string {
  if (r.assessments.length === 0) return '';
  const img = new Map(r.imaging.map((i) => [i.assessment_date, i]));
  const rows = r.assessments
    .map((a) => {
      const i = img.get(a.assessment_date);
      return (
        `<tr><td class="nw">${esc(a.assessment_date)}</td><td><span class="badge small ${groupClass(a.group)}">${esc(groupLabel(a.group))}</span></td>` +
        `<td class="num">${a.progressing_lesions ?? '–'}</td><td>${esc(i ? i.sites.join(', ') || '–' : '–')}${i?.visceral ? ' · visceral' : ''}${i?.cns ? ' · CNS' : ''}</td>` +
        `<td>${yesNo(a.molecular_progression)}</td><td>${esc(a.targetable_mutations.join(', ') || '–')}</td></tr>`
      );
    })
    .join('');
  return (
    '<section id="history"><h2>All assessments</h2><table><thead><tr><th>date</th><th>group</th><th class="num">progressing lesions</th><th>sites</th>' +
    `<th>molecular progression</th><th>targetable</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

function qcSection(r: PatientReport): string {
  const rows = r.draws
    .map(
      (d) =>
        `<tr><td class="nw">${esc(d.sample)}</td><td class="nw">${esc(d.collection_date)}</td><td>${esc(d.timepoint || '–')}</td><td class="num">${int(d.median_depth)}</td><td class="num">${int(d.min_depth)}</td>` +
        `<td class="num">${d.families ? int(d.families) : '–'}</td><td class="num">${d.sites_below_lod} / ${d.sites_total}</td>` +
        `<td>${d.detected === null ? '–' : d.detected ? 'detected' : 'not detected'}</td>` +
        `<td class="num">${d.tumour_fraction ? `${esc(pct(d.tumour_fraction.estimate))}${d.tumour_fraction.low !== null ? ` (${esc(pctInterval(d.tumour_fraction.low, d.tumour_fraction.high))})` : ''}` : '–'}</td>` +
        `<td><code>${esc(d.bam)}</code></td></tr>`,
    )
    .join('');
  return (
    '<section id="qc"><h2>Quality control</h2><table><thead><tr><th>sample</th><th>date</th><th>timepoint</th><th class="num">median depth</th><th class="num">min depth</th>' +
    `<th class="num">UMI families (median)</th><th class="num">sites not detected</th><th>ctDNA (clonal sites)</th><th class="num">tumour fraction</th><th>BAM</th></tr></thead><tbody>${rows}</tbody></table>` +
    '<p class="src">“Sites not detected” counts tracked sites whose call at that draw was not <code>detected</code> (below the limit of detection or low depth). ' +
    '“ctDNA (clonal sites)”: whether the pooled clonal sites were detected at that draw.</p></section>'
  );
}

function methodsSection(r: PatientReport): string {
  const m = r.methods;
  const kv = (o: Record<string, string | number | boolean>) =>
    Object.keys(o)
      .sort()
      .map((k) => `<code>${esc(k)}</code>=${esc(String(o[k]))}`)
      .join(' · ');
  return (
    '<section id="methods"><h2>Methods</h2><dl class="facts">' +
    `<div><dt>Tool version</dt><dd>oligotrack ${esc(m.tool_version)}</dd></div>` +
    `<div><dt>Reference versions</dt><dd>${esc(m.reference_versions.map((v) => `${v.name} ${v.version}`).join('; ') || '–')}</dd></div></dl>` +
    `<h3>Counting settings</h3><p>${kv(m.count_settings) || '–'}</p>` +
    `<h3>Counting semantics</h3><p>${esc(m.counting_semantics)}</p>` +
    `<h3>Statistics</h3><p>${esc(m.statistics)}</p>` +
    `<h3>Classification policy</h3><p>${kv(m.policy) || '–'}</p></section>`
  );
}

function yesNo(v: boolean | null): string {
  return v === null ? '–' : v ? 'yes' : 'no';
}
