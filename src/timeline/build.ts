import { VERSION } from '../version.js';
import { siteKeyOf } from '../count/site-key.js';
import type { CountSettings } from '../count/types.js';
import { changeEvent } from './events.js';
import { DEFAULT_GERMLINE_BAND, germlineLikeSites } from './germline-like.js';
import { patientIdentity, splitIdentityRows } from './identity.js';
import { increasePValue } from './two-count-test.js';
import { buildTumourFraction } from './tumour-fraction.js';
import {
  type CalledDraw,
  type CalledSiteInput,
  type EventSettings,
  type PatientTimeline,
  type SiteFlagRecord,
  TIMELINE_SCHEMA,
  TIMELINE_SCHEMA_VERSION,
  type TimelinePoint,
  type TimelineSite,
  type WhiteCellCounts,
  type WhiteCellInput,
} from './types.js';

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
  /** The patient's matched white cells (samplesheet `normal`), counted at the same sites. */
  whiteCells?: WhiteCellInput;
  /**
   * Identity SNP IDs (rsIDs, or `chrom:pos:ref>alt` keys): rows of these sites are checked for
   * sample identity and never tracked. Absent: no identity check (the timeline has no `identity`).
   */
  identityIds?: ReadonlySet<string>;
}

const pct = (v: number) => `${(100 * v).toPrecision(2)}%`;

/**
 * Builds one patient's timeline: per site the series with events between consecutive draws, first
 * detection and nadir, the white-cell counts and the tissue's confirmation; the clonal sites and
 * their pooled tumour-fraction series; the sample-identity check when identity SNPs were counted.
 * Pure: same input → same output.
 */
export function buildPatientTimeline(input: BuildTimelineInput): PatientTimeline {
  const { eventSettings } = input;
  if (input.draws.length === 0) throw new Error(`patient ${input.patient}: no draws`);
  const split = input.identityIds ? splitIdentityRows(input.draws, input.whiteCells, input.identityIds) : null;
  const draws = split ? split.draws : input.draws;
  const whiteCellRows = new Map((split ? split.whiteCells?.rows : input.whiteCells?.rows)?.map((r) => [siteKeyOf(r.site), r]) ?? []);
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
    let tumourInformed = false;
    let tissueSomatic = false;
    for (let d = 0; d < draws.length; d++) {
      const draw = draws[d];
      const row = draw.rows[i];
      if (siteKeyOf(row.site) !== key) throw new Error(`patient ${input.patient}: site order differs in draw ${draw.sample}`);
      ponFlag ||= row.germlineOrChip;
      tumourInformed ||= draw.tumourInformed?.has(key) ?? false;
      tissueSomatic ||= draw.tissueSomatic?.has(key) ?? false;
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
      if (row.call === 'detected' && firstDetection === null)
        firstDetection = { sample: draw.sample, collection_date: draw.collectionDate };
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
    const whiteCells = input.whiteCells ? whiteCellCounts(whiteCellRows.get(key), input.patient, key) : null;
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
      germline_or_ch: ponFlag,
      germline_or_ch_reason: ponFlag ? 'panel_of_normals' : '',
      tumour_informed: tumourInformed,
      tissue_somatic: tissueSomatic,
      white_cells: whiteCells,
      flags: siteFlags(ponFlag, tissueSomatic, whiteCells),
      clonal: false, // set below, once every site's series is known
      first_detection: firstDetection,
      nadir,
      points,
    });
  }
  markClonal(sites, eventSettings.clonal_min_relative_vaf);
  const tumourFraction = buildTumourFraction(sites, eventSettings);
  const timeline: PatientTimeline = {
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
    tumour_fraction: tumourFraction,
    white_cell_bam: input.whiteCells?.bam ?? null,
  };
  if (split) {
    const tf = tumourFraction.points.map((p) => p.estimate);
    timeline.identity = patientIdentity(input.patient, split, tf);
  }
  return timeline;
}

function whiteCellCounts(row: CalledSiteInput | undefined, patient: string, key: string): WhiteCellCounts {
  if (!row) throw new Error(`patient ${patient}: white-cell counts lack site ${key}`);
  const obs = row.backgroundDepth;
  return {
    alt_count: row.altCount,
    depth: row.depth,
    background_rate: row.backgroundRate ?? 0,
    background_dispersion: row.dispersion ?? 0,
    background_observations: obs === undefined || !Number.isFinite(obs) ? null : obs,
  };
}

/** The site facts the report shows in its flags column; interpretation (CH, germline) is classify's. */
function siteFlags(pon: boolean, tissueSomatic: boolean, wc: WhiteCellCounts | null): SiteFlagRecord[] {
  const out: SiteFlagRecord[] = [];
  if (pon)
    out.push({
      kind: 'panel_of_normals',
      text: 'carried by at least half of the panel of normals: germline or clonal haematopoiesis, never tumour evidence',
    });
  if (tissueSomatic) out.push({ kind: 'tissue_somatic', text: 'somatic in the tissue (tumour–normal)' });
  if (wc && wc.alt_count > 0)
    out.push({ kind: 'white_cells', text: `matched white cells: ${wc.alt_count}/${wc.depth} reads (${pct(wc.alt_count / wc.depth)})` });
  return out;
}

/**
 * Marks the clonal sites of the descriptive tumour-fraction series. Candidates: sites not flagged
 * by the panel of normals and not germline-like (germline-like.ts, the default policy's band);
 * tumour-informed sites (called in the tissue) only, when any is detected in some draw, because a panel
 * hotspot seen only in plasma may be clonal haematopoiesis (TP53, PPM1D) or a subclone. The
 * reference draw is the first that detects any candidate (a ctDNA-negative first draw on treatment
 * does not leave the series without markers); a candidate detected there is clonal when its VAF is
 * ≥ rel × the highest. A tumour-informed candidate never detected at that draw is left out.
 */
export function markClonal(sites: TimelineSite[], rel: number): void {
  const germlineLike = germlineLikeSites(
    sites.map((s) => ({
      key: s.key,
      tissueSomatic: s.tissue_somatic === true,
      points: s.points.map((p) => ({ alt: p.alt_count, depth: p.depth, call: p.call, lod: p.lod })),
    })),
    () => true,
    DEFAULT_GERMLINE_BAND,
  );
  const usable = sites.filter((s) => !s.germline_or_ch && germlineLike.get(s.key)?.verdict !== 'germline_like');
  // A tissue variant never detected in plasma (a subclone the blood does not show) leaves the panel sites in.
  const informed = usable.filter((s) => s.tumour_informed === true && s.points.some((p) => p.call === 'detected'));
  const candidates = informed.length > 0 ? informed : usable;
  const nDraws = candidates[0]?.points.length ?? 0;
  for (let d = 0; d < nDraws; d++) {
    const detected = candidates.filter((s) => s.points[d].call === 'detected' && s.points[d].vaf !== null);
    if (detected.length === 0) continue;
    const top = Math.max(...detected.map((s) => s.points[d].vaf as number));
    for (const s of detected) s.clonal = (s.points[d].vaf as number) >= rel * top;
    return;
  }
}
