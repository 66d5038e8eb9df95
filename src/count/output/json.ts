import type { CountOutputRow, CountRunInfo } from './row.js';
import { countingSemantics, settingsRecord } from './row.js';

export const COUNT_JSON_SCHEMA = 'oligotrack.count';
export const COUNT_JSON_SCHEMA_VERSION = 1;

/**
 * The count document (`--format json`): the run's metadata and the rows with the same snake_case
 * keys as the TSV columns (call fields flattened into the row when present). Numbers are JSON
 * numbers at full precision; undefined ones are null. Key order is fixed, so the bytes are too.
 */
export function formatCountJson(info: CountRunInfo, rows: readonly CountOutputRow[]): string {
  const document = {
    schema: COUNT_JSON_SCHEMA,
    schema_version: COUNT_JSON_SCHEMA_VERSION,
    tool_version: info.toolVersion,
    command: info.command,
    sample: info.sample,
    bam: info.bamPath,
    build: info.build,
    region: info.region,
    site_inputs: info.siteSources,
    settings: settingsRecord(info.settings),
    counting_semantics: countingSemantics(info.settings),
    coordinates: 'pos is 1-based (VCF POS); ref/alt in VCF allele notation with one padding base for indels',
    reads_seen: info.readsSeen,
    reads_passing: info.readsPassing,
    ...(info.calls ? { calls: info.calls } : {}),
    ...(info.umi ? { umi: info.umi } : {}),
    rows: rows.map(({ call, ...counts }) => (call ? { ...counts, ...call } : counts)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
