import { esc } from '../html/escape.js';
import { pct } from '../html/format.js';
import { swappedSamples } from '../html/identity.js';
import { isLeftOut } from '../identity.js';
import { variantLabel } from '../labels.js';
import type { PatientReport, SiteSeries } from '../types.js';
import { dodge, labelRows } from './dodge.js';
import { dayToIso, decadeTicks, isoToDay, linearScale, logDomain, logScale, monthTicks } from './scale.js';

/**
 * ctDNA over time as two panels on one date axis: the tumour fraction on its own log axis on top,
 * the VAF of each charted site on a log axis below (with a "0 reads" row: log(0) has no place, and
 * a draw with no variant read is the common case in serial ctDNA). Wilson intervals on detected
 * points; filled marker = detected, hollow = not detected; markers dodged sideways so none hides
 * another. Therapy starts and imaging assessments are vertical rules in greys only, so no colour
 * is shared between a site and an annotation. A draw whose identity check is discordant (possibly
 * another person's tube) is not part of the patient's trajectory: its points are crosses left out of
 * the lines, under a dash-dot rule labelled "identity discordant". Sites are Okabe–Ito colours plus one marker shape
 * each (colour-blind safe and greyscale-printable). With a large panel only the top
 * MAX_CHART_SITES sites are drawn (what decided the group, then actionable, then by VAF); the
 * evidence table lists every site.
 */

/** Okabe & Ito (2008), "Color Universal Design", without black (the tumour fraction's colour). */
export const SITE_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];
/** Annotation and axis colours: greys only. */
export const CHART_GREYS = [
  '#000000',
  '#FFFFFF',
  '#222222',
  '#333333',
  '#444444',
  '#555555',
  '#666666',
  '#888888',
  '#999999',
  '#BBBBBB',
  '#E4E4E4',
];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down'] as const;
type Shape = (typeof SHAPES)[number];
export const MAX_CHART_SITES = 8;

const W = 780;
const LEFT = 74;
const RIGHT = 14;
const ROW_H = 13;
const TF_H = 84;
const GAP = 14;
const VAF_H = 164;
const ZERO_BAND = 26;
const MARKER_R = 4.5;
/** Box of the largest marker shape (diamond: 2.4 r tall) plus its stroke. */
const MARKER_BOX = 12;
/** 10.5 px semi-bold labels: about 6.8 px per character in the system sans fonts we target. */
const LABEL_CHAR_PX = 6.8;

export function seriesStyle(index: number): { colour: string; shape: Shape } {
  return { colour: SITE_COLOURS[index % SITE_COLOURS.length], shape: SHAPES[index % SHAPES.length] };
}

const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

export function marker(shape: Shape, x: number, y: number, colour: string, filled: boolean, r = MARKER_R): string {
  const fill = filled ? colour : '#FFFFFF';
  const common = `fill="${fill}" stroke="${colour}" stroke-width="1.6"`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${f1(x)}" cy="${f1(y)}" r="${r}" ${common}/>`;
    case 'square':
      return `<rect x="${f1(x - r * 0.9)}" y="${f1(y - r * 0.9)}" width="${f1(r * 1.8)}" height="${f1(r * 1.8)}" ${common}/>`;
    case 'triangle':
      return `<path d="M${f1(x)} ${f1(y - r * 1.1)}L${f1(x + r)} ${f1(y + r * 0.8)}L${f1(x - r)} ${f1(y + r * 0.8)}Z" ${common}/>`;
    case 'triangle-down':
      return `<path d="M${f1(x)} ${f1(y + r * 1.1)}L${f1(x + r)} ${f1(y - r * 0.8)}L${f1(x - r)} ${f1(y - r * 0.8)}Z" ${common}/>`;
    case 'diamond':
      return `<path d="M${f1(x)} ${f1(y - r * 1.2)}L${f1(x + r)} ${f1(y)}L${f1(x)} ${f1(y + r * 1.2)}L${f1(x - r)} ${f1(y)}Z" ${common}/>`;
  }
}

function median(values: number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Sites detected in at least one draw (the others are listed under the evidence table). */
export function detectedSites(r: PatientReport): SiteSeries[] {
  return r.sites.filter((s) => s.points.some((p) => p.call === 'detected'));
}

const siteKey = (s: SiteSeries) => `${s.chrom}:${s.pos}:${s.ref}>${s.alt}`;
const maxVaf = (s: SiteSeries) => Math.max(0, ...s.points.map((p) => (p.call === 'detected' ? (p.vaf ?? 0) : 0)));

/** Detected sites in the findings' order (what decided the group, actionable), then by highest VAF. */
export function orderedDetectedSites(r: PatientReport): SiteSeries[] {
  const rank = new Map(r.findings.map((f, i) => [f.key, i]));
  return [...detectedSites(r)].sort((a, b) => {
    const ra = rank.get(siteKey(a)) ?? Infinity;
    const rb = rank.get(siteKey(b)) ?? Infinity;
    if (ra !== rb) return ra - rb;
    return maxVaf(b) - maxVaf(a) || (siteKey(a) < siteKey(b) ? -1 : 1);
  });
}

/** The sites drawn: the first MAX_CHART_SITES of orderedDetectedSites. */
export function chartedSites(r: PatientReport): SiteSeries[] {
  return orderedDetectedSites(r).slice(0, MAX_CHART_SITES);
}

interface Annotation {
  day: number;
  label: string;
  kind: 'therapy' | 'pd' | 'nopd' | 'swap';
  title: string;
}

/** Words shared by the chart's rule, marker titles, legend and text alternative. */
const SWAP_LABEL = 'identity discordant';
const SWAP_WHY = 'possible sample swap, not joined to the patient’s lines';

/**
 * A point of an identity-discordant draw: an × in the series' colour, a shape no series uses, so it
 * never reads as one of the patient's own measurements.
 */
export function swapMarker(x: number, y: number, colour: string, r = MARKER_R): string {
  const a = f1(x - r);
  const b = f1(x + r);
  const c = f1(y - r);
  const d = f1(y + r);
  return `<path d="M${a} ${c}L${b} ${d}M${a} ${d}L${b} ${c}" fill="none" stroke="${colour}" stroke-width="1.8"/>`;
}

function annotations(r: PatientReport): Annotation[] {
  const out: Annotation[] = [];
  const c = r.clinical;
  for (const l of c?.earlier_lines ?? []) {
    out.push({
      day: isoToDay(l.start),
      label: `start ${l.therapy_class}`,
      kind: 'therapy',
      title: `Therapy start ${l.start}: ${l.therapy} (${l.therapy_class})`,
    });
  }
  if (c?.therapy_start) {
    out.push({
      day: isoToDay(c.therapy_start),
      label: `start ${c.therapy_class}`,
      kind: 'therapy',
      title: `Therapy start ${c.therapy_start}: ${c.therapy} (${c.therapy_class})`,
    });
  }
  for (const img of r.imaging) {
    const pd = img.progressing_lesions > 0;
    out.push({
      day: isoToDay(img.assessment_date),
      label: pd ? `PD ×${img.progressing_lesions}` : 'no PD',
      kind: pd ? 'pd' : 'nopd',
      title: `Imaging ${img.assessment_date}: ${img.progressing_lesions} progressing lesion(s)${img.sites.length ? ` (${img.sites.join(', ')})` : ''}`,
    });
  }
  for (const d of r.draws.filter(isLeftOut)) {
    out.push({
      day: isoToDay(d.collection_date),
      label: SWAP_LABEL,
      kind: 'swap',
      title: `Draw ${d.sample} ${d.collection_date}: ${SWAP_LABEL} (${SWAP_WHY})`,
    });
  }
  return out.filter((a) => Number.isFinite(a.day));
}

const ANNOT_STYLE: Record<Annotation['kind'], string> = {
  therapy: 'stroke="#555555" stroke-width="1.5"',
  pd: 'stroke="#333333" stroke-width="1.6" stroke-dasharray="5 3"',
  nopd: 'stroke="#999999" stroke-width="1.2" stroke-dasharray="1.5 3"',
  swap: 'stroke="#888888" stroke-width="1.2" stroke-dasharray="7 3 1.5 3"',
};

/** The chart as an SVG string; `idPrefix` keeps title/desc ids unique in the page. */
export function chartSvg(report: PatientReport, idPrefix = 'vaf'): string {
  const draws = report.draws;
  const swapped = swappedSamples(report);
  const sites = chartedSites(report);
  const notes = annotations(report);
  const days = [...draws.map((d) => isoToDay(d.collection_date)), ...notes.map((a) => a.day)].filter(Number.isFinite);
  let d0 = days.length ? Math.min(...days) : 0;
  let d1 = days.length ? Math.max(...days) : 1;
  const pad = Math.max(7, (d1 - d0) * 0.04);
  d0 -= pad;
  d1 += pad;
  const x = linearScale(d0, d1, LEFT, W - RIGHT);

  // Annotation labels in rows above the panels, so that no two labels overlap.
  const widths = notes.map((a) => a.label.length * LABEL_CHAR_PX);
  const centres = notes.map((a, i) => Math.min(Math.max(x(a.day), LEFT + widths[i] / 2), W - RIGHT - widths[i] / 2));
  const rows = labelRows(centres.map((c, i) => ({ x: c, width: widths[i] })));
  const nRows = Math.max(1, ...rows.map((r) => r + 1));
  const tfTop = 8 + nRows * ROW_H + 4;
  const vTop = tfTop + TF_H + GAP;
  const axisY = vTop + VAF_H;
  const H = axisY + 40;

  const out: string[] = [];
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const nPoints = sites.reduce((n, s) => n + s.points.length, 0);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${titleId} ${descId}" data-points="${nPoints}">`,
  );
  out.push(`<title id="${titleId}">Tumour fraction and variant allele fraction over time, patient ${esc(report.patient)}</title>`);
  out.push(`<desc id="${descId}">${esc(chartDescription(report))}</desc>`);

  // --- Tumour fraction panel.
  const tfDraws = draws.filter(
    (d) => d.tumour_fraction !== null && d.tumour_fraction.estimate > 0 && Number.isFinite(isoToDay(d.collection_date)),
  );
  const tfValues = tfDraws.flatMap((d) => [d.tumour_fraction!.estimate, d.tumour_fraction!.low ?? 0, d.tumour_fraction!.high ?? 0]);
  const [tlo, thi] = logDomain(tfValues);
  const ty = logScale(tlo, thi, tfTop + TF_H - 6, tfTop + 6);
  out.push(
    `<g class="panel tf-panel"><rect x="${LEFT}" y="${tfTop}" width="${W - LEFT - RIGHT}" height="${TF_H}" fill="#FFFFFF" stroke="#BBBBBB"/>`,
  );
  for (const t of decadeTicks(tlo, thi)) {
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${ty(t)}" y2="${ty(t)}" stroke="#E4E4E4"/>`);
    out.push(`<text x="${LEFT - 6}" y="${f1(ty(t) + 4)}" text-anchor="end" class="tick">${esc(pct(t))}</text>`);
  }
  const tfMid = tfTop + TF_H / 2;
  out.push(
    `<text x="${LEFT - 58}" y="${tfMid}" transform="rotate(-90 ${LEFT - 58} ${tfMid})" text-anchor="middle" class="axis">Tumour fraction</text>`,
  );
  if (tfDraws.length) {
    // The line joins the patient's own draws only: another person's tube is no point of her trajectory.
    const pts = tfDraws
      .filter((d) => !swapped.has(d.sample))
      .map((d) => `${x(isoToDay(d.collection_date))},${ty(d.tumour_fraction!.estimate)}`);
    out.push(
      `<g class="series tf">${pts.length ? `<polyline points="${pts.join(' ')}" fill="none" stroke="#000000" stroke-width="2.4"/>` : ''}`,
    );
    for (const d of tfDraws) {
      const px = x(isoToDay(d.collection_date));
      const tf = d.tumour_fraction!;
      if (swapped.has(d.sample)) {
        out.push(
          `<g class="pt tf-pt swapped" data-sample="${esc(d.sample)}" data-identity="discordant">${swapMarker(px, ty(tf.estimate), '#000000', 3.5)}` +
            `<title>Tumour fraction ${esc(d.collection_date)}: ${esc(pct(tf.estimate))}, ${SWAP_LABEL} (${SWAP_WHY})</title></g>`,
        );
        continue;
      }
      if (tf.low !== null && tf.high !== null)
        out.push(`<line x1="${px}" x2="${px}" y1="${ty(Math.max(tf.low, tlo))}" y2="${ty(tf.high)}" stroke="#000000" stroke-width="1"/>`);
      out.push(
        `<rect class="pt tf-pt" x="${f1(px - 3.5)}" y="${f1(ty(tf.estimate) - 3.5)}" width="7" height="7" fill="#000000"><title>Tumour fraction ${esc(d.collection_date)}: ${esc(pct(tf.estimate))}</title></rect>`,
      );
    }
    out.push('</g>');
    out.push(...nadirLabels(report, x, ty, tfTop));
  } else {
    out.push(
      `<text x="${(LEFT + W - RIGHT) / 2}" y="${tfMid + 4}" text-anchor="middle" class="note">No tumour fraction: no clonal site to pool</text>`,
    );
  }
  out.push('</g>');

  // --- VAF panel.
  const yValues: number[] = [];
  for (const s of sites) {
    for (const p of s.points) {
      const vs = p.call === 'detected' ? [p.vaf, p.vaf_low, p.vaf_high, p.lod] : [p.vaf, p.lod];
      for (const v of vs) if (v !== null && v > 0) yValues.push(v);
    }
  }
  const [lo, hi] = logDomain(yValues);
  const logY = logScale(lo, hi, axisY - ZERO_BAND - 6, vTop + 6);
  const zeroY = axisY - 12;
  const y = (v: number) => (v > 0 ? logY(v) : zeroY);
  out.push(
    `<g class="panel vaf-panel"><rect x="${LEFT}" y="${vTop}" width="${W - LEFT - RIGHT}" height="${VAF_H}" fill="#FFFFFF" stroke="#BBBBBB"/>`,
  );
  out.push(
    `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${axisY - ZERO_BAND}" y2="${axisY - ZERO_BAND}" stroke="#BBBBBB" stroke-dasharray="3 3"/>`,
  );
  out.push(`<text x="${LEFT - 6}" y="${zeroY + 4}" text-anchor="end" class="tick">0 reads</text>`);
  for (const t of decadeTicks(lo, hi)) {
    out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${logY(t)}" y2="${logY(t)}" stroke="#E4E4E4"/>`);
    out.push(`<text x="${LEFT - 6}" y="${f1(logY(t) + 4)}" text-anchor="end" class="tick">${esc(pct(t))}</text>`);
  }
  const vMid = (vTop + axisY) / 2;
  out.push(
    `<text x="${LEFT - 58}" y="${vMid}" transform="rotate(-90 ${LEFT - 58} ${vMid})" text-anchor="middle" class="axis">VAF per site</text>`,
  );

  // Limit of detection: the median over all tracked sites at each of the patient's own draws (per-site
  // LoDs are in the table; a swapped tube's depth says nothing about this patient's sensitivity).
  const lodPts: string[] = [];
  for (const d of draws) {
    if (swapped.has(d.sample)) continue;
    const lods = report.sites.flatMap((s) => s.points.filter((p) => p.sample === d.sample && p.lod !== null).map((p) => p.lod as number));
    const m = median(lods);
    if (m !== null && m > 0 && Number.isFinite(isoToDay(d.collection_date))) lodPts.push(`${x(isoToDay(d.collection_date))},${logY(m)}`);
  }
  if (lodPts.length)
    out.push(`<polyline class="lod" points="${lodPts.join(' ')}" fill="none" stroke="#999999" stroke-width="1.5" stroke-dasharray="6 4"/>`);

  // Markers in draw order, then series order, dodged so that none hides another.
  const placed: { s: number; p: number; x: number; y: number }[] = [];
  sites.forEach((s, si) =>
    s.points.forEach((p, pi) => {
      if (Number.isFinite(isoToDay(p.collection_date))) placed.push({ s: si, p: pi, x: x(isoToDay(p.collection_date)), y: y(p.vaf ?? 0) });
    }),
  );
  placed.sort((a, b) => a.p - b.p || a.s - b.s);
  const offsets = dodge(placed, MARKER_BOX);
  const at = new Map(placed.map((m, i) => [`${m.s}:${m.p}`, { x: Math.round((m.x + offsets[i]) * 10) / 10, y: m.y }]));
  sites.forEach((s, si) => {
    const { colour, shape } = seriesStyle(si);
    const label = variantLabel(s);
    const pts = s.points.map((p, pi) => ({ p, pos: at.get(`${si}:${pi}`) })).filter((q) => q.pos !== undefined) as {
      p: SiteSeries['points'][number];
      pos: { x: number; y: number };
    }[];
    out.push(`<g class="series site" data-site="${esc(label)}">`);
    const own = pts.filter((q) => !swapped.has(q.p.sample));
    if (own.length > 1)
      out.push(
        `<polyline points="${own.map((q) => `${q.pos.x},${q.pos.y}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-opacity="0.8"/>`,
      );
    for (const { p, pos } of pts) {
      if (swapped.has(p.sample)) {
        out.push(swappedPoint(label, p, pos, colour));
        continue;
      }
      // Intervals only for detected points: a not-detected point's upper bound is shown by the LoD line.
      if (p.call === 'detected' && p.vaf_low !== null && p.vaf_high !== null && p.vaf_high > 0) {
        out.push(
          `<line x1="${pos.x}" x2="${pos.x}" y1="${y(Math.max(p.vaf_low, lo))}" y2="${y(p.vaf_high)}" stroke="${colour}" stroke-width="1.2"/>`,
        );
      }
      const detected = p.call === 'detected';
      out.push(
        `<g class="pt" data-sample="${esc(p.sample)}" data-detected="${detected}">${marker(shape, pos.x, pos.y, colour, detected)}` +
          `<title>${esc(label)} · ${esc(p.collection_date)}: VAF ${esc(pct(p.vaf))} (${p.alt_count}/${p.depth})${p.event ? `, ${esc(p.event)}` : ''}${detected ? '' : ', not detected'}</title></g>`,
      );
    }
    out.push('</g>');
  });
  out.push('</g>');

  // --- Annotations across both panels, labels in their rows above.
  notes.forEach((a, i) => {
    const ax = x(a.day);
    const ly = tfTop - 5 - rows[i] * ROW_H;
    out.push(
      `<g class="annot ${a.kind}"><line x1="${ax}" x2="${ax}" y1="${tfTop}" y2="${axisY}" ${ANNOT_STYLE[a.kind]}/>` +
        `<text x="${f1(centres[i])}" y="${f1(ly)}" text-anchor="middle" class="annot-label">${esc(a.label)}</text><title>${esc(a.title)}</title></g>`,
    );
  });

  // --- Date axis.
  for (const t of monthTicks(d0, d1)) {
    const tx = x(t);
    out.push(`<line x1="${tx}" x2="${tx}" y1="${axisY}" y2="${axisY + 5}" stroke="#666666"/>`);
    // A 7-character label is about 44 px wide at 11 px: near an edge it is anchored inside the chart.
    const anchor = tx + 22 > W ? 'end' : tx - 22 < 0 ? 'start' : 'middle';
    const lx = anchor === 'end' ? W - 1 : anchor === 'start' ? 1 : tx;
    out.push(`<text x="${lx}" y="${axisY + 17}" text-anchor="${anchor}" class="tick">${dayToIso(t).slice(0, 7)}</text>`);
  }
  out.push(`<text x="${(LEFT + W - RIGHT) / 2}" y="${H - 5}" text-anchor="middle" class="axis">Collection date</text>`);
  out.push('</svg>');
  return out.join('');
}

/** A site's point at an identity-discordant draw: a cross, no interval, and why in its title. */
function swappedPoint(label: string, p: SiteSeries['points'][number], pos: { x: number; y: number }, colour: string): string {
  return (
    `<g class="pt swapped" data-sample="${esc(p.sample)}" data-identity="discordant">${swapMarker(pos.x, pos.y, colour)}` +
    `<title>${esc(label)} · ${esc(p.collection_date)}: VAF ${esc(pct(p.vaf))} (${p.alt_count}/${p.depth}), ${SWAP_LABEL} (${SWAP_WHY})</title></g>`
  );
}

/** "nadir" under the nadir draw and "peak" (or "compared") over the draw rule 3 compared with it. */
function nadirLabels(r: PatientReport, x: (d: number) => number, ty: (v: number) => number, tfTop: number): string[] {
  const tf = r.assessments.at(-1)?.tumour_fraction_change;
  if (!tf?.nadir_date || !tf.compared_date) return [];
  const out: string[] = [];
  const at = (date: string) => r.draws.find((d) => d.collection_date === date && d.tumour_fraction && d.tumour_fraction.estimate > 0);
  const n = at(tf.nadir_date);
  const c = at(tf.compared_date);
  if (n)
    out.push(
      `<text x="${x(isoToDay(n.collection_date))}" y="${f1(Math.min(ty(n.tumour_fraction!.estimate) + 16, tfTop + TF_H - 3))}" text-anchor="middle" class="pt-label">nadir</text>`,
    );
  if (c)
    out.push(
      `<text x="${x(isoToDay(c.collection_date))}" y="${f1(Math.max(ty(c.tumour_fraction!.estimate) - 9, tfTop + 11))}" text-anchor="middle" class="pt-label">${tf.compared_is_peak ? 'peak' : 'compared'}</text>`,
    );
  return out;
}

/** A key swatch for the HTML legend: a short line with the series' marker. */
function swatch(inner: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="26" height="14" viewBox="0 0 26 14" aria-hidden="true">${inner}</svg>`;
}

/** The chart's legend as HTML list items, in words. */
export function chartLegend(report: PatientReport): string {
  const sites = chartedSites(report);
  const items: string[] = sites.map((s, i) => {
    const { colour, shape } = seriesStyle(i);
    return `<li>${swatch(`<line x1="1" x2="25" y1="7" y2="7" stroke="${colour}" stroke-width="1.5"/>${marker(shape, 13, 7, colour, true, 4)}`)}<span>${esc(variantLabel(s))}</span></li>`;
  });
  items.push(
    `<li>${swatch('<line x1="1" x2="25" y1="7" y2="7" stroke="#000000" stroke-width="2.4"/><rect x="9.5" y="3.5" width="7" height="7" fill="#000000"/>')}<span>tumour fraction (top panel)</span></li>`,
  );
  items.push(
    `<li>${swatch(`${marker('circle', 7, 7, '#555555', true, 4)}${marker('circle', 19, 7, '#555555', false, 4)}`)}<span>filled: detected · hollow: not detected</span></li>`,
  );
  items.push(
    `<li>${swatch('<line x1="1" x2="25" y1="7" y2="7" stroke="#999999" stroke-width="1.5" stroke-dasharray="6 4"/>')}<span>median limit of detection</span></li>`,
  );
  items.push(`<li>${swatch('<line x1="13" x2="13" y1="0" y2="14" stroke="#555555" stroke-width="1.5"/>')}<span>therapy start</span></li>`);
  items.push(
    `<li>${swatch('<line x1="13" x2="13" y1="0" y2="14" stroke="#333333" stroke-width="1.6" stroke-dasharray="5 3"/>')}<span>scan with progression (PD ×n: n progressing lesions)</span></li>`,
  );
  items.push(
    `<li>${swatch('<line x1="13" x2="13" y1="0" y2="14" stroke="#999999" stroke-width="1.2" stroke-dasharray="1.5 3"/>')}<span>scan without progression</span></li>`,
  );
  if (report.draws.some(isLeftOut)) {
    items.push(
      `<li>${swatch(`<line x1="13" x2="13" y1="0" y2="14" ${ANNOT_STYLE.swap}/>${swapMarker(13, 7, '#555555', 4)}`)}<span>× under a dash-dot rule: ${SWAP_LABEL} (${SWAP_WHY})</span></li>`,
    );
  }
  items.push(`<li><span>bottom row “0 reads”: no read carried the variant at that draw</span></li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

/** A text alternative that says what the chart shows, for screen readers and for print. */
export function chartDescription(report: PatientReport): string {
  const parts: string[] = [];
  const shown = chartedSites(report);
  const detected = detectedSites(report);
  parts.push(
    `${detected.length} of ${report.sites.length} tracked site(s) detected at least once over ${report.draws.length} plasma draw(s)` +
      (shown.length < detected.length ? `; ${shown.length} drawn` : ''),
  );
  const swapped = swappedSamples(report);
  const mark = (sample: string) => (swapped.has(sample) ? ` (${SWAP_LABEL})` : '');
  for (const s of shown) {
    const series = s.points.map(
      (p) => `${p.collection_date} ${pct(p.vaf)}${p.call === 'detected' ? '' : ' (not detected)'}${mark(p.sample)}`,
    );
    parts.push(`${variantLabel(s)}: ${series.join('; ')}`);
  }
  const tf = report.draws.filter((d) => d.tumour_fraction);
  if (tf.length)
    parts.push(`tumour fraction: ${tf.map((d) => `${d.collection_date} ${pct(d.tumour_fraction!.estimate)}${mark(d.sample)}`).join('; ')}`);
  for (const d of report.draws.filter((x) => swapped.has(x.sample)))
    parts.push(`draw ${d.sample} ${d.collection_date}: ${SWAP_LABEL} (${SWAP_WHY})`);
  if (report.imaging.length) {
    parts.push(`imaging: ${report.imaging.map((i) => `${i.assessment_date} ${i.progressing_lesions} progressing`).join('; ')}`);
  }
  return `${parts.join('. ')}.`;
}
