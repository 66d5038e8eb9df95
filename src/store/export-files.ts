import { writeOutput } from '../io/output.js';
import { UserError } from '../util/errors.js';
import { checkPathId, pathInside } from '../util/safe-path.js';
import type { StoredCount } from './store.js';

/**
 * `store export --format json`: <sample>.count.json (and <sample>.summary.json when stored) per
 * sample in `outDir`. A stored sample name is whatever the ingested document said, so each must
 * pass the file-name ID rule, and each path is proven to stay inside `outDir` (symlinks included)
 * before the first file is written; each file is then written atomically. Returns the number of
 * samples written.
 */
export function exportCountFiles(outDir: string, counts: readonly Pick<StoredCount, 'sample' | 'countJson' | 'summaryJson'>[]): number {
  const planned: { path: string; text: string }[] = [];
  const byFoldedName = new Map<string, string>();
  for (const c of counts) {
    const stem = checkPathId(c.sample, 'stored sample name');
    // S1 and s1 would be one file on a case-insensitive file system (macOS, Windows).
    const other = byFoldedName.get(stem.toLowerCase());
    if (other !== undefined)
      throw new UserError(
        `stored samples '${other}' and '${stem}' would write the same file on a case-insensitive file system; export them to separate directories`,
      );
    byFoldedName.set(stem.toLowerCase(), stem);
    planned.push({ path: pathInside(outDir, `${stem}.count.json`), text: c.countJson });
    if (c.summaryJson !== null) planned.push({ path: pathInside(outDir, `${stem}.summary.json`), text: c.summaryJson });
  }
  for (const file of planned) writeOutput(file.path, file.text);
  return counts.length;
}
