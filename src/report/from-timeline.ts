import type { PatientTimeline } from '../timeline/types.js';
import {
  DISCLAIMER,
  REPORT_SCHEMA,
  REPORT_SCHEMA_VERSION,
  type Assessment,
  type ClinicalSummary,
  type DrawSummary,
  type Finding,
  type GeneTherapies,
  type ImagingAssessment,
  type Methods,
  type NoteWithSource,
  type PatientReport,
  type ReportMeta,
  type SiteSeries,
} from './types.js';
import { drawIdentity, firstDetected, lastKeptIndex, leftOutDraws } from './identity.js';
import { timelineSiteFlags } from './upstream.js';

/** Everything a patient page needs besides the timeline, already resolved by the caller. */
export interface PatientReportInputs {
  /** With the change events over the draws classify keeps (withKeptEvents). */
  timeline: PatientTimeline;
  meta: ReportMeta;
  clinical: ClinicalSummary | null;
  imaging: ImagingAssessment[];
  assessments: Assessment[];
  findings: Finding[];
  findingsMore: number;
  therapies: GeneTherapies[];
  toxicityNotes: NoteWithSource[];
  /** Role of a site from the panel (`resistance`, `actionable`, `clonal_marker`), by site key. */
  roleOf: (site: { chrom: string; pos: number; ref: string; alt: string; gene: string; protein: string }) => string;
  methods: Omit<Methods, 'count_settings' | 'tool_version'>;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Builds the report data of one patient (pure: no I/O). */
export function buildPatientReport(inp: PatientReportInputs): PatientReport {
  const t = inp.timeline;
  const leftOut = leftOutDraws(t);
  const tfBySample = new Map(t.tumour_fraction.points.map((p) => [p.sample, p]));
  const draws: DrawSummary[] = t.draws.map((d, i) => {
    const pts = t.sites.map((s) => s.points[i]);
    const tf = tfBySample.get(d.sample);
    return {
      sample: d.sample,
      collection_date: d.collection_date,
      timepoint: d.timepoint ?? '',
      bam: d.bam,
      tumour_fraction: tf && tf.estimate !== null ? { estimate: tf.estimate, low: tf.low, high: tf.high } : null,
      detected: tf ? tf.call === 'detected' : null,
      median_depth: median(pts.map((p) => p.depth)),
      min_depth: pts.length ? Math.min(...pts.map((p) => p.depth)) : 0,
      families: median(pts.map((p) => p.families)),
      sites_below_lod: pts.filter((p) => p.call !== 'detected').length,
      sites_total: pts.length,
      identity: drawIdentity(t.identity, d.sample),
    };
  });
  const sites: SiteSeries[] = t.sites.map((s) => ({
    chrom: s.chrom,
    pos: s.pos,
    ref: s.ref,
    alt: s.alt,
    gene: s.gene,
    protein: s.protein,
    role: inp.roleOf(s),
    germline_or_ch: s.germline_or_ch,
    flags: timelineSiteFlags(s),
    first_detected: firstDetected(s, leftOut),
    points: s.points.map((p) => ({
      sample: p.sample,
      collection_date: p.collection_date,
      depth: p.depth,
      alt_count: p.alt_count,
      vaf: p.vaf,
      vaf_low: p.vaf_low,
      vaf_high: p.vaf_high,
      p_value: p.p_value,
      lod: p.lod,
      call: p.call,
      event: p.event === 'baseline' ? '' : p.event,
      mean_frag_len_alt: p.mean_frag_len_alt,
      mean_frag_len_ref: p.mean_frag_len_ref,
      families: p.families,
    })),
  }));
  const countSettings: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(t.count_settings))
    countSettings[snake(k)] = k === 'excludeFlags' ? `0x${Number(v).toString(16).toUpperCase()}` : (v as string | number | boolean);
  for (const [k, v] of Object.entries(t.call_settings)) countSettings[`call_${snake(k)}`] = v;
  countSettings.event_alpha = t.event_settings.alpha;
  countSettings.event_min_fold = t.event_settings.min_fold;
  return {
    schema: REPORT_SCHEMA,
    schema_version: REPORT_SCHEMA_VERSION,
    kind: 'patient',
    patient: t.patient,
    meta: inp.meta,
    clinical: inp.clinical,
    draws,
    sites,
    imaging: inp.imaging,
    assessments: inp.assessments,
    findings: inp.findings,
    findings_more: inp.findingsMore,
    ...latestLeftOut(t, leftOut),
    therapies: inp.therapies,
    toxicity_notes: inp.toxicityNotes,
    methods: { ...inp.methods, tool_version: t.tool_version, count_settings: countSettings },
    disclaimer: DISCLAIMER,
  };
}

/** The discordant draws after the last kept one, where the findings are read (absent when none). */
function latestLeftOut(t: PatientTimeline, leftOut: ReadonlySet<string>): Pick<PatientReport, 'left_out_latest_draws'> {
  const after = t.draws.slice(lastKeptIndex(t.draws, leftOut) + 1);
  if (after.length === 0) return {};
  return { left_out_latest_draws: after.map((d) => ({ sample: d.sample, collection_date: d.collection_date })) };
}

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
