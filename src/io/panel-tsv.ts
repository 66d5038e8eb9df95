import { fileError } from '../util/errors.js';
import { hasControl } from '../util/text-escape.js';
import { readTextLines } from './vcf-reader-text.js';

/** One data row of a panel TSV, as written (alleles not yet checked or trimmed). */
export interface PanelTsvRow {
  line: number;
  chrom: string;
  pos1: number;
  ref: string;
  alt: string;
  gene: string;
  protein: string;
  id: string;
  /** The row's `build` column ('' when the file has none). */
  build: string;
}

export const PANEL_REQUIRED_COLUMNS = ['chrom', 'pos', 'ref', 'alt'] as const;
export const PANEL_OPTIONAL_COLUMNS = ['gene', 'protein', 'id', 'build'] as const;

/**
 * Read a panel TSV: one header line naming at least `chrom pos ref alt` (any order, case-insensitive,
 * a leading `#` allowed), optionally `gene protein id build`; other columns (as in `oligotrack panel
 * export`: cdna, role, verification) are ignored. `pos` is 1-based. Blank lines and `#` comment lines
 * after the header are skipped. Plain or gzip/BGZF-compressed.
 */
export async function readPanelTsv(path: string): Promise<PanelTsvRow[]> {
  let columnIndex: Map<string, number> | undefined;
  let width = 0;
  const rows: PanelTsvRow[] = [];
  await readTextLines(path, (line, lineNo) => {
    if (columnIndex === undefined) {
      if (line.trim() === '' || line.startsWith('##')) return;
      const names = line
        .replace(/^#/, '')
        .split('\t')
        .map((n) => n.trim().toLowerCase());
      const missing = PANEL_REQUIRED_COLUMNS.filter((c) => !names.includes(c));
      if (missing.length > 0) {
        throw fileError(path, `header must name the columns chrom, pos, ref, alt (tab-separated); missing ${missing.join(', ')}`, lineNo);
      }
      const repeated = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
      if (repeated) throw fileError(path, `column ${repeated} appears twice in the header`, lineNo);
      columnIndex = new Map(names.map((n, i) => [n, i]));
      width = names.length;
      return;
    }
    if (line.trim() === '' || line.startsWith('#')) return;
    const cells = line.split('\t');
    if (cells.length !== width)
      throw fileError(path, `expected ${width} tab-separated columns as in the header, found ${cells.length}`, lineNo);
    const cell = (name: string) => {
      const i = columnIndex!.get(name);
      return i === undefined ? '' : cells[i].trim();
    };
    const posText = cell('pos');
    if (!/^[1-9]\d*$/.test(posText) || !Number.isSafeInteger(Number(posText))) {
      throw fileError(path, `pos ${JSON.stringify(posText)} is not a 1-based position`, lineNo);
    }
    if (cell('chrom') === '') throw fileError(path, 'empty chrom', lineNo);
    if (hasControl(cell('chrom'))) throw fileError(path, `chrom ${JSON.stringify(cell('chrom'))} holds a control character`, lineNo);
    rows.push({
      line: lineNo,
      chrom: cell('chrom'),
      pos1: Number(posText),
      ref: cell('ref'),
      alt: cell('alt'),
      gene: cell('gene'),
      protein: cell('protein'),
      id: cell('id'),
      build: cell('build'),
    });
  });
  if (columnIndex === undefined) throw fileError(path, 'empty file: no header line naming chrom, pos, ref, alt');
  return rows;
}
