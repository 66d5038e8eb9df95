import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALL_COLUMNS, COUNT_COLUMNS } from '../../src/count/output/tsv.js';
import { CLASSIFICATION_COLUMNS } from '../../src/classify/output.js';
import { TIMELINE_COLUMNS } from '../../src/timeline/tsv.js';
import { CLASSIFICATION_LIST_COLUMNS, SAMPLE_LIST_COLUMNS, VERSION_LIST_COLUMNS } from '../../src/store/list-columns.js';
import { columnNames, type Column } from '../../src/io/table.js';

/** The column names a page's tables document: the backticked names in the first cell of every table row. */
function documentedColumns(page: string): Set<string> {
  const text = readFileSync(join('docs', 'commands', page), 'utf8');
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    // A row's first cell may name several columns: | `alt_fwd`, `alt_rev` | … |
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const m of first.matchAll(/`([A-Za-z0-9_.]+)`/g)) names.add(m[1]);
  }
  return names;
}

// Each output table has one column spec in the code; its page must document every column it writes.
const TABLES: [string, string, readonly Column<never>[]][] = [
  ['count TSV', 'count.md', COUNT_COLUMNS as readonly Column<never>[]],
  ['count call columns', '../methods/calls.md', CALL_COLUMNS as readonly Column<never>[]],
  ['timeline.tsv', 'track.md', TIMELINE_COLUMNS as readonly Column<never>[]],
  ['classification.tsv', 'classify.md', CLASSIFICATION_COLUMNS as readonly Column<never>[]],
  ['store list', 'store.md', SAMPLE_LIST_COLUMNS as readonly Column<never>[]],
  ['store list --history', 'store.md', VERSION_LIST_COLUMNS as readonly Column<never>[]],
  ['store list --classifications', 'store.md', CLASSIFICATION_LIST_COLUMNS as readonly Column<never>[]],
];

describe('every output column is documented on its command page', () => {
  it.each(TABLES)('%s: docs/commands/%s names every column of the spec', (_name, page, columns) => {
    const documented = documentedColumns(page);
    const missing = columnNames(columns).filter((c) => !documented.has(c));
    expect(missing).toEqual([]);
  });
});
