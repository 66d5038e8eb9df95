import { fileError } from '../util/errors.js';

/** One data row of a TSV file, keyed by header column, with its 1-based line number for errors. */
export interface TsvRecord {
  line: number;
  values: Record<string, string>;
}

/**
 * Parse a tab-separated table: lines starting with `#` before the header are comments, the first
 * other line is the header, blank lines are skipped. Every row must have exactly the header's
 * column count, so a stray tab or a missing cell is reported with its line instead of shifting
 * every later column silently.
 */
export function parseTsv(text: string, file: string, requiredColumns: readonly string[]): TsvRecord[] {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  const records: TsvRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    if (header === undefined) {
      if (raw.startsWith('#')) continue;
      header = raw.split('\t').map((h) => h.trim());
      const missing = requiredColumns.filter((c) => !header!.includes(c));
      if (missing.length > 0) throw fileError(file, `missing column(s) ${missing.join(', ')} in header`, lineNo);
      continue;
    }
    const cells = raw.split('\t');
    if (cells.length !== header.length) {
      throw fileError(file, `expected ${header.length} tab-separated columns, found ${cells.length}`, lineNo);
    }
    const values: Record<string, string> = {};
    header.forEach((h, k) => {
      values[h] = cells[k].trim();
    });
    records.push({ line: lineNo, values });
  }
  if (header === undefined) throw fileError(file, 'no header line');
  return records;
}
