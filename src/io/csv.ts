import { fileError } from '../util/errors.js';

/** One parsed CSV record: its fields and where it started, so errors can name file:line:column. */
export interface CsvRecord {
  /** 1-based line number of the record's first character. */
  line: number;
  fields: string[];
  /** 1-based column (character offset in its line) where each field starts. */
  columns: number[];
}

export interface CsvTable {
  file: string;
  header: string[];
  /** Data records (header excluded), blank lines skipped. */
  records: CsvRecord[];
}

/**
 * A small RFC 4180 reader: comma-separated, fields optionally in double quotes, `""` inside quotes
 * is one quote, quoted fields may hold commas and line breaks, CRLF or LF line ends, an optional
 * UTF-8 BOM (no NUL bytes). Unquoted fields are trimmed of surrounding spaces (spreadsheets add them); quoted ones
 * are kept verbatim. An unterminated quote or text after a closing quote is an error naming the line.
 */
export function parseCsv(text: string, file: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    // Text has no NUL: this is binary data, or UTF-16 (a spreadsheet's "Unicode text") read as UTF-8.
    const before = text.slice(0, nul);
    const line = before.split('\n').length;
    throw fileError(
      file,
      'a NUL byte: binary data or UTF-16 text, not a UTF-8 CSV (save it as CSV UTF-8)',
      line,
      nul - before.lastIndexOf('\n'),
    );
  }
  const rows: CsvRecord[] = [];
  let line = 1;
  let col = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const rec: CsvRecord = { line, fields: [], columns: [] };
    let endOfRecord = false;
    while (!endOfRecord) {
      rec.columns.push(col);
      let value = '';
      if (text[i] === '"') {
        const quoteLine = line;
        const quoteCol = col;
        i++;
        col++;
        let closed = false;
        while (i < n) {
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              col += 2;
              continue;
            }
            i++;
            col++;
            closed = true;
            break;
          }
          if (ch === '\n') {
            line++;
            col = 1;
          } else col++;
          value += ch;
          i++;
        }
        if (!closed) throw fileError(file, 'unterminated quoted field', quoteLine, quoteCol);
        while (text[i] === ' ' || text[i] === '\t') {
          i++;
          col++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw fileError(file, 'unexpected text after a closing quote (RFC 4180: quote the whole field)', line, col);
        }
      } else {
        const start = i;
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        value = text.slice(start, i);
        if (value.includes('"'))
          throw fileError(file, 'a double quote inside an unquoted field (quote the whole field)', line, col + value.indexOf('"'));
        col += i - start;
        value = value.trim();
      }
      rec.fields.push(value);
      if (i >= n) {
        endOfRecord = true;
      } else if (text[i] === ',') {
        i++;
        col++;
      } else {
        // \r\n or \n or lone \r
        if (text[i] === '\r') i++;
        if (text[i] === '\n') i++;
        line++;
        col = 1;
        endOfRecord = true;
      }
    }
    const blank = rec.fields.length === 1 && rec.fields[0] === '';
    if (!blank) rows.push(rec);
  }
  if (rows.length === 0) throw fileError(file, 'empty file: expected a header line');
  const headerRec = rows[0];
  const header = headerRec.fields.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, k) => {
    if (h === '') throw fileError(file, `empty column name in the header`, headerRec.line, headerRec.columns[k]);
    if (seen.has(h)) throw fileError(file, `duplicate column '${h}' in the header`, headerRec.line, headerRec.columns[k]);
    seen.add(h);
  });
  const records = rows.slice(1);
  for (const r of records) {
    if (r.fields.length !== header.length) {
      throw fileError(file, `expected ${header.length} fields (as the header) but found ${r.fields.length}`, r.line, 1);
    }
  }
  return { file, header, records };
}

/** Checks the header has every required column and no unknown one (a typo'd column is an error). */
export function checkColumns(table: CsvTable, required: readonly string[], optional: readonly string[]): void {
  const known = new Set([...required, ...optional]);
  for (const c of required) {
    if (!table.header.includes(c)) throw fileError(table.file, `missing required column '${c}' (required: ${required.join(',')})`, 1);
  }
  table.header.forEach((c) => {
    if (!known.has(c)) {
      throw fileError(table.file, `unknown column '${c}' (allowed: ${[...required, ...optional].join(',')})`, 1);
    }
  });
}

/** The record as an object keyed by header names, plus a locator for error messages. */
export function recordObject(table: CsvTable, rec: CsvRecord): Record<string, string> {
  const o: Record<string, string> = {};
  table.header.forEach((h, k) => {
    o[h] = rec.fields[k];
  });
  return o;
}

/** file:line:column of a named field of a record, for errors found after parsing. */
export function fieldLocation(table: CsvTable, rec: CsvRecord, column: string): { line: number; column: number } {
  const k = table.header.indexOf(column);
  return { line: rec.line, column: k >= 0 ? rec.columns[k] : 1 };
}
