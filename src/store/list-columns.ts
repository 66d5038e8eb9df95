import type { Column } from '../io/table.js';
import type { SampleListing, StoredClassification, VersionListing } from './store.js';

/** `store list`'s tables: every column once, in order, with its type and meaning. */

export const SAMPLE_LIST_COLUMNS: readonly Column<SampleListing>[] = [
  { name: 'sample', type: 'text', description: 'Sample (draw) name.', value: (r) => r.sample },
  {
    name: 'current_version',
    type: 'integer',
    description: 'The newest version: the one export uses unless told otherwise.',
    value: (r) => r.currentVersion,
  },
  { name: 'versions', type: 'integer', description: 'Versions stored for the sample.', value: (r) => r.versions },
  { name: 'build', type: 'text', description: 'Genome build of the counted file.', value: (r) => r.build },
  { name: 'n_sites', type: 'integer', description: 'Sites counted.', value: (r) => r.nSites },
  {
    name: 'has_summary',
    type: 'yes_no',
    description: 'yes when a per-sample summary is stored with the count.',
    value: (r) => r.hasSummary,
  },
  { name: 'bam_sha256', type: 'text', description: "SHA-256 of the counted file's bytes.", value: (r) => r.bamSha256 },
];

export const VERSION_LIST_COLUMNS: readonly Column<VersionListing>[] = [
  { name: 'sample', type: 'text', description: 'Sample (draw) name.', value: (r) => r.sample },
  { name: 'version', type: 'integer', description: 'Version number (1 for the first count ingested).', value: (r) => r.version },
  { name: 'build', type: 'text', description: 'Genome build of the counted file.', value: (r) => r.build },
  { name: 'n_sites', type: 'integer', description: 'Sites counted.', value: (r) => r.nSites },
  {
    name: 'has_summary',
    type: 'yes_no',
    description: 'yes when a per-sample summary is stored with the count.',
    value: (r) => r.hasSummary,
  },
  { name: 'tool_version', type: 'text', description: 'oligotrack version that counted.', value: (r) => r.toolVersion },
  { name: 'bam_sha256', type: 'text', description: "SHA-256 of the counted file's bytes.", value: (r) => r.bamSha256 },
  { name: 'settings_sha256', type: 'text', description: 'SHA-256 of the count settings and sites.', value: (r) => r.settingsSha256 },
  { name: 'ingested_at', type: 'text', description: 'When the version was ingested (UTC, ISO 8601).', value: (r) => r.ingestedAt },
  { name: 'bam_path', type: 'text', description: 'The counted file, as the count document names it.', value: (r) => r.bamPath },
];

export const CLASSIFICATION_LIST_COLUMNS: readonly Column<StoredClassification>[] = [
  { name: 'patient', type: 'text', description: 'Patient.', value: (r) => r.patient },
  { name: 'assessment_date', type: 'text', description: 'Date of the imaging assessment.', value: (r) => r.assessmentDate },
  { name: 'group', type: 'text', description: 'The newest recorded group.', value: (r) => r.group },
  { name: 'version', type: 'integer', description: 'Version of the classification (a new one when it changes).', value: (r) => r.version },
  { name: 'policy', type: 'text', description: 'Name of the policy that classified it.', value: (r) => r.policyName },
  { name: 'tool_version', type: 'text', description: 'oligotrack version that classified it.', value: (r) => r.toolVersion },
];
