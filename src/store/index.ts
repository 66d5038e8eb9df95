/**
 * The cohort store library API: an SQLite file that grows as draws arrive.
 *
 *   const store = openStore('cohort.sqlite', { create: true });
 *   store.ingestCount({ count: parseCountDocument(text, file), bamSha256 });
 *   store.listSamples(); store.exportCounts({ samples: ['P01-T0'] });
 *   store.close();
 */
export { CohortStore, countSettingsSha256, openStore } from './store.js';
export type {
  ClassificationInput,
  ClassificationOutcome,
  ClassificationRun,
  StoredClassification,
  ExportQuery,
  IngestInput,
  IngestOutcome,
  IngestStatus,
  OpenStoreOptions,
  SampleListing,
  StoredCount,
  VersionListing,
} from './store.js';
export { parseCountDocument, parseSummaryDocument } from './count-document.js';
export type { CountDocument } from './count-document.js';
export { ingestCountDocument, ingestCountFile } from './ingest-file.js';
export { LATEST_SCHEMA_VERSION, STORE_APPLICATION_ID } from './schema.js';
export { storedCountToSiteCounts, storedRowToSiteCounts } from './to-site-counts.js';
