import type { DrawSummary, Finding, GeneTherapies, MatchedTherapy, PatientReport } from '../types.js';
import { esc, escDates } from './escape.js';
import { pct, pctInterval } from './format.js';
import { ESR1_NOTE } from './groups.js';
import { isLeftOut } from '../identity.js';
import { SWAP_MARK } from './identity.js';

/**
 * "Findings at the last draw": each finding once in one notation, its VAF with interval, trend,
 * first detection and flags; the drugs of a gene once beside all of that gene's findings (rowspan),
 * the finding that decided the group marked. The evidence for each drug (regulatory status, OncoKB
 * level and ESCAT tier in words, trial) follows in "Matched therapies".
 */

const EVENT_WORDS: Record<string, string> = {
  emerged: 'newly emerged',
  rising: 'rising',
  falling: 'falling',
  cleared: 'cleared',
  stable: 'stable',
  not_assessable: 'not assessable (low depth)',
};

/**
 * `draws`: how many of the page's draws classify keeps. The findings are read at the last of them,
 * which is compared with the previous kept draw, so an empty trend there means a single kept draw.
 */
function trendCell(f: Finding, draws: number): string {
  const now = f.trend ? (EVENT_WORDS[f.trend] ?? f.trend) : draws > 1 ? '–' : 'single draw';
  const earlier = f.earlier_event
    ? `<br><span class="muted">${esc(EVENT_WORDS[f.earlier_event.event] ?? f.earlier_event.event)} ${escDates(f.earlier_event.date)}</span>`
    : '';
  return `<span class="ev-${esc(f.trend)}">${esc(now)}</span>${earlier}`;
}

function vafCell(f: Finding): string {
  if (f.call !== 'detected') {
    const why = f.call === 'low_depth' ? 'depth too low' : `not detected${f.lod !== null ? ` (LoD ${pct(f.lod)})` : ''}`;
    return `<span class="muted">${esc(why)}</span>`;
  }
  return `${esc(pct(f.vaf))}<br><span class="muted">${esc(pctInterval(f.vaf_low, f.vaf_high))}</span>`;
}

function flagsCell(f: Finding): string {
  if (f.flags.length === 0) return '<span class="muted">–</span>';
  return f.flags.map((x) => `<span class="flag" data-flag="${esc(x.kind)}">${esc(x.text)}</span>`).join('<br>');
}

function drugNames(g: GeneTherapies | undefined): string {
  if (!g || g.therapies.length === 0) return '<span class="muted">–</span>';
  return `<ul class="drugs">${g.therapies.map((t) => `<li>${esc(t.drugs)}${t.germline_row ? ' <span class="muted">(germline variants)</span>' : ''}</li>`).join('')}</ul>`;
}

/**
 * Why the findings are not read at the latest draw: it failed the identity check (with any discordant
 * draw just before it), so its VAFs may be another person's. Names the draws left out and the draw read.
 */
function leftOutNote(r: PatientReport, read: DrawSummary | undefined): string {
  const out = r.left_out_latest_draws ?? [];
  if (out.length === 0) return '';
  const names = out.map((d) => `${d.sample} (${d.collection_date})`).join(', ');
  const which = out.length > 1 ? 'latest draws' : 'last draw';
  const instead = read
    ? `These are the findings of ${read.sample} (${read.collection_date}), the last draw kept.`
    : 'No draw was kept, so there are no findings to show.';
  return `<p class="identity-note">${SWAP_MARK} The ${which}, ${esc(names)}, failed the sample-identity check and ${out.length > 1 ? 'are' : 'is'} left out. ${esc(instead)}</p>`;
}

export function findingsSection(r: PatientReport): string {
  const kept = r.draws.filter((d) => !isLeftOut(d));
  // The draw the findings are read at: the last kept draw, never a possibly swapped tube.
  const read = kept.at(-1);
  const note = leftOutNote(r, read);
  const title = `<h2>Findings at the last draw${read ? ` (${esc(read.collection_date)})` : ''}</h2>${note}`;
  if (r.findings.length === 0) {
    // With no kept draw the note already says why nothing is shown.
    const none =
      read || !note
        ? `<p class="muted">No tracked site was detected${read ? ' at the last draw, and no actionable site in any draw' : ''}.</p>`
        : '';
    return `<section id="findings">${title}${none}</section>`;
  }
  const genes = new Map(r.therapies.map((g) => [g.gene, g]));
  const rows: string[] = [];
  r.findings.forEach((f, i) => {
    // The gene's drugs once, spanning the consecutive rows of that gene's actionable findings.
    let drugs = '';
    const prev = r.findings[i - 1];
    if (!f.actionable) drugs = '<td><span class="muted">–</span></td>';
    else if (!prev || prev.gene !== f.gene || !prev.actionable) {
      let span = 1;
      while (r.findings[i + span]?.gene === f.gene && r.findings[i + span].actionable) span++;
      drugs = `<td${span > 1 ? ` rowspan="${span}"` : ''}>${drugNames(genes.get(f.gene))}</td>`;
    }
    rows.push(
      `<tr${f.drove_group ? ' class="drove"' : ''} data-finding="${esc(f.label)}">` +
        `<td><strong>${esc(f.label)}</strong>${f.drove_group ? '<br><span class="drove-tag">decided the group</span>' : ''}</td>` +
        `<td class="num">${vafCell(f)}</td><td>${trendCell(f, kept.length)}</td><td class="nw">${esc(f.first_detected ?? '–')}</td><td>${flagsCell(f)}</td>${drugs}</tr>`,
    );
  });
  const more =
    r.findings_more > 0
      ? `<p class="muted">${r.findings_more} more site(s) detected at the last draw are listed in the evidence table.</p>`
      : '';
  return (
    `<section id="findings">${title}<table class="findings"><thead><tr><th>finding</th><th class="num">VAF (95 % CI)</th><th>trend</th>` +
    `<th>first detected</th><th>flags</th><th>matched drugs</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}</section>`
  );
}

const UNCHECKED = 'not re-checked';

function levelText(t: MatchedTherapy): string {
  const parts: string[] = [];
  const mark = t.levels_confirmed ? '' : ` (${UNCHECKED})`;
  if (t.oncokb_level !== 'unknown' && t.oncokb_level !== 'not applicable') {
    parts.push(`OncoKB level ${t.oncokb_level}${mark}${t.oncokb_words ? `: ${t.oncokb_words}` : ''}`);
  }
  if (t.escat_tier !== 'unknown' && t.escat_tier !== 'not applicable') {
    parts.push(`ESCAT tier ${t.escat_tier}${mark}${t.escat_words ? `: ${t.escat_words}` : ''}`);
  }
  return parts.length ? `${parts.join('. ')}.` : 'No OncoKB level or ESCAT tier recorded.';
}

/** The evidence behind each matched drug, gene by gene (each drug once per gene). */
export function therapiesSection(r: PatientReport): string {
  if (r.therapies.length === 0) return '';
  const blocks = r.therapies.map((g) => {
    const items = g.therapies
      .map(
        (t) =>
          `<li class="therapy"><strong>${esc(t.drugs)}</strong> <span class="muted">— for ${esc(t.applies_to.join(', '))}</span>` +
          `<p>${esc(t.regulatory_status)} <span class="muted">(as of ${esc(t.as_of)})</span></p><p>${esc(levelText(t))}</p>` +
          `<p class="src">${esc(t.trial)} — ${esc(t.reference)} <span class="id">reference/actionability ${esc(t.row_id)}</span></p></li>`,
      )
      .join('');
    const note = g.gene === 'ESR1' ? `<p class="meaning">${esc(ESR1_NOTE)}</p>` : '';
    return `<h3>${esc(g.gene)} <span class="muted">(${esc(g.findings.join(', '))})</span></h3>${note}<ul class="notes">${items}</ul>`;
  });
  const unchecked = r.therapies.some((g) => g.therapies.some((t) => !t.levels_confirmed))
    ? `<p class="meaning">“${UNCHECKED}”: the level is as the actionability table records it; its curators did not confirm it against the live OncoKB or ESMO sources (see the table's <code>confirmation</code> column).</p>`
    : '';
  return `<section id="therapies"><h2>Matched therapies and their evidence</h2>${unchecked}${blocks.join('')}</section>`;
}
