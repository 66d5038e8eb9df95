import type { ReportMeta } from '../types.js';

/**
 * Header and footer of every printed page, as CSS @page margin boxes: they repeat on each page
 * when the browser prints (Chromium 131+) and in the PDFs, so a loose page still names the patient,
 * the report date, the data cut-off, the version and the policy. The browser's own header (file
 * path and print time) is replaced by this one.
 */

/** A CSS string literal that cannot end the string or the <style> element: only a safe ASCII set stays literal. */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of text) {
    if (/^[A-Za-z0-9 .,:;()+_/=-]$/.test(ch)) out += ch;
    else out += `\\${ch.codePointAt(0)!.toString(16)} `;
  }
  return `${out}"`;
}

export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

export function metaLine(m: ReportMeta): { date: string; tool: string } {
  return {
    date: `Report date ${m.report_date || '–'} · data cut-off ${m.data_cutoff || '–'}`,
    tool: `oligotrack ${m.tool_version} · policy sha256 ${shortHash(m.policy_sha256)}`,
  };
}

export function printMarginCss(title: string, m: ReportMeta): string {
  const { date, tool } = metaLine(m);
  const box = 'font-family:system-ui,sans-serif;font-size:8pt;color:#444';
  return (
    '@page{' +
    `@top-left{content:${cssString(title)};${box};vertical-align:bottom}` +
    `@top-right{content:${cssString(date)};${box};vertical-align:bottom}` +
    `@bottom-left{content:${cssString(`${tool} · research decision support, not a diagnostic test`)};${box};vertical-align:top}` +
    `@bottom-right{content:"page " counter(page) " of " counter(pages);${box};vertical-align:top}` +
    '}'
  );
}
