import { esc } from '../html/escape.js';
import { pct } from '../html/format.js';
import type { PatientReport, SiteSeries } from '../types.js';
import { decadeTicks, isoToDay, linearScale, logDomain, logScale, monthTicks, dayToIso } from './scale.js';

/**
 * VAF over time, one series per tracked site, on a log axis (ctDNA fractions span 0.01 %–50 %,
 * so a linear axis would flatten everything that matters at low fractions). Each point carries its
 * Wilson interval; the per-draw median limit of detection is a dashed grey step; the tumour
 * fraction is the thick black line; imaging assessments and therapy start are vertical rules.
 * Filled marker = detected, hollow = not detected (plotted at its VAF, or on the floor when 0).
 * Colours are the Okabe–Ito palette (colour-blind safe) and every series also has its own marker
 * shape, so the chart reads in greyscale print too.
 */

/** Okabe & Ito (2008), "Color Universal Design"; black is kept for the tumour fraction. */
export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'triangle-down'] as const;
type Shape = (typeof SHAPES)[number];

const W = 780;
const H = 340;
const M = { left: 66, right: 190, top: 34, bottom: 44 };
/** Height of the row under the log axis where VAF = 0 (no alt read) is drawn: log(0) has no place. */
const ZERO_BAND = 30;

export function seriesStyle(index: number): { colour: string; shape: Shape } {
  return { colour: OKABE_ITO[index % OKABE_ITO.length], shape: SHAPES[index % SHAPES.length] };
}

function marker(shape: Shape, x: number, y: number, colour: string, filled: boolean, r = 4.5): string {
  const fill = filled ? colour : '#ffffff';
  const common = `fill="${fill}" stroke="${colour}" stroke-width="1.6"`;
  const f = (n: number) => (Math.round(n * 10) / 10).toString();
  switch (shape) {
    case 'circle':
      return `<circle cx="${f(x)}" cy="${f(y)}" r="${r}" ${common}/>`;
    case 'square':
      return `<rect x="${f(x - r * 0.9)}" y="${f(y - r * 0.9)}" width="${f(r * 1.8)}" height="${f(r * 1.8)}" ${common}/>`;
    case 'triangle':
      return `<path d="M${f(x)} ${f(y - r * 1.1)}L${f(x + r)} ${f(y + r * 0.8)}L${f(x - r)} ${f(y + r * 0.8)}Z" ${common}/>`;
    case 'triangle-down':
      return `<path d="M${f(x)} ${f(y + r * 1.1)}L${f(x + r)} ${f(y - r * 0.8)}L${f(x - r)} ${f(y - r * 0.8)}Z" ${common}/>`;
    case 'diamond':
      return `<path d="M${f(x)} ${f(y - r * 1.2)}L${f(x + r)} ${f(y)}L${f(x)} ${f(y + r * 1.2)}L${f(x - r)} ${f(y)}Z" ${common}/>`;
  }
}

function median(values: number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * Sites drawn in the chart: those detected in at least one draw. A panel tracks every site in every
 * patient; drawing a dozen flat never-detected series would hide the ones that matter (they are
 * listed, with their limits of detection, under the evidence table).
 */
export function chartedSites(report: PatientReport): SiteSeries[] {
  return report.sites.filter((s) => s.points.some((p) => p.call === 'detected'));
}

export function siteLabel(s: SiteSeries): string {
  return s.protein ? `${s.gene} ${s.protein.replace(/^p\./, '')}` : `${s.gene || s.chrom} ${s.chrom}:${s.pos}${s.ref}>${s.alt}`;
}

/** The chart as an SVG string; `idPrefix` keeps title/desc ids unique in the page. */
export function vafChartSvg(report: PatientReport, idPrefix = 'vaf'): string {
  const draws = report.draws;
  const sites = chartedSites(report);
  const dates = [
    ...draws.map((d) => isoToDay(d.collection_date)),
    ...report.imaging.map((i) => isoToDay(i.assessment_date)),
  ];
  const therapyStart = report.clinical?.therapy_start ? isoToDay(report.clinical.therapy_start) : Number.NaN;
  if (Number.isFinite(therapyStart)) dates.push(therapyStart);
  const finiteDates = dates.filter(Number.isFinite);
  let d0 = finiteDates.length ? Math.min(...finiteDates) : 0;
  let d1 = finiteDates.length ? Math.max(...finiteDates) : 1;
  const pad = Math.max(7, (d1 - d0) * 0.04);
  d0 -= pad;
  d1 += pad;

  // The axis covers what is drawn: detected VAFs with their intervals, positive VAFs of
  // not-detected points, LoDs and the tumour fraction. VAF 0 goes on its own "0" row below the axis.
  const yValues: number[] = [];
  for (const s of sites) {
    for (const p of s.points) {
      const vs = p.call === 'detected' ? [p.vaf, p.vaf_low, p.vaf_high, p.lod] : [p.vaf, p.lod];
      for (const v of vs) if (v !== null && v > 0) yValues.push(v);
    }
  }
  for (const d of draws) if (d.tumour_fraction && d.tumour_fraction.estimate > 0) yValues.push(d.tumour_fraction.estimate);
  const [lo, hi] = logDomain(yValues);

  const x = linearScale(d0, d1, M.left, W - M.right);
  const logY = logScale(lo, hi, H - M.bottom - ZERO_BAND, M.top);
  const zeroY = H - M.bottom - 10;
  const y = (v: number) => (v > 0 ? logY(v) : zeroY);
  const out: string[] = [];
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${titleId} ${descId}" data-points="${sites.reduce((n, s) => n + s.points.length, 0)}">`,
  );
  out.push(`<title id="${titleId}">Variant allele fraction over time, patient ${esc(report.patient)}</title>`);
  out.push(`<desc id="${descId}">${esc(chartDescription(report))}</desc>`);
  out.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="#ffffff" stroke="#bbbbbb"/>`);

  // Axes: decade grid on y, month ticks on x.
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom - ZERO_BAND}" y2="${H - M.bottom - ZERO_BAND}" stroke="#bbbbbb" stroke-dasharray="3 3"/>`);
  out.push(`<text x="${M.left - 6}" y="${zeroY + 4}" text-anchor="end" class="tick">0</text>`);
  for (const t of decadeTicks(lo, hi)) {
    const ty = y(t);
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${ty}" y2="${ty}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${M.left - 6}" y="${ty + 4}" text-anchor="end" class="tick">${esc(pct(t))}</text>`);
  }
  for (const t of monthTicks(d0, d1)) {
    const tx = x(t);
    out.push(`<line x1="${tx}" x2="${tx}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}" stroke="#666666"/>`);
    out.push(`<text x="${tx}" y="${H - M.bottom + 18}" text-anchor="middle" class="tick">${dayToIso(t).slice(0, 7)}</text>`);
  }
  out.push(`<text x="${M.left - 50}" y="${(M.top + H - M.bottom) / 2}" transform="rotate(-90 ${M.left - 50} ${(M.top + H - M.bottom) / 2})" text-anchor="middle" class="axis">VAF (log scale)</text>`);
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle" class="axis">collection date</text>`);

  // Therapy start and imaging assessments as annotations.
  if (Number.isFinite(therapyStart)) {
    const tx = x(therapyStart);
    out.push(`<g class="annot therapy"><line x1="${tx}" x2="${tx}" y1="${M.top}" y2="${H - M.bottom}" stroke="#555555" stroke-width="1.5"/>`);
    out.push(`<text x="${tx + 3}" y="${M.top - 20}" class="annot-label">▶ start ${esc(report.clinical?.therapy_class ?? '')}</text></g>`);
  }
  report.imaging.forEach((img, i) => {
    const tx = x(isoToDay(img.assessment_date));
    const progressing = img.progressing_lesions > 0;
    const colour = progressing ? '#D55E00' : '#777777';
    const label = progressing ? `PD ×${img.progressing_lesions}` : 'no PD';
    out.push(
      `<g class="annot imaging"><line x1="${tx}" x2="${tx}" y1="${M.top}" y2="${H - M.bottom}" stroke="${colour}" stroke-dasharray="2 3" stroke-width="1.3"/>` +
        `<text x="${tx}" y="${M.top - (i % 2 ? 4 : 10)}" text-anchor="middle" class="annot-label" fill="${colour}">${esc(label)}</text>` +
        `<title>Imaging ${esc(img.assessment_date)}: ${img.progressing_lesions} progressing lesion(s)${img.sites.length ? ` (${esc(img.sites.join(', '))})` : ''}</title></g>`,
    );
  });

  // Limit of detection: the median over all tracked sites at each draw (per-site LoDs are in the table).
  const lodPts: string[] = [];
  for (const d of draws) {
    const lods = report.sites.flatMap((s) => s.points.filter((p) => p.sample === d.sample && p.lod !== null).map((p) => p.lod as number));
    const m = median(lods);
    if (m !== null && m > 0) lodPts.push(`${x(isoToDay(d.collection_date))},${y(m)}`);
  }
  if (lodPts.length) out.push(`<polyline class="lod" points="${lodPts.join(' ')}" fill="none" stroke="#999999" stroke-width="1.5" stroke-dasharray="6 4"/>`);

  // Tumour fraction.
  const tfDraws = draws.filter((d) => d.tumour_fraction !== null && d.tumour_fraction.estimate > 0);
  if (tfDraws.length) {
    const pts = tfDraws.map((d) => `${x(isoToDay(d.collection_date))},${y(d.tumour_fraction!.estimate)}`);
    out.push(`<g class="series tf"><polyline points="${pts.join(' ')}" fill="none" stroke="#000000" stroke-width="2.6"/>`);
    for (const d of tfDraws) {
      const tx = x(isoToDay(d.collection_date));
      const tf = d.tumour_fraction!;
      if (tf.low !== null && tf.high !== null) {
        out.push(`<line x1="${tx}" x2="${tx}" y1="${y(tf.low)}" y2="${y(tf.high)}" stroke="#000000" stroke-width="1"/>`);
      }
      out.push(`<rect class="pt tf-pt" x="${tx - 3.5}" y="${y(tf.estimate) - 3.5}" width="7" height="7" fill="#000000"><title>Tumour fraction ${esc(d.sample)} ${esc(d.collection_date)}: ${esc(pct(tf.estimate))}</title></rect>`);
    }
    out.push('</g>');
  }

  // Site series.
  sites.forEach((s, i) => {
    const { colour, shape } = seriesStyle(i);
    const pts = s.points.filter((p) => Number.isFinite(isoToDay(p.collection_date)));
    out.push(`<g class="series site" data-site="${esc(siteLabel(s))}">`);
    const line = pts.map((p) => `${x(isoToDay(p.collection_date))},${y(p.vaf ?? 0)}`);
    if (line.length > 1) out.push(`<polyline points="${line.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-opacity="0.8"/>`);
    for (const p of pts) {
      const px = x(isoToDay(p.collection_date));
      // Intervals only for detected points: a not-detected point's upper bound is shown by the LoD line.
      if (p.call === 'detected' && p.vaf_low !== null && p.vaf_high !== null && p.vaf_high > 0) {
        out.push(`<line x1="${px}" x2="${px}" y1="${y(p.vaf_low)}" y2="${y(p.vaf_high)}" stroke="${colour}" stroke-width="1.2"/>`);
      }
      const detected = p.call === 'detected';
      out.push(
        `<g class="pt" data-sample="${esc(p.sample)}" data-detected="${detected}">${marker(shape, px, y(p.vaf ?? 0), colour, detected)}` +
          `<title>${esc(siteLabel(s))} · ${esc(p.sample)} ${esc(p.collection_date)}: VAF ${esc(pct(p.vaf))} (${p.alt_count}/${p.depth})${p.event ? `, ${esc(p.event)}` : ''}</title></g>`,
      );
    }
    out.push('</g>');
  });

  // Legend.
  const lx = W - M.right + 14;
  let ly = M.top + 8;
  out.push('<g class="legend">');
  sites.forEach((s, i) => {
    const { colour, shape } = seriesStyle(i);
    out.push(marker(shape, lx + 6, ly, colour, true, 4));
    out.push(`<text x="${lx + 16}" y="${ly + 4}" class="legend-label">${esc(truncate(siteLabel(s), 24))}</text>`);
    ly += 17;
  });
  if (tfDraws.length) {
    out.push(`<line x1="${lx}" x2="${lx + 12}" y1="${ly}" y2="${ly}" stroke="#000000" stroke-width="2.6"/><text x="${lx + 16}" y="${ly + 4}" class="legend-label">tumour fraction</text>`);
    ly += 17;
  }
  if (lodPts.length) {
    out.push(`<line x1="${lx}" x2="${lx + 12}" y1="${ly}" y2="${ly}" stroke="#999999" stroke-width="1.5" stroke-dasharray="4 2"/><text x="${lx + 16}" y="${ly + 4}" class="legend-label">LoD (median)</text>`);
    ly += 17;
  }
  out.push(marker('circle', lx + 6, ly, '#555555', false, 4));
  out.push(`<text x="${lx + 16}" y="${ly + 4}" class="legend-label">hollow = not detected</text>`);
  ly += 17;
  out.push(`<text x="${lx}" y="${ly + 4}" class="legend-label">row “0”: no alt read</text>`);
  out.push('</g></svg>');
  return out.join('');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A text alternative that says what the chart shows, for screen readers and for print. */
export function chartDescription(report: PatientReport): string {
  const parts: string[] = [];
  const shown = chartedSites(report);
  parts.push(`${shown.length} of ${report.sites.length} tracked site(s) detected at least once, over ${report.draws.length} plasma draw(s)`);
  for (const s of shown) {
    const series = s.points.map((p) => `${p.collection_date} ${pct(p.vaf)}${p.call === 'detected' ? '' : ' (not detected)'}`);
    parts.push(`${siteLabel(s)}: ${series.join('; ')}`);
  }
  const tf = report.draws.filter((d) => d.tumour_fraction);
  if (tf.length) parts.push(`tumour fraction: ${tf.map((d) => `${d.collection_date} ${pct(d.tumour_fraction!.estimate)}`).join('; ')}`);
  if (report.imaging.length) {
    parts.push(`imaging: ${report.imaging.map((i) => `${i.assessment_date} ${i.progressing_lesions} progressing`).join('; ')}`);
  }
  return `${parts.join('. ')}.`;
}
