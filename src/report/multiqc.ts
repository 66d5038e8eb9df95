import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PatientIdentity } from '../identity/types.js';
import { writeOutput } from '../io/output.js';
import type { PatientTimeline } from '../timeline/types.js';
import { drawIdentity, isLeftOut } from './identity.js';

/**
 * MultiQC custom-content files (`*_mqc.json`, MultiQC's "custom content" format: id, section_name,
 * plot_type, pconfig, headers, data) from the timelines and the identity check: one table row per
 * plasma draw, one line graph of the tumour fraction per patient. A pure function of its inputs:
 * the same timelines give byte-identical files (sorted keys, fixed rounding, no dates).
 *
 * Per draw:
 * - median_depth: the median fragment depth over the patient's tracked sites in that draw;
 * - umi_families: UMI families summed over the sites (0 when counted without UMIs);
 * - sites_below_lod: tracked sites not detected in that draw (not_detected or low_depth), i.e. whose
 *   signal, if any, is below the draw's per-site limit of detection;
 * - tumour_fraction: the timeline's tumour-fraction estimate (null → absent);
 * - identity: concordant | discordant | insufficient | not checked.
 * The table keeps a discordant draw's row (its tube was measured); the patient's tumour-fraction line
 * leaves it out, as the classification and the report do: it is not the patient's level.
 */

export interface MultiqcFile {
  name: string;
  text: string;
}

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function stable(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

export function multiqcFiles(timelines: readonly PatientTimeline[], identity: readonly PatientIdentity[] = []): MultiqcFile[] {
  const identityOf = new Map(identity.map((p) => [p.patient, p]));
  const rows: Record<string, Record<string, string | number>> = {};
  const tfSeries: Record<string, Record<string, number>> = {};
  for (const t of [...timelines].sort((a, b) => a.patient.localeCompare(b.patient))) {
    t.draws.forEach((d, i) => {
      const points = t.sites
        .filter((s) => !s.germline_or_ch)
        .map((s) => s.points[i])
        .filter((p) => p !== undefined);
      const tf = t.tumour_fraction.points.find((p) => p.sample === d.sample)?.estimate ?? null;
      const identity = drawIdentity(identityOf.get(t.patient), d.sample);
      const row: Record<string, string | number> = {
        patient: t.patient,
        collection_date: d.collection_date,
        median_depth: round(median(points.map((p) => p.depth)), 1),
        umi_families: points.reduce((n, p) => n + p.families, 0),
        sites_tracked: points.length,
        sites_below_lod: points.filter((p) => p.call !== 'detected').length,
        // In words in MultiQC's table: "not checked".
        identity: identity.replace('_', ' '),
      };
      if (tf !== null) row.tumour_fraction = round(tf, 5);
      rows[d.sample] = row;
      if (tf !== null && !isLeftOut({ identity })) (tfSeries[t.patient] ??= {})[String(i + 1)] = round(tf, 5);
    });
  }
  const table = {
    id: 'oligotrack_draws',
    section_name: 'oligotrack: plasma draws',
    description:
      "Per plasma draw: depth and UMI families at the tracked sites, sites below the limit of detection, tumour fraction, and whether the draw is from the same person as the patient's other samples (identity SNPs).",
    plot_type: 'table',
    pconfig: { id: 'oligotrack_draws_table', title: 'oligotrack: plasma draws', namespace: 'oligotrack' },
    headers: {
      patient: { title: 'Patient', description: 'Patient ID (samplesheet)' },
      collection_date: { title: 'Collected', description: 'Collection date' },
      median_depth: { title: 'Median depth', description: 'Median fragment depth over the tracked sites', format: '{:,.0f}', min: 0 },
      umi_families: {
        title: 'UMI families',
        description: 'UMI families summed over the tracked sites (0 without UMIs)',
        format: '{:,.0f}',
        min: 0,
      },
      sites_tracked: { title: 'Sites', description: 'Tracked sites (germline and CH excluded)', format: '{:,.0f}', min: 0 },
      sites_below_lod: { title: 'Below LoD', description: 'Tracked sites not detected in this draw', format: '{:,.0f}', min: 0 },
      tumour_fraction: { title: 'Tumour fraction', description: 'Tumour-fraction estimate of the draw', format: '{:,.4f}', min: 0, max: 1 },
      identity: {
        title: 'Identity',
        description: 'concordant / discordant (sample swap?) / insufficient / not checked (no identity SNPs)',
      },
    },
    data: rows,
  };
  const files: MultiqcFile[] = [{ name: 'oligotrack_draws_mqc.json', text: stable(table) }];
  if (Object.keys(tfSeries).length > 0) {
    files.push({
      name: 'oligotrack_tumour_fraction_mqc.json',
      text: stable({
        id: 'oligotrack_tumour_fraction',
        section_name: 'oligotrack: tumour fraction',
        description:
          'Tumour fraction per patient over its draws (x: draw number in collection order; a draw whose identity check is discordant is left out).',
        plot_type: 'linegraph',
        pconfig: {
          id: 'oligotrack_tumour_fraction_plot',
          title: 'oligotrack: tumour fraction by draw',
          xlab: 'draw',
          ylab: 'tumour fraction',
          ymin: 0,
        },
        data: tfSeries,
      }),
    });
  }
  return files;
}

/** The file names multiqcFiles can write: what a rewrite of the directory replaces. */
const MULTIQC_NAMES = ['oligotrack_draws_mqc.json', 'oligotrack_tumour_fraction_mqc.json'];

/**
 * Writes the custom-content files into `dir` (MultiQC finds `*_mqc.json` when given the directory),
 * each atomically; a file of an earlier run that this run does not write (no tumour fraction now)
 * is removed, so the directory always describes one run.
 */
export function writeMultiqcDir(dir: string, files: readonly MultiqcFile[]): void {
  for (const f of files) writeOutput(join(dir, f.name), f.text);
  for (const name of MULTIQC_NAMES) {
    if (!files.some((f) => f.name === name)) rmSync(join(dir, name), { force: true });
  }
}
