import { formatTsv, type Column } from '../io/table.js';
import type { PatientTimeline, TimelinePoint, TimelineSite } from './types.js';

/** One line of timeline.tsv: a patient's site at one draw. */
export interface TimelineTsvRow {
  patient: string;
  site: TimelineSite;
  point: TimelinePoint;
}

/** timeline.tsv's contract: every column once, in order, with its type and meaning. */
export const TIMELINE_COLUMNS: readonly Column<TimelineTsvRow>[] = [
  { name: 'patient', type: 'text', description: 'Patient, from the samplesheet.', value: (r) => r.patient },
  { name: 'sample', type: 'text', description: 'Sample (draw), from the samplesheet.', value: (r) => r.point.sample },
  {
    name: 'collection_date',
    type: 'text',
    description: 'Collection date of the draw (YYYY-MM-DD), from the samplesheet.',
    value: (r) => r.point.collection_date,
  },
  { name: 'chrom', type: 'text', description: 'Contig, as the sites input names it.', value: (r) => r.site.chrom },
  { name: 'pos', type: 'integer', description: '1-based position of the first REF base.', value: (r) => r.site.pos },
  { name: 'ref', type: 'text', description: 'REF allele, VCF notation.', value: (r) => r.site.ref },
  { name: 'alt', type: 'text', description: 'ALT allele, VCF notation.', value: (r) => r.site.alt },
  { name: 'gene', type: 'text', description: 'Gene, from the sites input.', value: (r) => r.site.gene },
  { name: 'protein', type: 'text', description: 'Protein change, from the sites input.', value: (r) => r.site.protein },
  { name: 'depth', type: 'integer', description: 'Fragments (or UMI families) at the site, as count.', value: (r) => r.point.depth },
  {
    name: 'alt_count',
    type: 'integer',
    description: 'Fragments (or UMI families) carrying the ALT allele.',
    value: (r) => r.point.alt_count,
  },
  { name: 'vaf', type: 'fraction', description: 'alt_count / depth; NA at depth 0.', value: (r) => r.point.vaf },
  { name: 'vaf_low', type: 'fraction', description: 'Lower bound of the Wilson 95% interval of vaf.', value: (r) => r.point.vaf_low },
  { name: 'vaf_high', type: 'fraction', description: 'Upper bound of the Wilson 95% interval of vaf.', value: (r) => r.point.vaf_high },
  {
    name: 'call',
    type: 'text',
    description: 'detected, not_detected or low_depth (per-site test over the background).',
    value: (r) => r.point.call,
  },
  {
    name: 'event',
    type: 'text',
    description: 'Change from the previous draw: baseline, emerged, rising, falling, cleared, stable or not_assessable.',
    value: (r) => r.point.event,
  },
  {
    name: 'tumour_informed',
    type: 'yes_no',
    description: "yes when the site is in the patient's samplesheet vcf, else no.",
    value: (r) => r.site.tumour_informed === true,
  },
];

/** DIR/timeline.tsv: one header line, then one row per patient × draw × site (patients in the given order). */
export function timelineTsv(patients: readonly PatientTimeline[]): string {
  const rows: TimelineTsvRow[] = [];
  for (const p of patients) {
    for (let d = 0; d < p.draws.length; d++) for (const site of p.sites) rows.push({ patient: p.patient, site, point: site.points[d] });
  }
  return formatTsv(TIMELINE_COLUMNS, rows);
}

/** Stable JSON text of a patient timeline (2-space indent, trailing newline). */
export function patientJson(p: PatientTimeline): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}
