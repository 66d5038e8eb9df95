import { VERSION } from '../version.js';
import type { CountSettings } from '../count/types.js';
import { changeEvent } from './events.js';
import { increasePValue } from './two-count-test.js';
import { buildTumourFraction } from './tumour-fraction.js';
import {
  type CalledDraw,
  type CalledSiteInput,
  type EventSettings,
  type PatientTimeline,
  TIMELINE_SCHEMA,
  TIMELINE_SCHEMA_VERSION,
  type TimelinePoint,
  type TimelineSite,
} from './types.js';

export function siteKeyOf(site: CalledSiteInput['site']): string {
  return `${site.chrom}:${site.pos1}:${site.ref}>${site.alt}`;
}

/** JSON-safe number: NaN/±Infinity → null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export interface BuildTimelineInput {
  patient: string;
  /** Draws in collection order (the samplesheet reader sorts them). Every draw has the same sites in the same order. */
  draws: CalledDraw[];
  countSettings: CountSettings;
  eventSettings: EventSettings;
  callSettings: Record<string, string | number | boolean>;
}

/**
 * Builds one patient's timeline: per site the series with events between consecutive draws, first
 * detection and nadir; the clonal sites (detected at the baseline draw, not germline/CH) and their
 * pooled tumour-fraction series. Pure: same input → same output.
 */
export function buildPatientTimeline(input: BuildTimelineInput): PatientTimeline {
  const { draws, eventSettings } = input;
  if (draws.length === 0) throw new Error(`patient ${input.patient}: no draws`);
  for (let d = 1; d < draws.length; d++) {
    if (draws[d].collectionDay < draws[d - 1].collectionDay) throw new Error(`patient ${input.patient}: draws not in date order`);
    if (draws[d].rows.length !== draws[0].rows.length) throw new Error(`patient ${input.patient}: draws have different site lists`);
  }
  const nSites = draws[0].rows.length;
  const sites: TimelineSite[] = [];
  for (let i = 0; i < nSites; i++) {
    const site = draws[0].rows[i].site;
    const key = siteKeyOf(site);
    const points: TimelinePoint[] = [];
    let firstDetection: TimelineSite['first_detection'] = null;
    let nadir: TimelineSite['nadir'] = null;
    let ponFlag = false;
    let normalFlag = false;
    let tumourInformed = false;
    for (let d = 0; d < draws.length; d++) {
      const draw = draws[d];
      const row = draw.rows[i];
      if (siteKeyOf(row.site) !== key) throw new Error(`patient ${input.patient}: site order differs in draw ${draw.sample}`);
      ponFlag ||= row.germlineOrChip;
      normalFlag ||= draw.normalFlagged?.has(key) ?? false;
      tumourInformed ||= draw.tumourInformed?.has(key) ?? false;
      const vaf = row.depth > 0 ? row.altCount / row.depth : Number.NaN;
      let event: TimelinePoint['event'] = 'baseline';
      let changeP: number | null = null;
      let fold = Number.NaN;
      if (d > 0) {
        const prev = draws[d - 1].rows[i];
        const ch = changeEvent(
          { alt: prev.altCount, depth: prev.depth, call: prev.call },
          { alt: row.altCount, depth: row.depth, call: row.call },
          eventSettings,
        );
        event = ch.event;
        changeP = ch.pValue;
        fold = ch.fold;
      }
      if (row.call === 'detected' && firstDetection === null) firstDetection = { sample: draw.sample, collection_date: draw.collectionDate };
      if (row.call !== 'low_depth' && Number.isFinite(vaf) && (nadir === null || vaf < nadir.vaf)) {
        nadir = { sample: draw.sample, collection_date: draw.collectionDate, vaf };
      }
      let fromNadir: TimelinePoint['from_nadir'] = null;
      if (d > 0 && row.call !== 'low_depth' && row.depth > 0) {
        let best = -1;
        for (let j = 0; j < d; j++) {
          const q = draws[j].rows[i];
          if (q.call === 'low_depth' || q.depth === 0) continue;
          if (best < 0 || q.altCount / q.depth < draws[best].rows[i].altCount / draws[best].rows[i].depth) best = j;
        }
        if (best >= 0) {
          const q = draws[best].rows[i];
          const nadirVaf = q.altCount / q.depth;
          fromNadir = {
            sample: draws[best].sample,
            fold: nadirVaf > 0 ? vaf / nadirVaf : null,
            p_value: increasePValue({ alt: q.altCount, depth: q.depth }, { alt: row.altCount, depth: row.depth }),
          };
        }
      }
      points.push({
        sample: draw.sample,
        collection_date: draw.collectionDate,
        depth: row.depth,
        alt_count: row.altCount,
        vaf: finiteOrNull(vaf),
        vaf_low: finiteOrNull(row.vafLow),
        vaf_high: finiteOrNull(row.vafHigh),
        p_value: finiteOrNull(row.pValue),
        lod: finiteOrNull(row.lod),
        call: row.call,
        event,
        change_p_value: changeP,
        fold_change: finiteOrNull(fold),
        from_nadir: fromNadir,
        mean_frag_len_alt: finiteOrNull(row.meanFragLenAlt),
        mean_frag_len_ref: finiteOrNull(row.meanFragLenRef),
        families: row.families,
      });
    }
    const germlineOrCh = ponFlag || normalFlag;
    sites.push({
      key,
      chrom: site.chrom,
      pos: site.pos1,
      ref: site.ref,
      alt: site.alt,
      gene: site.gene,
      protein: site.protein,
      id: site.id,
      background_rate: finiteOrNull(draws[0].rows[i].backgroundRate ?? Number.NaN),
      germline_or_ch: germlineOrCh,
      germline_or_ch_reason: [ponFlag ? 'panel_of_normals' : '', normalFlag ? 'matched_normal' : ''].filter(Boolean).join(';'),
      tumour_informed: tumourInformed,
      clonal: false, // set below, once every site's baseline is known
      first_detection: firstDetection,
      nadir,
      points,
    });
  }
  markClonal(sites, eventSettings.clonal_min_relative_vaf);
  return {
    schema: TIMELINE_SCHEMA,
    schema_version: TIMELINE_SCHEMA_VERSION,
    patient: input.patient,
    tool_version: VERSION,
    count_settings: input.countSettings,
    event_settings: eventSettings,
    call_settings: input.callSettings,
    draws: draws.map((d) => ({
      sample: d.sample,
      collection_date: d.collectionDate,
      timepoint: d.timepoint ?? null,
      therapy: d.therapy ?? null,
      bam: d.bam,
      reads_seen: d.readsSeen ?? null,
      reads_passing: d.readsPassing ?? null,
      sample_test: null,
    })),
    sites,
    tumour_fraction: buildTumourFraction(sites, eventSettings),
  };
}

/**
 * Marks the clonal sites: detected at baseline, not germline/CH, baseline VAF ≥ rel × the top one.
 * Tumour-informed sites (called in the tissue) are preferred: when at least one of them qualifies,
 * panel-only sites are not candidates, because a panel hotspot seen only in plasma may be clonal
 * haematopoiesis (TP53, PPM1D) or a subclone, while a tissue-confirmed variant is known tumour DNA.
 */
export function markClonal(sites: TimelineSite[], rel: number): void {
  const detected = sites.filter((s) => !s.germline_or_ch && s.points[0].call === 'detected' && s.points[0].vaf !== null);
  const informed = detected.filter((s) => s.tumour_informed === true);
  const candidates = informed.length > 0 ? informed : detected;
  const top = Math.max(0, ...candidates.map((s) => s.points[0].vaf as number));
  for (const s of candidates) s.clonal = (s.points[0].vaf as number) >= rel * top;
}
