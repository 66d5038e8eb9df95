import { formatFraction, formatInteger, formatMeanLength, formatPValue, NA } from './number-format.js';

/**
 * One output contract per table: a column spec (name, type, description, and how a row gives the
 * value) drives the TSV header, every cell and the column tables of the documentation, so the
 * three cannot drift apart. The type chooses the formatter (src/io/number-format.ts).
 */
export type ColumnType =
  /** Free text: tabs and line breaks become spaces, so one cell stays one cell. */
  | 'text'
  /** A whole number; NA when undefined. */
  | 'integer'
  /** A fraction in [0, 1] with 6 significant digits; NA when undefined. */
  | 'fraction'
  /** A p-value with 4 significant digits; NA when undefined. */
  | 'p_value'
  /** A mean length in bp with one decimal; NA when undefined. */
  | 'length'
  /** yes / no. */
  | 'yes_no'
  /** yes / no, NA when undefined. */
  | 'yes_no_na'
  /** Items joined by ';', '.' when there is none. */
  | 'list';

/** A value a column may hold; its type says how it is written. */
export type CellValue = string | number | boolean | null | undefined | readonly string[];

export interface Column<Row> {
  /** Header name: snake_case. */
  name: string;
  type: ColumnType;
  /** One sentence for the documentation's column table. */
  description: string;
  value: (row: Row) => CellValue;
}

/** TSV cells never contain tabs or line breaks. */
export function tsvText(value: string): string {
  return value.replace(/[\t\r\n]+/g, ' ');
}

/** One cell, written as its column's type says. */
export function formatCell(type: ColumnType, value: CellValue): string {
  switch (type) {
    case 'text':
      return value === null || value === undefined ? NA : tsvText(String(value));
    case 'integer':
      return formatInteger(value as number | null | undefined);
    case 'fraction':
      return formatFraction(value as number | null | undefined);
    case 'p_value':
      return formatPValue(value as number | null | undefined);
    case 'length':
      return formatMeanLength(value as number | null | undefined);
    case 'yes_no':
      return value ? 'yes' : 'no';
    case 'yes_no_na':
      return value === null || value === undefined ? NA : value ? 'yes' : 'no';
    case 'list': {
      const items = (value ?? []) as readonly string[];
      return items.length === 0 ? '.' : tsvText(items.join(';'));
    }
  }
}

/** The header line's cells. */
export function columnNames<Row>(columns: readonly Column<Row>[]): string[] {
  return columns.map((c) => c.name);
}

/** A TSV table: exactly one header line, then one line per row, each ending in a newline. */
export function formatTsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const lines = [columnNames(columns).join('\t')];
  for (const row of rows) lines.push(columns.map((c) => formatCell(c.type, c.value(row))).join('\t'));
  return `${lines.join('\n')}\n`;
}

/** The documentation's column table (Markdown), from the same spec. */
export function columnTableMarkdown<Row>(columns: readonly Column<Row>[]): string {
  const lines = ['| column | type | meaning |', '|---|---|---|'];
  for (const c of columns) lines.push(`| \`${c.name}\` | ${c.type} | ${c.description.replace(/\|/g, '\\|')} |`);
  return `${lines.join('\n')}\n`;
}
