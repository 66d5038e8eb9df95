import type { CohortReport } from '../types.js';
import { esc } from './escape.js';
import { pct } from './format.js';
import { GROUP_LABEL, groupClass, groupLabel } from './groups.js';
import { page } from './patient-page.js';

/** The cohort index: one row per patient with the group at the latest assessment and a link. */
export function renderIndexPage(c: CohortReport): string {
  const counts = new Map<string, number>();
  for (const p of c.patients) counts.set(p.group, (counts.get(p.group) ?? 0) + 1);
  const order = [...Object.keys(GROUP_LABEL), ...[...counts.keys()].filter((g) => !(g in GROUP_LABEL)).sort()];
  const summary = order
    .filter((g) => counts.has(g))
    .map((g) => `<span class="badge small ${groupClass(g)}">${esc(groupLabel(g))}: ${counts.get(g)}</span>`)
    .join('');
  const rows = c.patients
    .map(
      (p) =>
        `<tr data-patient="${esc(p.patient)}"><td class="nw"><a href="${esc(p.href)}">${esc(p.patient)}</a></td><td class="nw">${esc(p.last_assessment || '–')}</td>` +
        `<td><span class="badge small ${groupClass(p.group)}" data-group="${esc(p.group)}">${esc(groupLabel(p.group))}</span></td>` +
        `<td>${esc(p.key_mutation || '–')}</td><td class="num">${esc(pct(p.last_tumour_fraction))}</td><td class="nw">${esc(p.last_draw || '–')}</td><td class="num">${p.draws}</td></tr>`,
    )
    .join('');
  const body =
    `<header class="top"><div><div class="muted">ctDNA tumour-board report</div><h1>Cohort: ${c.patients.length} patient(s)</h1></div>` +
    `<div class="tool">oligotrack ${esc(c.tool_version)}</div></header>` +
    `<p class="banner" role="note">${esc(c.disclaimer)}</p>` +
    `<section><h2>Groups at the latest assessment</h2><div class="counts">${summary || '<span class="muted">none</span>'}</div>` +
    '<table><thead><tr><th>patient</th><th>last assessment</th><th>group</th><th>key mutation</th><th class="num">last tumour fraction</th><th>last draw</th><th class="num">draws</th></tr></thead>' +
    `<tbody>${rows}</tbody></table></section>` +
    `<footer>oligotrack ${esc(c.tool_version)} · report schema ${esc(c.schema)} v${c.schema_version} · data: <code>index.json</code></footer>`;
  return page('Cohort · oligotrack ctDNA report', body);
}
