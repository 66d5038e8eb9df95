import { readFileSync } from 'node:fs';
import { settingsRecord } from '../count/output/row.js';
import { siteKeyOf } from '../count/site-key.js';
import type { CountSettings, Site, SiteCounts } from '../count/types.js';
import { canonicalJson } from '../store/canonical.js';
import { parseCountDocument } from '../store/count-document.js';
import { storedRowToSiteCounts } from '../store/to-site-counts.js';
import { fileError } from '../util/errors.js';
import { contentSha256 } from './count-cache.js';

/**
 * `--counts-dir`: counts made beforehand by `oligotrack count --format json` (one document per
 * draw, `<name>.count.json`), read instead of counting.
 */

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fileError(
      file,
      code === 'ENOENT'
        ? 'precomputed counts not found (write them with: oligotrack count --format json)'
        : `cannot read (${code ?? (e as Error).message})`,
    );
  }
}

/**
 * One draw's counts from a count document, checked against what this command would count: the same
 * sample, settings (count's settings record) and set of sites; the file's SHA-256 when the document
 * records one. Rows come back in `sites` order with the sites' own naming (gene/protein/ID as this
 * command resolved them; a count run with the --sites in another order still matches by
 * chrom:pos:ref>alt).
 */
export async function readPrecomputedCounts(
  file: string,
  sample: string,
  bamPath: string,
  sites: readonly Site[],
  settings: CountSettings,
): Promise<{ rows: SiteCounts[]; readsSeen: number; readsPassing: number; build: string }> {
  const doc = parseCountDocument(readText(file), file);
  if (doc.sample !== sample) throw fileError(file, `counts are for sample "${doc.sample}", expected "${sample}"`);
  const want = canonicalJson(settingsRecord(settings));
  const have = canonicalJson(doc.settings);
  if (have !== want) throw fileError(file, `counted with other settings (${have}); this command counts with ${want}`);
  if (doc.bamSha256 !== undefined && doc.bamSha256 !== (await contentSha256(bamPath))) {
    throw fileError(file, `counted from other BAM content than ${bamPath} (SHA-256 differs)`);
  }
  const byKey = new Map(doc.rows.map((r) => [`${r.chrom}:${r.pos}:${r.ref}>${r.alt}`, r]));
  if (byKey.size !== doc.rows.length) throw fileError(file, 'a site appears twice in rows');
  const rows = sites.map((site) => {
    const k = siteKeyOf(site);
    const r = byKey.get(k);
    if (!r)
      throw fileError(
        file,
        `site ${k} was not counted (${doc.rows.length} sites in the file, ${sites.length} expected): count with the same --sites`,
      );
    return { ...storedRowToSiteCounts(r), site };
  });
  if (doc.rows.length !== sites.length) {
    const wanted = new Set(sites.map(siteKeyOf));
    const extra = [...byKey.keys()].find((k) => !wanted.has(k));
    throw fileError(
      file,
      `site ${extra ?? '?'} is not among the sites this command counts (${doc.rows.length} in the file, ${sites.length} expected): count with the same --sites`,
    );
  }
  return { rows, readsSeen: doc.readsSeen, readsPassing: doc.readsPassing, build: doc.build };
}
