import { formatCountJson } from '../count/output/json.js';
import { settingsRecord, toOutputRow } from '../count/output/row.js';
import type { CountSettings, Site, SiteCounts } from '../count/types.js';
import { parseCountDocument } from '../store/count-document.js';
import { countSettingsSha256, type CohortStore } from '../store/store.js';
import { storedRowToSiteCounts } from '../store/to-site-counts.js';
import { VERSION } from '../version.js';
import type { CachedCount } from './count-cache.js';

/** A draw's counts in the cohort store: looked up before counting, ingested after. */

function storeKey(settings: CountSettings, sites: readonly Site[]): string {
  return countSettingsSha256(
    settingsRecord(settings),
    sites.map((x) => ({ chrom: x.chrom, pos: x.pos1, ref: x.ref, alt: x.alt })),
  );
}

/** The stored count of the same sample, file bytes, sites and settings; null when there is none. */
export function findStoredCount(
  store: CohortStore,
  sample: string,
  bamSha256: string,
  sites: readonly Site[],
  settings: CountSettings,
): CachedCount | null {
  const stored = store.findCount(sample, bamSha256, storeKey(settings, sites));
  if (!stored || stored.rows.length !== sites.length) return null;
  return {
    rows: stored.rows.map((r, i) => ({ ...storedRowToSiteCounts(r), site: sites[i] })),
    readsSeen: stored.readsSeen,
    readsPassing: stored.readsPassing,
    build: stored.build,
  };
}

export interface StoredDraw {
  sample: string;
  bamPath: string;
  bamSha256: string;
  settings: CountSettings;
  siteSources: string[];
  contigs: { name: string; length: number }[];
  build: string;
  readsSeen: number;
  readsPassing: number;
  /** Rows in the sites' own naming. */
  rows: SiteCounts[];
}

/**
 * Adds a draw's counts to the store as the count document `count --format json` would write for
 * it (so `store export` gives the same shape whichever command ingested it). `command` is fixed,
 * not the live argv, so the stored document does not depend on where the command was started.
 */
export function ingestDraw(store: CohortStore, d: StoredDraw): void {
  const text = formatCountJson(
    {
      toolVersion: VERSION,
      command: 'oligotrack track',
      sample: d.sample,
      bamPath: d.bamPath,
      build: d.build,
      settings: d.settings,
      contigs: d.contigs,
      region: '',
      siteSources: d.siteSources,
      readsSeen: d.readsSeen,
      readsPassing: d.readsPassing,
    },
    d.rows.map((r) => toOutputRow(d.sample, r, r.site.chrom)),
  );
  store.ingestCount({ count: parseCountDocument(text, `${store.path} (${d.sample})`), bamSha256: d.bamSha256 });
}
