import type { Build, PanelRow } from './panel-schema.js';
import { siteId } from './panel.js';

/** Column order of `panel export --format tsv`. */
export const EXPORT_TSV_COLUMNS = ['gene', 'protein', 'cdna', 'chrom', 'pos', 'ref', 'alt', 'build', 'role', 'verification'] as const;

/**
 * Primary-assembly lengths of the contigs the bundled panel uses (GRC assembly reports, as in the
 * GRCh38/GRCh37 `.fai` of any analysis set); written into VCF `##contig` so bcftools and the
 * build check of `oligotrack count` can tell the two builds apart.
 */
export const CONTIG_LENGTHS: Record<Build, Record<string, number>> = {
  GRCh38: { chr3: 198295559, chr6: 170805979, chr10: 133797422, chr14: 107043718, chr17: 83257441 },
  GRCh37: { chr3: 198022430, chr6: 171115067, chr10: 135534747, chr14: 107349540, chr17: 81195210 },
};

function cell(value: string | number): string {
  return String(value).replace(/[\t\r\n]/g, ' ');
}

export function panelToTsv(rows: readonly PanelRow[]): string {
  const lines = [EXPORT_TSV_COLUMNS.join('\t')];
  for (const r of rows) lines.push(EXPORT_TSV_COLUMNS.map((c) => cell(r[c])).join('\t'));
  return `${lines.join('\n')}\n`;
}

/** VCF INFO values may not hold spaces, commas, semicolons or equals signs unescaped. */
function infoValue(text: string): string {
  return text.replace(/%/g, '%25').replace(/;/g, '%3B').replace(/=/g, '%3D').replace(/,/g, '%2C').replace(/\s/g, '_');
}

/**
 * Sites-only VCF 4.3 (no samples): ID is the site id (ESR1_D538G), INFO carries the annotation.
 * `build` names the assembly in `##reference`; rows are expected sorted (loadPanel sorts them).
 */
export function panelToVcf(rows: readonly PanelRow[], build: Build | undefined, sourceLine: string): string {
  const out: string[] = ['##fileformat=VCFv4.3', `##source=${sourceLine}`];
  if (build) out.push(`##reference=${build}`);
  const contigs = [...new Set(rows.map((r) => r.chrom))];
  for (const c of contigs) {
    const len = build ? CONTIG_LENGTHS[build][c] : undefined;
    out.push(len ? `##contig=<ID=${c},length=${len},assembly=${build}>` : `##contig=<ID=${c}>`);
  }
  out.push(
    '##INFO=<ID=GENE,Number=1,Type=String,Description="Gene symbol (HGNC)">',
    '##INFO=<ID=PROTEIN,Number=1,Type=String,Description="Protein change, HGVS p. one-letter">',
    '##INFO=<ID=CDNA,Number=1,Type=String,Description="Coding change, HGVS c. on the MANE Select transcript">',
    '##INFO=<ID=ROLE,Number=1,Type=String,Description="resistance | actionable | clonal_marker">',
    '##INFO=<ID=STATUS,Number=1,Type=String,Description="verified (two independent sources) | unverified">',
    '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
  );
  for (const r of rows) {
    const info = [`GENE=${infoValue(r.gene)}`, `PROTEIN=${infoValue(r.protein)}`];
    if (r.cdna) info.push(`CDNA=${infoValue(r.cdna)}`);
    info.push(`ROLE=${r.role}`, `STATUS=${r.status}`);
    out.push([r.chrom, r.pos, siteId(r), r.ref, r.alt, '.', '.', info.join(';')].join('\t'));
  }
  return `${out.join('\n')}\n`;
}

/** BED6, 0-based half-open: start0 = pos - 1, end0 = pos - 1 + ref length (an MNV spans all its bases). */
export function panelToBed(rows: readonly PanelRow[]): string {
  const lines = rows.map((r) => {
    const start0 = r.pos - 1;
    const end0 = start0 + r.ref.length;
    return [r.chrom, start0, end0, `${siteId(r)}:${r.ref}>${r.alt}`, 0, r.strand === '-' ? '-' : '+'].join('\t');
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}
