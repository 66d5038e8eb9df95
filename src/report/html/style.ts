/**
 * The report's only stylesheet, inlined in every page (no network: no web fonts, no CDN). System
 * font stacks; Okabe–Ito colours for groups; A4 print rules keep each chart and card whole.
 */
export const REPORT_CSS = `
:root{--ink:#1d1d1f;--muted:#5b5b60;--rule:#d9d9de;--bg:#f6f6f8;--card:#ffffff;
--oligo:#009E73;--wide:#D55E00;--target:#0072B2;--indet:#6b6b70;--nopd:#56B4E9}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1000px;margin:0 auto;padding:20px 24px 40px}
header.top{display:flex;justify-content:space-between;align-items:flex-end;border-bottom:3px solid var(--ink);padding-bottom:8px;margin-bottom:14px}
header.top h1{font-size:22px;margin:0}
header.top .tool{color:var(--muted);font-size:12px;text-align:right}
.banner{background:#fff8e6;border:1px solid #E69F00;border-radius:6px;padding:6px 10px;font-size:12.5px;margin:0 0 14px}
section,figure{background:var(--card);border:1px solid var(--rule);border-radius:8px;padding:12px 16px;margin:0 0 14px}
/* Charts and the group card never split across pages; long tables may, but never inside a row. */
figure,#group,.keep{break-inside:avoid;page-break-inside:avoid}
h2,h3{break-after:avoid;page-break-after:avoid}
h2{font-size:16px;margin:0 0 8px}
h3{font-size:14px;margin:12px 0 6px}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:6px 18px;margin:0}
.facts dt{color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.04em}
.facts dd{margin:0 0 4px;font-weight:600}
.badge{display:inline-block;padding:6px 14px;border-radius:999px;color:#fff;font-weight:700;font-size:16px;letter-spacing:.01em}
.badge.small{font-size:12px;padding:2px 9px;white-space:nowrap}
.g-true_oligoprogression{background:var(--oligo)}
.g-widespread_progression{background:var(--wide)}
.g-oligoprogression_targetable{background:var(--target)}
.g-indeterminate{background:var(--indet)}
.g-no_progression{background:var(--nopd);color:#0b2530}
.g-unknown{background:#999;color:#fff}
.groupline{display:flex;gap:14px;align-items:center;flex-wrap:wrap;margin-bottom:6px}
.groupline .meaning{color:var(--muted)}
.rationale{margin:6px 0 10px}
table{border-collapse:collapse;width:100%;font-size:12px}
th,td{border-bottom:1px solid var(--rule);padding:4px 5px;text-align:left;vertical-align:top}
th{background:#f0f0f3;font-weight:600;font-size:11.5px;color:#333}
td.num{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.nw{white-space:nowrap}
tr{break-inside:avoid;page-break-inside:avoid}
.pass{color:#006b4f;font-weight:700}.fail{color:#a33c00;font-weight:700}.na{color:var(--muted)}
.ev-emerged,.ev-rising{font-weight:700;color:#a33c00}.ev-falling,.ev-cleared{color:#005a8c}
.muted{color:var(--muted)}
.chart{width:100%;height:auto;font-family:inherit}
.chart .tick{font-size:11px;fill:#444}.chart .axis{font-size:11.5px;fill:#333}
.chart .annot-label{font-size:10.5px;font-weight:600}.chart .legend-label{font-size:11px;fill:#222}
figcaption{color:var(--muted);font-size:12px;margin-top:4px}
ul.notes{margin:4px 0 0;padding-left:18px}
ul.notes li{margin-bottom:4px}
.src{color:var(--muted);font-size:11px}
td.src{max-width:300px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
footer{color:var(--muted);font-size:11.5px;margin-top:18px;border-top:1px solid var(--rule);padding-top:8px}
a{color:#0057a3}
.counts{display:flex;gap:10px;flex-wrap:wrap;margin:6px 0 12px}
@page{size:A4;margin:12mm}
@media print{
 body{background:#fff;font-size:11.5px}
 main{max-width:none;padding:0}
 section,figure{border:none;border-top:1px solid var(--rule);border-radius:0;padding:8px 0}
 .badge,.g-true_oligoprogression,.g-widespread_progression,.g-oligoprogression_targetable,.g-indeterminate,.g-no_progression{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}
 .chart{max-height:95mm}
}
`;
