import { chartLegend, chartSvg, chartedSites, detectedSites } from '../svg/chart.js';
import type { PatientReport, ReportMeta } from '../types.js';
import { esc, safeFileStem } from './escape.js';
import { evidenceSection } from './evidence.js';
import { findingsSection, therapiesSection } from './findings.js';
import { headlineSection } from './headline.js';
import { page } from './page.js';
import { metaLine, printMarginCss, shortHash } from './print-header.js';
import { rulesSection } from './rules.js';
import { historySection, methodsSection, modifiersSection, qcSection } from './sections.js';

/**
 * One self-contained HTML page for one patient, built from the report JSON alone (a pure function:
 * same JSON → same bytes). No script, no external resource: the page makes no request at all.
 * Reading order: headline, findings at the last draw, chart, matched therapies, per-site evidence,
 * modifiers, assessments, quality control, the rules (collapsed), methods.
 */
export function renderPatientPage(r: PatientReport): string {
  const body = [
    header(`Patient <span class="patient-id">${esc(r.patient)}</span>`, r.meta),
    patientFacts(r),
    `<p class="banner" role="note">${esc(r.disclaimer)}</p>`,
    headlineSection(r),
    findingsSection(r),
    chartSection(r),
    therapiesSection(r),
    evidenceSection(r),
    modifiersSection(r),
    historySection(r),
    qcSection(r),
    rulesSection(r.assessments[r.assessments.length - 1]),
    methodsSection(r),
    footer(r.meta, `${safeFileStem(r.patient)}.json`, true),
  ];
  // The printed header's left box shares the line with the date: a long ID is shortened there only.
  const id = r.patient.length > 40 ? `${r.patient.slice(0, 39)}…` : r.patient;
  return page(`Patient ${r.patient} · oligotrack ctDNA report`, body.join('\n'), {
    printCss: printMarginCss(`Patient ${id} · ctDNA tumour-board report`, r.meta),
  });
}

/** The page header: title on the left, report date, data cut-off, version and policy on the right. */
export function header(titleHtml: string, m: ReportMeta): string {
  return (
    `<header class="top"><div><div class="kicker">ctDNA tumour-board report</div><h1>${titleHtml}</h1></div>` +
    '<dl class="meta" aria-label="report date and versions">' +
    `<dt>Report date</dt><dd data-meta="report-date">${esc(m.report_date || '–')}</dd>` +
    `<dt>Data cut-off</dt><dd data-meta="data-cutoff">${esc(m.data_cutoff || '–')}</dd>` +
    `<dt>Version</dt><dd>oligotrack ${esc(m.tool_version)}</dd>` +
    `<dt>Policy</dt><dd>${esc(m.policy_name)} <span class="id">sha256 ${esc(shortHash(m.policy_sha256))}</span></dd></dl></header>`
  );
}

export function footer(m: ReportMeta, json: string, patient: boolean): string {
  const { date, tool } = metaLine(m);
  return (
    `<footer>${esc(date)} · ${esc(tool)} · data: <code>${esc(json)}</code>` +
    `${patient ? ' · <a href="index.html">cohort index</a>' : ''} · how to read this report: <code>docs/guides/reading-the-report.md</code> in oligotrack</footer>`
  );
}

function patientFacts(r: PatientReport): string {
  const c = r.clinical;
  const last = r.draws.length ? r.draws[r.draws.length - 1] : null;
  const facts: [string, string][] = [
    ['Subtype', c?.subtype ?? '–'],
    ['Current therapy', c ? `${c.therapy} (${c.therapy_class})` : '–'],
    ['Therapy start', c?.therapy_start ?? '–'],
    ['Plasma draws', `${r.draws.length}${last ? ` (${r.draws[0].collection_date} → ${last.collection_date})` : ''}`],
    ['Tracked sites', String(r.sites.length)],
    ['Imaging assessments', String(r.imaging.length)],
  ];
  // Long combination therapies ("trastuzumab+pertuzumab+letrozole") may break after each "+".
  const dd = (v: string) => esc(v).replace(/\+/g, '+<wbr>');
  return `<section id="patient" aria-label="patient summary"><dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${dd(v)}</dd></div>`).join('')}</dl></section>`;
}

function chartSection(r: PatientReport): string {
  if (r.draws.length === 0) return '<section id="chart"><h2>ctDNA over time</h2><p class="muted">No draws.</p></section>';
  const shown = chartedSites(r).length;
  const detected = detectedSites(r).length;
  const subset =
    shown < detected
      ? ` The ${shown} sites drawn of the ${detected} detected in some draw: the findings that decided the group and actionable ones first, then by highest VAF; the evidence table lists all.`
      : '';
  return (
    `<figure id="chart"><h2>ctDNA over time</h2>${chartSvg(r)}${chartLegend(r)}` +
    `<figcaption>Top: tumour fraction (pooled clonal sites) with its 95 % interval. Bottom: VAF of each site (log scale) with 95 % Wilson intervals; ` +
    `not-detected draws are hollow, draws with no variant read sit on the “0 reads” row.${esc(subset)}</figcaption></figure>`
  );
}
