/**
 * The report's only stylesheet, inlined in every page (no network: no web fonts, no CDN). System
 * font stacks; Okabe–Ito colours for groups. Screen: readable down to 800 px without sideways
 * scrolling (long words and paths wrap). Print (A4): the rules' <details> open, charts and the
 * headline never split, tables never split inside a row; each page's header and footer come from
 * @page margin boxes (src/report/html/print-header.ts).
 */
export const REPORT_CSS = `
:root{--ink:#1d1d1f;--muted:#55555a;--rule:#d9d9de;--bg:#f6f6f8;--card:#ffffff;
--oligo:#009E73;--wide:#D55E00;--target:#0072B2;--indet:#6b6b70;--nopd:#56B4E9}
*{box-sizing:border-box}
[hidden]{display:none !important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:18px 20px 36px}
header.top{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:flex-end;gap:6px 24px;border-bottom:3px solid var(--ink);padding-bottom:8px;margin-bottom:12px}
header.top h1{font-size:22px;margin:0;overflow-wrap:anywhere}
.kicker{color:var(--muted);font-size:12.5px}
dl.meta{display:grid;grid-template-columns:auto auto;gap:0 8px;margin:0;font-size:11.5px;color:var(--muted)}
dl.meta dt{text-align:right}dl.meta dd{margin:0;color:var(--ink);overflow-wrap:anywhere}
.banner{background:#fff8e6;border:1px solid #E69F00;border-radius:6px;padding:5px 10px;font-size:12px;margin:0 0 12px}
section,figure,details.card{background:var(--card);border:1px solid var(--rule);border-radius:8px;padding:12px 16px;margin:0 0 12px;min-width:0}
figure{margin:0 0 12px}
#headline,figure,.keep{break-inside:avoid;page-break-inside:avoid}
h2,h3,h4,summary{break-after:avoid;page-break-after:avoid}
h2{font-size:16px;margin:0 0 8px}
h3{font-size:14px;margin:12px 0 6px}
h4{font-size:13px;margin:10px 0 4px}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:6px 18px;margin:0}
.facts>div{min-width:0}
.facts dt{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.04em}
.facts dd{margin:0 0 2px;font-weight:600;overflow-wrap:break-word}
.badge{display:inline-block;overflow-wrap:normal;padding:5px 14px;border-radius:999px;color:#fff;font-weight:700;font-size:16px;letter-spacing:.01em}
.badge.small{font-size:12px;padding:2px 9px}
.g-true_oligoprogression{background:var(--oligo)}
.g-widespread_progression{background:var(--wide)}
.g-oligoprogression_targetable{background:var(--target)}
.g-indeterminate{background:var(--indet)}
.g-no_progression{background:var(--nopd);color:#0b2530}
.g-unknown,.g-not_assessed{background:#8a8a8f;color:#fff}
.groupline{display:flex;gap:8px 14px;align-items:center;flex-wrap:wrap;margin-bottom:6px}
.reason{font-size:15px;margin:6px 0 8px}
ul.keyfacts{list-style:none;margin:0 0 6px;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px}
ul.keyfacts li{min-width:0;overflow-wrap:anywhere}
.flag{display:inline-block;border:1px solid #a33c00;color:#a33c00;border-radius:4px;padding:0 5px;font-size:11.5px;font-weight:700}
.meaning,.also{color:var(--muted);font-size:12.5px;margin:4px 0 0}
table{border-collapse:collapse;width:100%;font-size:12px}
th,td{border-bottom:1px solid var(--rule);padding:4px 5px;text-align:left;vertical-align:top;overflow-wrap:break-word}
td code,td .flag{overflow-wrap:anywhere}
th{background:#f0f0f3;font-weight:600;font-size:11.5px;color:#333}
table.findings th{white-space:nowrap}
.therapy{font-size:12.5px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.nw,.date{white-space:nowrap}
tr{break-inside:avoid;page-break-inside:avoid}
tr.drove td{background:#eef5fb}
.drove-tag{display:inline-block;white-space:nowrap;margin-top:2px;font-size:10.5px;font-weight:700;color:#004a7a;text-transform:uppercase;letter-spacing:.03em}
.met{color:#004f3a;font-weight:700}.notmet{color:var(--ink)}.na{color:var(--muted)}
.ev-emerged,.ev-rising{font-weight:700}
.muted{color:var(--muted)}
.src,.id{color:var(--muted);font-size:11px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px;overflow-wrap:anywhere}
.chart{display:block;width:100%;height:auto;font-family:inherit}
.chart .tick{font-size:11px;fill:#444}.chart .axis{font-size:11.5px;fill:#222;font-weight:600}
.chart .annot-label{font-size:10.5px;font-weight:600;fill:#333}.chart .pt-label{font-size:10px;fill:#222}
.chart .note{font-size:12px;fill:#555}
ul.legend{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:3px 16px;font-size:12px}
ul.legend li{display:flex;align-items:center;gap:5px;min-width:0}
ul.legend svg{flex:none}
figcaption{color:var(--muted);font-size:12px;margin-top:6px}
ul.notes{margin:4px 0 0;padding-left:18px}
ul.notes li{margin-bottom:4px}
ul.drugs{margin:2px 0 0;padding-left:16px}
ul.drugs li{margin:0 0 1px}
.therapy{margin:0 0 8px}
.therapy p{margin:2px 0}
details.card>summary{cursor:pointer;list-style-position:outside;margin-left:14px}
details.card>summary h2{display:inline;font-size:16px}
details.card>summary .muted{font-size:12px;font-weight:400}
footer{color:var(--muted);font-size:11.5px;margin-top:16px;border-top:1px solid var(--rule);padding-top:8px}
a{color:#0057a3}
.counts{display:flex;gap:8px;flex-wrap:wrap;margin:6px 0 10px}
.controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:0 0 8px;font-size:13px}
th button.sort{all:unset;cursor:pointer;display:inline-flex;gap:3px;align-items:baseline}
th button.sort:focus-visible{outline:2px solid #0057a3}
th[aria-sort=ascending] button.sort::after{content:"▲";font-size:9px}
th[aria-sort=descending] button.sort::after{content:"▼";font-size:9px}
@media (max-width:860px){
 main{padding:12px 10px 28px}
 section,figure,details.card{padding:10px 10px}
 table{font-size:11.5px}
 th,td{padding:3px 3px}
}
@page{size:A4;margin:15mm 11mm 13mm}
@media print{
 body{background:#fff;font-size:10.5px;line-height:1.35}
 main{max-width:none;padding:0}
 section,figure,details.card{border:none;border-top:1px solid var(--rule);border-radius:0;padding:4px 0;margin:0 0 4px}
 header.top{margin-bottom:4px;padding-bottom:3px;border-bottom-width:2px}
 header.top h1{font-size:17px}
 .kicker,dl.meta{display:none}
 #patient .facts{grid-template-columns:.8fr 2fr 1fr 1.6fr .7fr .9fr;gap:2px 10px}
 .facts dt{font-size:8.5px}.facts dd{font-size:10px}
 .banner{padding:2px 8px;font-size:9px;margin-bottom:4px}
 h2{font-size:13px;margin-bottom:3px}
 h3{font-size:11.5px;margin:6px 0 3px}
 .badge{font-size:13px;padding:3px 12px}
 .reason{font-size:12px;margin:3px 0}
 ul.keyfacts{font-size:10.5px;gap:1px 14px;margin-bottom:2px}
 .meaning,.also{font-size:9.5px;margin-top:2px}
 table{font-size:9.5px}
 th,td{padding:1.5px 3px}
 th{font-size:9px}
 .drove-tag{font-size:8.5px}
 ul.drugs{padding-left:11px}
 .src,.id{font-size:8.5px}
 table.rules td.nw{white-space:normal}
 ul.legend{font-size:9.5px;gap:1px 12px;margin-top:2px}
 figcaption{font-size:9px;margin-top:2px}
 .therapy p{margin:1px 0}
 .badge,.g-true_oligoprogression,.g-widespread_progression,.g-oligoprogression_targetable,.g-indeterminate,.g-no_progression,.g-not_assessed,tr.drove td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}
 .chart{max-height:86mm}
 details.card::details-content{content-visibility:visible;display:contents}
 details.card>summary{list-style:none;margin-left:0}
 .screen-only,.controls{display:none}
}
`;
