import { readFileSync } from 'node:fs';
import { canonicalContig } from '../count/contigs.js';
import { fileError } from '../util/errors.js';

/**
 * Per-site VAFs for `simulate --truth-vafs`: a TSV whose header names `chrom pos ref alt` and
 * `vaf` (or `true_vaf`, so a previous truth file can be reused). Keyed by canonical contig name,
 * so `chr6` and `6` match.
 */
export function readTruthVafs(path: string): Map<string, number> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  const out = new Map<string, number>();
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === '' || (header && line.startsWith('#'))) return;
    const cells = line.split('\t');
    if (!header) {
      header = cells.map((c) => c.trim().replace(/^#/, '').toLowerCase());
      for (const need of ['chrom', 'pos', 'ref', 'alt']) {
        if (!header.includes(need)) throw fileError(path, `header must name chrom, pos, ref, alt and vaf; missing ${need}`, lineNo);
      }
      if (!header.includes('vaf') && !header.includes('true_vaf'))
        throw fileError(path, 'header must name a vaf (or true_vaf) column', lineNo);
      return;
    }
    const h = header;
    const get = (name: string) => cells[h.indexOf(name)]?.trim() ?? '';
    const vafCol = h.includes('vaf') ? 'vaf' : 'true_vaf';
    const pos = Number(get('pos'));
    const vaf = Number(get(vafCol));
    if (!Number.isInteger(pos) || pos < 1)
      throw fileError(path, `pos must be a positive integer, got '${get('pos')}'`, lineNo, h.indexOf('pos') + 1);
    if (get(vafCol) === '' || !(vaf >= 0 && vaf <= 1))
      throw fileError(path, `${vafCol} must be a number from 0 to 1, got '${get(vafCol)}'`, lineNo, h.indexOf(vafCol) + 1);
    const key = truthKey(get('chrom'), pos, get('ref'), get('alt'));
    if (out.has(key)) throw fileError(path, `site ${get('chrom')}:${pos} ${get('ref')}>${get('alt')} appears twice`, lineNo);
    out.set(key, vaf);
  });
  if (!header) throw fileError(path, 'empty file (expected a header chrom pos ref alt vaf)');
  return out;
}

export function truthKey(chrom: string, pos1: number, ref: string, alt: string): string {
  return `${canonicalContig(chrom)}:${pos1}:${ref.toUpperCase()}:${alt.toUpperCase()}`;
}
