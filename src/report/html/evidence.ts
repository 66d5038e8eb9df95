import { variantLabel } from '../labels.js';
import { orderedDetectedSites } from '../svg/chart.js';
import type { PatientReport } from '../types.js';
import { esc } from './escape.js';
import { fixed, int, pct, pctInterval, pValue } from './format.js';
import { SWAP_MARK, swappedSamples } from './identity.js';

/**
 * Per-site evidence: every site detected in some draw, per draw (alt / depth, VAF with interval,
 * p-value, LoD, call, event, fragment lengths), then the sites never detected with their depth and
 * LoD ranges, so "not seen" is itself evidence. This table holds every site, also when the chart
 * draws only the top ones. A draw that failed the identity check keeps its counts, marked, and has
 * no event: the events are those over the patient's own draws.
 */
export function evidenceSection(r: PatientReport): string {
  const rows: string[] = [];
  const shown = orderedDetectedSites(r);
  const never = r.sites.filter((s) => !shown.includes(s));
  const swapped = swappedSamples(r);
  for (const s of shown) {
    s.points.forEach((p, i) => {
      const flags = (s.flags ?? []).map((f) => `<br><span class="flag">${esc(f.text)}</span>`).join('');
      rows.push(
        '<tr>' +
          (i === 0
            ? `<td rowspan="${s.points.length}"><strong>${esc(variantLabel(s))}</strong><br><span class="id">${esc(s.chrom)}:${s.pos} ${esc(s.ref)}&gt;${esc(s.alt)}</span>` +
              `${s.role ? `<br><span class="id">${esc(s.role.replace(/_/g, ' '))}</span>` : ''}${flags}</td>`
            : '') +
          `<td class="nw">${esc(p.collection_date)}<br><span class="id">${esc(p.sample)}</span>${swapped.has(p.sample) ? `<br>${SWAP_MARK}` : ''}</td>` +
          `<td class="num">${int(p.alt_count)} / ${int(p.depth)}</td><td class="num">${esc(pct(p.vaf))}</td><td class="num">${esc(pctInterval(p.vaf_low, p.vaf_high))}</td>` +
          `<td class="num">${esc(pValue(p.p_value))}</td><td class="num">${esc(pct(p.lod))}</td><td>${esc((p.call || '–').replace(/_/g, ' '))}</td>` +
          `<td class="ev-${esc(p.event)}">${esc((p.event || '–').replace(/_/g, ' '))}</td><td class="num">${fixed(p.mean_frag_len_alt, 0)} / ${fixed(p.mean_frag_len_ref, 0)}</td></tr>`,
      );
    });
  }
  return (
    '<section id="evidence"><h2>Per-site evidence</h2><table class="evidence"><thead><tr><th>site</th><th>draw</th><th class="num">alt / depth</th><th class="num">VAF</th>' +
    '<th class="num">95 % CI</th><th class="num">p</th><th class="num">LoD</th><th>call</th><th>event</th><th class="num">fragment bp alt / ref</th></tr></thead>' +
    `<tbody>${rows.join('') || '<tr><td colspan="10" class="muted">No tracked site was detected in any draw.</td></tr>'}</tbody></table>` +
    neverDetected(never) +
    '</section>'
  );
}

function neverDetected(sites: PatientReport['sites']): string {
  if (sites.length === 0) return '';
  const rows = sites
    .map((s) => {
      const depths = s.points.map((p) => p.depth);
      const lods = s.points.map((p) => p.lod).filter((x): x is number => x !== null);
      const alts = s.points.map((p) => p.alt_count).join(', ');
      return (
        `<tr><td><strong>${esc(variantLabel(s))}</strong> <span class="id">${esc(s.chrom)}:${s.pos} ${esc(s.ref)}&gt;${esc(s.alt)}</span></td>` +
        `<td class="num">${depths.length ? `${int(Math.min(...depths))}–${int(Math.max(...depths))}` : '–'}</td>` +
        `<td class="num">${lods.length ? `${esc(pct(Math.min(...lods)))}–${esc(pct(Math.max(...lods)))}` : '–'}</td>` +
        `<td class="num">${esc(alts)}</td></tr>`
      );
    })
    .join('');
  return (
    `<h3>Not detected in any draw (${sites.length})</h3><table class="never"><thead><tr><th>site</th><th class="num">depth range</th><th class="num">LoD range</th>` +
    `<th class="num">alt reads per draw</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}
