import { type PatientTimeline, TIMELINE_TSV_COLUMNS } from './types.js';

/** A fraction with at most 8 decimals (deterministic, no trailing zeros); `NA` when undefined. */
export function formatFraction(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'NA';
  return String(Number(x.toFixed(8)));
}

/** DIR/timeline.tsv: one header line, then one row per patient × draw × site (patients in the given order). */
export function timelineTsv(patients: readonly PatientTimeline[]): string {
  const lines: string[] = [TIMELINE_TSV_COLUMNS.join('\t')];
  for (const p of patients) {
    for (let d = 0; d < p.draws.length; d++) {
      for (const s of p.sites) {
        const pt = s.points[d];
        lines.push(
          [
            p.patient,
            pt.sample,
            pt.collection_date,
            s.chrom,
            String(s.pos),
            s.ref,
            s.alt,
            s.gene,
            s.protein,
            String(pt.depth),
            String(pt.alt_count),
            formatFraction(pt.vaf),
            formatFraction(pt.vaf_low),
            formatFraction(pt.vaf_high),
            pt.call,
            pt.event,
            s.tumour_informed === true ? 'yes' : 'no',
          ].join('\t'),
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Stable JSON text of a patient timeline (2-space indent, trailing newline). */
export function patientJson(p: PatientTimeline): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}
