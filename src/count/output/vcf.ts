import { formatFraction, formatMeanLength, formatPValue, NA } from '../../io/number-format.js';
import type { CountOutputRow, CountRunInfo } from './row.js';
import { countingSemantics, settingsRecord } from './row.js';

/** FORMAT fields, in the order written: GT:AD:DP:AF first (the fields every VCF reader knows), then the counts. */
const FORMAT_FIELDS: [id: string, number: string, type: string, description: string][] = [
  ['GT', '1', 'String', 'Genotype: always missing (.), oligotrack counts alleles and makes no genotype claim'],
  ['AD', 'R', 'Integer', 'Fragments (reads with --mates reads; UMI families with --umi) supporting REF and ALT after filters'],
  ['DP', '1', 'Integer', 'Depth: REF + ALT + other observations after filters (discordant mates excluded)'],
  ['AF', 'A', 'Float', 'Variant allele fraction ALT/DP (missing when DP is 0)'],
  ['OTH', '1', 'Integer', 'Observations that passed filters carrying neither REF nor ALT (other_count)'],
  ['ALTF', '1', 'Integer', 'ALT observations on the forward strand (alt_fwd)'],
  ['ALTR', '1', 'Integer', 'ALT observations on the reverse strand (alt_rev)'],
  ['DM', '1', 'Integer', 'Fragments whose overlapping mates disagreed at the site (discordant_mates)'],
  ['FLR', '1', 'Float', 'Mean fragment length (|TLEN|) of REF-supporting fragments (mean_frag_len_ref)'],
  ['FLA', '1', 'Float', 'Mean fragment length (|TLEN|) of ALT-supporting fragments (mean_frag_len_alt)'],
  ['NDEL', '1', 'Integer', "Observations with a deletion spanning the site's first base (deletions)"],
  ['NINS', '1', 'Integer', "Observations with an insertion right after the site's first base (insertions)"],
  ['RAD', 'R', 'Integer', 'Read-level REF and ALT counts before mate merging and UMI collapsing (raw_ref_count, raw_alt_count)'],
  ['FAM', '1', 'Integer', 'UMI families counted (0 without --umi)'],
];

const CALL_FORMAT_FIELDS: [string, string, string, string][] = [
  ['BG', '1', 'Float', 'Background error rate used for the test (background_rate)'],
  ['PV', '1', 'Float', 'One-sided p-value of ALT over background (p_value)'],
  ['AFLO', '1', 'Float', 'Lower bound of the 95% Wilson interval of AF (vaf_low)'],
  ['AFHI', '1', 'Float', 'Upper bound of the 95% Wilson interval of AF (vaf_high)'],
  ['LOD', '1', 'Float', 'Limit of detection: smallest AF detected with 95% power at this depth (lod)'],
  ['CALL', '1', 'String', 'detected, not_detected or low_depth (call)'],
];

/** VCF 4.3 percent-encoding of INFO values (`;`, `=`, `,`, `%`, whitespace), so GENE/PROTEIN stay one value. */
export function encodeInfoValue(value: string): string {
  return value.replace(/[%;=,:\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Header values in quotes: escape `\` and `"` as VCF 4.3 asks. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const missingOr = (x: string) => (x === NA ? '.' : x);

function sampleColumn(row: CountOutputRow, withCalls: boolean): string {
  const values = [
    '.',
    `${row.ref_count},${row.alt_count}`,
    String(row.depth),
    missingOr(formatFraction(row.vaf)),
    String(row.other_count),
    String(row.alt_fwd),
    String(row.alt_rev),
    String(row.discordant_mates),
    missingOr(formatMeanLength(row.mean_frag_len_ref)),
    missingOr(formatMeanLength(row.mean_frag_len_alt)),
    String(row.deletions),
    String(row.insertions),
    `${row.raw_ref_count},${row.raw_alt_count}`,
    String(row.families),
  ];
  if (withCalls) {
    const c = row.call;
    values.push(
      c ? missingOr(formatFraction(c.background_rate)) : '.',
      c ? missingOr(formatPValue(c.p_value)) : '.',
      c ? missingOr(formatFraction(c.vaf_low)) : '.',
      c ? missingOr(formatFraction(c.vaf_high)) : '.',
      c ? missingOr(formatFraction(c.lod)) : '.',
      c ? encodeInfoValue(c.call) : '.',
    );
  }
  return values.join(':');
}

/**
 * The count VCF: VCF 4.3, one sample column, FORMAT GT:AD:DP:AF then oligotrack's own counts.
 * Records sorted by the header's contig order, then POS, REF, ALT (the rows arrive that way from
 * resolveSites; this writer keeps their order). QUAL and FILTER are missing: counting filters
 * reads, not sites.
 */
export function formatCountVcf(info: CountRunInfo, rows: readonly CountOutputRow[]): string {
  const withCalls = rows.some((r) => r.call !== undefined);
  const fields = withCalls ? [...FORMAT_FIELDS, ...CALL_FORMAT_FIELDS] : FORMAT_FIELDS;
  const settings = Object.entries(settingsRecord(info.settings))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const lines = [
    '##fileformat=VCFv4.3',
    `##source=oligotrack ${info.toolVersion}`,
    `##oligotrackCommand=${info.command.replace(/[\r\n]/g, ' ')}`,
    ...(info.build !== 'unknown' ? [`##reference=${info.build}`] : []),
    ...info.contigs.map((c) => `##contig=<ID=${c.name},length=${c.length}>`),
    `##oligotrackBam=${info.bamPath}`,
    `##oligotrackSettings=<${settings}>`,
    `##oligotrackCountingSemantics=${quoted(countingSemantics(info.settings))}`,
    ...(info.region !== '' ? [`##oligotrackRegion=${info.region}`] : []),
    `##oligotrackReads=<seen=${info.readsSeen},passing=${info.readsPassing}>`,
    ...(info.calls
      ? [`##oligotrackCalls=<alpha=${info.calls.alpha},min_depth=${info.calls.min_depth},background=${info.calls.background}>`]
      : []),
    ...(info.umi
      ? [
          `##oligotrackUmi=<families=${info.umi.families},duplex_families=${info.umi.duplex_families},reads_without_umi=${info.umi.reads_without_umi}>`,
        ]
      : []),
    '##INFO=<ID=GENE,Number=1,Type=String,Description="Gene of the site, from the sites input">',
    '##INFO=<ID=PROTEIN,Number=1,Type=String,Description="Protein change of the site (HGVS p.), from the sites input">',
    ...fields.map(
      ([id, number, type, description]) => `##FORMAT=<ID=${id},Number=${number},Type=${type},Description=${quoted(description)}>`,
    ),
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', info.sample].join('\t'),
  ];
  const format = fields.map(([id]) => id).join(':');
  for (const row of rows) {
    const infoParts = [
      ...(row.gene !== '' ? [`GENE=${encodeInfoValue(row.gene)}`] : []),
      ...(row.protein !== '' ? [`PROTEIN=${encodeInfoValue(row.protein)}`] : []),
    ];
    const id = row.id === '' ? '.' : row.id.replace(/\s/g, '_');
    lines.push(
      [row.chrom, String(row.pos), id, row.ref, row.alt, '.', '.', infoParts.join(';') || '.', format, sampleColumn(row, withCalls)].join(
        '\t',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
